#pragma once

#include <string>
#include <vector>

#include "analysis/rule_set.h"

namespace lir {

// Embedded rules plus each --rules directory; lint problems are printed to stderr and the
// offending rules left out, so one bad local rule never stops an investigation.
RuleSet LoadRulesForRun(const std::vector<std::string>& rule_dirs);

std::string FormatLintIssue(const LintIssue& issue);

}  // namespace lir
