#include "report/report_common.h"

#include <algorithm>

namespace lir {

std::array<size_t, 5> SeverityCounts(const std::vector<Finding>& findings) {
  std::array<size_t, 5> counts{};
  for (const Finding& f : findings) ++counts[static_cast<size_t>(f.severity)];
  return counts;
}

std::map<std::string, std::vector<std::string>> RulesByEvent(const std::vector<Finding>& findings) {
  std::map<std::string, std::vector<std::string>> out;
  for (const Finding& f : findings) {
    for (const std::string& id : f.event_ids) {
      auto& rules = out[id];
      if (std::find(rules.begin(), rules.end(), f.rule_id) == rules.end()) rules.push_back(f.rule_id);
    }
  }
  return out;
}

std::string_view IssueKindName(IssueKind kind) {
  switch (kind) {
    case IssueKind::kBadFile: return "bad-file";
    case IssueKind::kBadRecord: return "bad-record";
    case IssueKind::kWarning: return "warning";
    case IssueKind::kSkipped: return "skipped";
  }
  return "unknown";
}

}  // namespace lir
