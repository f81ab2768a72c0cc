// Runs each rule's own sample events through the full engine (so context and threshold
// rules are tested the way they run): tests/match must raise the rule, tests/nomatch must not.
#pragma once

#include <string>
#include <vector>

#include "analysis/rule_set.h"

namespace lir {

struct RuleTestResult {
  std::string rule_id;
  std::string file;
  bool expect_match;
  bool passed;
  std::string detail;  // why it failed
};

std::vector<RuleTestResult> RunRuleTests(const RuleSet& set);

}  // namespace lir
