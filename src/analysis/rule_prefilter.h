// A cheap necessary condition for a rule, read off its match expression: when the top-level
// `all` requires eventSource, the event name or the errorCode to be one of some values, a
// record whose source, name or error is elsewhere (most records have no error at all) cannot
// match and the full expression is never walked. This
// keeps rule evaluation cost close to zero for the bulk of an archive.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/rule.h"
#include "sources/event_view.h"

namespace lir {

class RulePrefilter {
 public:
  explicit RulePrefilter(const Rule& rule);
  bool MayMatch(const EventView& view) const;
  // The eventSource values the rule requires; empty when it requires none.
  const std::vector<std::string>& sources() const { return sources_; }
  // The normalised event names (@name) the rule requires, or null when it requires none.
  const std::vector<std::string>* names() const { return constrained_names_ ? &names_ : nullptr; }

 private:
  static bool In(const std::vector<std::string>& sorted, std::string_view value);
  bool constrained_sources_ = false, constrained_names_ = false, constrained_raw_names_ = false;
  bool constrained_errors_ = false;
  std::vector<std::string> sources_, names_, raw_names_, errors_;  // sorted, for binary search
};

}  // namespace lir
