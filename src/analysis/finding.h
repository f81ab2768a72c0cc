#pragma once

#include <string>
#include <vector>

#include "core/severity.h"
#include "core/time.h"

namespace lir {

struct Finding {
  std::string rule_id;
  Severity severity = Severity::kInfo;
  std::string title;
  std::string description;
  std::string remediation;
  TimestampMs time = 0;               // the first event that supports it
  std::string resource;               // ARN where known, else a name
  std::string actor;
  std::string source_ip;
  std::string region;
  std::string account;
  std::string event_name;             // of the first event
  std::vector<std::string> event_ids;
  uint64_t events_not_listed = 0;     // further matching events beyond the per-principal cap
  std::vector<std::string> mitre;
  std::vector<std::string> references;
};

// A finding that rests on one piece of evidence (an artifact or a log line), as the
// configuration, package, log and metric checks produce them.
Finding EvidenceFinding(std::string rule_id, Severity severity, std::string title, std::string description,
                        std::string remediation, std::string resource, std::string actor, std::string event_name,
                        std::string reference, TimestampMs time);

}  // namespace lir
