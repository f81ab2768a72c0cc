#include "analysis/pre_incident.h"

#include "sources/event.h"

namespace lir {

std::optional<TimestampMs> IncidentStart(const std::vector<Finding>& findings, const std::string& function) {
  std::optional<TimestampMs> start;
  for (const Finding& f : findings) {
    if (f.severity < Severity::kHigh || f.time == 0) continue;
    const bool about_function = !f.resource.empty() && FunctionNameFromRef(f.resource) == function &&
                                (f.resource == function || f.resource.find(":function:") != std::string::npos);
    // Lambda names its role sessions after the function: assumed-role/ROLE/FUNCTION.
    const bool by_its_session = f.actor.ends_with("/" + function) && f.actor.find(":assumed-role/") != std::string::npos;
    if ((about_function || by_its_session) && (!start || f.time < *start)) start = f.time;
  }
  return start;
}

std::optional<std::string> PreIncidentVersion(const std::vector<VersionConfig>& versions, TimestampMs incident_start) {
  const VersionConfig* best = nullptr;
  for (const VersionConfig& v : versions) {
    if (v.version == "$LATEST" || v.last_modified == 0 || v.last_modified >= incident_start) continue;
    if (best == nullptr || v.last_modified > best->last_modified) best = &v;
  }
  if (best == nullptr) return std::nullopt;
  return best->version;
}

}  // namespace lir
