#include "analysis/finding.h"

#include <charconv>

namespace lir {

EvidenceLocation LocationOf(std::string_view reference) {
  EvidenceLocation location;
  // The last "#L" followed by digits only: a file name may hold "#L" itself.
  const size_t hash = reference.rfind("#L");
  if (hash != std::string_view::npos) {
    const std::string_view digits = reference.substr(hash + 2);
    uint32_t line = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), line);
    if (!digits.empty() && error == std::errc() && end == digits.data() + digits.size()) {
      location.artifact = std::string(reference.substr(0, hash));
      location.line = line;
      return location;
    }
  }
  location.artifact = std::string(reference);
  return location;
}

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
  f.locations.push_back(LocationOf(reference));
  f.event_ids.push_back(std::move(reference));
  f.time = time;
  return f;
}

}  // namespace lir
