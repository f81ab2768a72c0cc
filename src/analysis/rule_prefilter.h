// A cheap necessary condition for a rule, read off its match expression: when the top-level
// `all` requires eventSource and/or the event name to be one of a few values, a record whose
// source or name is elsewhere cannot match and the full expression is never walked. This
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

 private:
  static bool In(const std::vector<std::string>& set, std::string_view value);
  bool constrained_sources_ = false, constrained_names_ = false, constrained_raw_names_ = false;
  std::vector<std::string> sources_, names_, raw_names_;
};

}  // namespace lir
