// A cheap necessary condition for a rule, read off its match expression: when the top-level
// `all` (or an `any` of one) requires eventSource, the event name (also through an `any`
// whose every branch names some), the errorCode or userIdentity.type to be one of some
// values (or not one of some, for userIdentity.type), the userAgent not to hold some text, or
// @success or @mutating to be true or false, a
// record whose source, name or error is elsewhere (most records have no error at all) cannot
// match and the full expression is never walked. This
// keeps rule evaluation cost close to zero for the bulk of an archive.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
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
  const std::vector<std::string>& sources() const { return sources_.sorted; }
  // The normalised event names (@name) the rule requires, or null when it requires none.
  const std::vector<std::string>* names() const { return constrained_names_ ? &names_.sorted : nullptr; }

 private:
  // A sorted list, and a mask of its values' lengths (bit min(length, 63)): most values a
  // record holds are refused by their length, before any compare.
  struct Values {
    std::vector<std::string> sorted;
    uint64_t lengths = 0;
    void Seal();
    bool Has(std::string_view value) const {
      if ((lengths >> std::min<size_t>(value.size(), 63) & 1) == 0) return false;
      return sorted.size() == 1 ? sorted.front() == value : HasSorted(value);
    }
    bool HasSorted(std::string_view value) const;
  };
  bool constrained_sources_ = false, constrained_names_ = false, constrained_raw_names_ = false;
  bool constrained_errors_ = false, constrained_actor_types_ = false;
  std::optional<bool> success_, mutating_;  // what @success and @mutating must be
  Values sources_, names_, raw_names_, errors_, actor_types_;
  Values excluded_actor_types_;  // not(userIdentity.type in ...)
  std::vector<std::string> excluded_agent_parts_;  // not(userAgent contains ...): Lambda runtimes' own calls
};

}  // namespace lir
