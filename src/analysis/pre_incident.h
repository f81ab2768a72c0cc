// The configuration a function had before the incident, for eradicate --restore-config
// pre-incident. CloudTrail never records environment values, so the configuration cannot
// be rebuilt from events alone; a published version can: versions are immutable and keep
// every setting. This picks the newest version configured before the first high or
// critical finding about the function.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/finding.h"

namespace lir {

// The earliest time of a high or critical finding whose resource is the function (by name or
// ARN) or whose actor is one of its role's sessions; nullopt when there is none.
std::optional<TimestampMs> IncidentStart(const std::vector<Finding>& findings, const std::string& function);

struct VersionConfig {
  std::string version;
  TimestampMs last_modified = 0;
};
// The newest version whose configuration was last modified before `incident_start`.
std::optional<std::string> PreIncidentVersion(const std::vector<VersionConfig>& versions, TimestampMs incident_start);

}  // namespace lir
