#include "cli/rule_loading.h"

#include <fmt/format.h>

#include "analysis/sigma_rule.h"

namespace lir {

std::string FormatLintIssue(const LintIssue& issue) {
  return fmt::format("{}: {} {}: {}", issue.file, issue.lint_id, issue.name, issue.message);
}

RuleSet LoadRuleSet(const RuleSources& sources, bool embedded) {
  RuleSet rules = embedded ? LoadEmbeddedRules() : RuleSet{};
  for (const auto& dir : sources.rule_dirs) AddRulesFromDirectory(dir, &rules);
  if (embedded && sources.bundled_sigma) AddEmbeddedSigmaRules(&rules);
  for (const auto& dir : sources.sigma_dirs) {
    const SigmaLoadStats stats = AddSigmaRulesFromDirectory(dir, &rules);
    if (stats.other_logsource > 0) {
      fmt::print(stderr, "lambda-ir: --sigma {}: {} rules for other log sources than aws/cloudtrail not loaded\n",
                 dir, stats.other_logsource);
    }
  }
  return rules;
}

RuleSet LoadRulesForRun(const RuleSources& sources) {
  RuleSet rules = LoadRuleSet(sources, true);
  for (const LintIssue& issue : rules.issues) {
    fmt::print(stderr, "lambda-ir: rule skipped: {}\n", FormatLintIssue(issue));
  }
  return rules;
}

}  // namespace lir
