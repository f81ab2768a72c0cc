#include "cli/rule_loading.h"

#include <fmt/format.h>

namespace lir {

std::string FormatLintIssue(const LintIssue& issue) {
  return fmt::format("{}: {} {}: {}", issue.file, issue.lint_id, issue.name, issue.message);
}

RuleSet LoadRulesForRun(const std::vector<std::string>& rule_dirs) {
  RuleSet rules = LoadEmbeddedRules();
  for (const auto& dir : rule_dirs) AddRulesFromDirectory(dir, &rules);
  for (const LintIssue& issue : rules.issues) {
    fmt::print(stderr, "lambda-ir: rule skipped: {}\n", FormatLintIssue(issue));
  }
  return rules;
}

}  // namespace lir
