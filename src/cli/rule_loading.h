#pragma once

#include <string>
#include <vector>

#include "analysis/rule_set.h"

namespace lir {

struct RuleSources {
  std::vector<std::string> rule_dirs;   // --rules: lambda-ir rule directories
  std::vector<std::string> sigma_dirs;  // --sigma: Sigma rule directories (any layout)
  bool bundled_sigma = false;           // on with --with-sigma
};

// Embedded rules, each --rules directory, the bundled Sigma rules and each --sigma
// directory; lint problems and unsupported Sigma rules are printed to stderr and left out,
// so one bad local rule never stops an investigation.
RuleSet LoadRulesForRun(const RuleSources& sources);

// The same set without printing (rules lint/test print it their way). `embedded`: the
// rules compiled in (lambda-ir's and, unless sources say otherwise, the bundled Sigma ones).
RuleSet LoadRuleSet(const RuleSources& sources, bool embedded);

std::string FormatLintIssue(const LintIssue& issue);

}  // namespace lir
