#include "analysis/finding.h"

namespace lir {

Finding EvidenceFinding(std::string rule_id, Severity severity, std::string title, std::string description,
                        std::string remediation, std::string resource, std::string actor, std::string event_name,
                        std::string reference, TimestampMs time) {
  Finding f;
  f.rule_id = std::move(rule_id);
  f.severity = severity;
  f.title = std::move(title);
  f.description = std::move(description);
  f.remediation = std::move(remediation);
  f.resource = std::move(resource);
  f.actor = std::move(actor);
  f.event_name = std::move(event_name);
  f.event_ids.push_back(std::move(reference));
  f.time = time;
  return f;
}

}  // namespace lir
