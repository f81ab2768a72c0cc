#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "analysis/rule_set.h"
#include "analysis/rule_tests.h"
#include "cli/commands.h"
#include "cli/format_option.h"
#include "core/strings.h"
#include "cli/exit_codes.h"
#include "cli/rule_loading.h"
#include "sources/input_files.h"

namespace lir {
namespace {

// Where a rule comes from, for `rules list`: lambda-ir's own or Sigma's (with its author,
// as the Detection Rule License asks).
std::string OriginKind(const Rule& r) { return r.is_sigma() ? "sigma" : "lambda-ir"; }

int RunList(const RuleSources& sources, const std::string& format) {
  const RuleSet set = LoadRulesForRun(sources);
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& l : set.rules) {
      const Rule& r = l.rule;
      nlohmann::ordered_json rule = {{"id", r.id},         {"severity", ToString(r.severity)}, {"title", r.title},
                                     {"mitre", r.mitre},   {"origin", r.origin},               {"kind", OriginKind(r)}};
      if (r.is_sigma()) {
        rule["sigma_id"] = r.sigma_id;
        rule["author"] = r.author;
      }
      out.push_back(std::move(rule));
    }
    for (const CaseCheck& c : set.checks) {
      out.push_back({{"id", c.id}, {"severity", ToString(c.severity)}, {"title", c.title}, {"mitre", c.mitre},
                     {"origin", c.origin}, {"kind", "check"}, {"evidence", c.evidence}, {"implemented_in", c.implemented_in}});
    }
    fmt::print("{}\n", out.dump(2));
    return kExitOk;
  }
  for (const auto& l : set.rules) {
    // A rule directory is anyone's text: never raw to the terminal.
    fmt::print("{:<56} {:<8} {:<9} {}\n", SanitizeForTerminal(l.rule.id), ToString(l.rule.severity),
               OriginKind(l.rule), SanitizeForTerminal(l.rule.title));
  }
  for (const CaseCheck& c : set.checks) {
    fmt::print("{:<56} {:<8} {:<9} {} ({} check)\n", c.id, ToString(c.severity), "check", c.title, c.evidence);
  }
  return kExitOk;
}

int RunLint(const RuleSources& sources, bool embedded) {
  const RuleSet set = LoadRuleSet(sources, embedded);
  for (const LintIssue& issue : set.issues) fmt::print("{}\n", SanitizeForTerminal(FormatLintIssue(issue)));
  fmt::print("{} rules, {} case checks, {} lint issues\n", set.rules.size(), set.checks.size(), set.issues.size());
  return set.issues.empty() ? kExitOk : kExitRulesInvalid;
}

int RunTest(const RuleSources& sources, bool embedded) {
  const RuleSet set = LoadRuleSet(sources, embedded);
  for (const LintIssue& issue : set.issues) fmt::print("{}\n", SanitizeForTerminal(FormatLintIssue(issue)));
  size_t passed = 0, failed = 0;
  for (const RuleTestResult& r : RunRuleTests(set)) {
    if (r.passed) {
      ++passed;
    } else {
      ++failed;
      fmt::print("FAIL {} {}: {}\n", SanitizeForTerminal(r.rule_id), SanitizeForTerminal(r.file), SanitizeForTerminal(r.detail));
    }
  }
  fmt::print("{} passed, {} failed\n", passed, failed);
  return failed == 0 && set.issues.empty() ? kExitOk : kExitRulesInvalid;
}

int RunEval(const RuleSources& sources, const std::vector<std::string>& paths) {
  const RuleSet set = LoadRulesForRun(sources);
  std::vector<ReadIssue> issues;
  const std::vector<InputFile> inputs = DiscoverInputs(paths, &issues);
  for (const ReadIssue& issue : issues) {
    fmt::print(stderr, "lambda-ir: {}: {}\n", SanitizeForTerminal(issue.file), SanitizeForTerminal(issue.message));
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const FileEvaluation& e : EvaluateFilesAlone(inputs, set.Rules())) {
    nlohmann::ordered_json fired = nlohmann::ordered_json::array();
    for (const auto& [id, severity] : e.fired) fired.push_back({{"rule_id", id}, {"severity", ToString(severity)}});
    nlohmann::ordered_json file = {{"file", e.file}, {"fired", std::move(fired)}};
    if (!e.problem.empty()) file["problem"] = e.problem;
    out.push_back(std::move(file));
  }
  fmt::print("{}\n", out.dump(2));
  return issues.empty() ? kExitOk : kExitNoInput;
}

}  // namespace

void RegisterRulesCommand(CLI::App& app, int* exit_code) {
  CLI::App* rules = app.add_subcommand("rules", "List, lint and test detection rules");
  rules->require_subcommand(1);
  auto sources = std::make_shared<RuleSources>();
  auto with_sigma = std::make_shared<bool>(false);
  auto only_dirs = std::make_shared<bool>(false);
  auto format = std::make_shared<std::string>("text");
  auto add_sources = [&](CLI::App* cmd, const char* rules_help) {
    cmd->add_option("--rules", sources->rule_dirs, rules_help);
    cmd->add_option("--sigma", sources->sigma_dirs, "Sigma rule directory (logsource aws/cloudtrail); repeatable");
    cmd->add_flag("--with-sigma", *with_sigma, "Include the bundled SigmaHQ CloudTrail rules (list and lint always do)");
  };
  auto with_flags = [=] {
    RuleSources s = *sources;
    s.bundled_sigma = *with_sigma;
    return s;
  };
  CLI::App* list = rules->add_subcommand("list", "Show every loaded rule and where it comes from (lambda-ir or sigma)");
  add_sources(list, "Extra rule directory; repeatable");
  AddFormatOption(list, format.get(), {"text", "json"});
  list->footer(
    "Examples:\n"
    "  lambda-ir rules list\n"
    "  lambda-ir rules list --rules ./my-rules --format json");
  list->callback([=] {
    RuleSources s = with_flags();
    s.bundled_sigma = true;  // what the binary holds; analyze runs them with --with-sigma
    *exit_code = RunList(s, *format);
  });
  CLI::App* lint = rules->add_subcommand(
      "lint", "Check rules against the schema (stable lint ids L001..L015; L015: a Sigma construct not supported)");
  add_sources(lint, "Rule directory to lint; repeatable");
  lint->add_flag("--only", *only_dirs, "Lint only the --rules and --sigma directories, not the embedded rules");
  lint->footer(
    "Examples:\n"
    "  lambda-ir rules lint\n"
    "  lambda-ir rules lint --only --rules ./my-rules");
  lint->callback([=] {
    RuleSources s = with_flags();
    s.bundled_sigma = true;  // what ships is always checked
    *exit_code = RunLint(s, !*only_dirs);
  });
  auto eval_paths = std::make_shared<std::vector<std::string>>();
  CLI::App* eval = rules->add_subcommand(
      "eval", "Which rules fire on each file analysed alone (JSON): a rule author's check, and the coverage report's");
  add_sources(eval, "Extra rule directory; repeatable");
  eval->add_option("paths", *eval_paths, "CloudTrail files or directories; each file is one isolated case")->required();
  eval->footer(
    "Examples:\n"
    "  lambda-ir rules eval ./attack-samples\n"
    "  lambda-ir rules eval --rules ./my-rules ./attack-samples/update-code.json");
  eval->callback([=] { *exit_code = RunEval(with_flags(), *eval_paths); });
  CLI::App* test = rules->add_subcommand("test", "Run every rule's tests/match and tests/nomatch events");
  add_sources(test, "Extra rule directory; repeatable");
  test->add_flag("--only", *only_dirs, "Test only the --rules directories, not the embedded rules");
  test->footer(
    "Examples:\n"
    "  lambda-ir rules test\n"
    "  lambda-ir rules test --only --rules ./my-rules");
  test->callback([=] { *exit_code = RunTest(with_flags(), !*only_dirs); });
  AddRulesSqlCommand(rules, exit_code);
}

}  // namespace lir
