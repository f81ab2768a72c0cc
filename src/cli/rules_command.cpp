#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "analysis/rule_set.h"
#include "analysis/rule_tests.h"
#include "cli/commands.h"
#include "core/strings.h"
#include "cli/exit_codes.h"
#include "cli/rule_loading.h"

namespace lir {
namespace {

RuleSet Load(const std::vector<std::string>& dirs, bool embedded) {
  RuleSet set = embedded ? LoadEmbeddedRules() : RuleSet{};
  for (const auto& dir : dirs) AddRulesFromDirectory(dir, &set);
  return set;
}

int RunList(const std::vector<std::string>& dirs, const std::string& format) {
  const RuleSet set = LoadRulesForRun(dirs);
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& l : set.rules) {
      const Rule& r = l.rule;
      out.push_back({{"id", r.id}, {"severity", ToString(r.severity)}, {"title", r.title},
                     {"mitre", r.mitre}, {"origin", r.origin}});
    }
    fmt::print("{}\n", out.dump(2));
    return kExitOk;
  }
  for (const auto& l : set.rules) {
    // A rule directory is anyone's text: never raw to the terminal.
    fmt::print("{:<48} {:<8} {}\n", SanitizeForTerminal(l.rule.id), ToString(l.rule.severity), SanitizeForTerminal(l.rule.title));
  }
  return kExitOk;
}

int RunLint(const std::vector<std::string>& dirs, bool embedded) {
  const RuleSet set = Load(dirs, embedded);
  for (const LintIssue& issue : set.issues) fmt::print("{}\n", SanitizeForTerminal(FormatLintIssue(issue)));
  fmt::print("{} rules, {} lint issues\n", set.rules.size(), set.issues.size());
  return set.issues.empty() ? kExitOk : kExitRulesInvalid;
}

int RunTest(const std::vector<std::string>& dirs, bool embedded) {
  const RuleSet set = Load(dirs, embedded);
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

}  // namespace

void RegisterRulesCommand(CLI::App& app, int* exit_code) {
  CLI::App* rules = app.add_subcommand("rules", "List, lint and test detection rules");
  rules->require_subcommand(1);
  auto dirs = std::make_shared<std::vector<std::string>>();
  auto only_dirs = std::make_shared<bool>(false);
  auto format = std::make_shared<std::string>("terminal");
  CLI::App* list = rules->add_subcommand("list", "Show every loaded rule");
  list->add_option("--rules", *dirs, "Extra rule directory; repeatable");
  list->add_option("-f,--format", *format, "terminal or json")->check(CLI::IsMember({"terminal", "json"}));
  list->callback([=] { *exit_code = RunList(*dirs, *format); });
  CLI::App* lint = rules->add_subcommand("lint", "Check rules against the schema (stable lint ids L001..L013)");
  lint->add_option("--rules", *dirs, "Rule directory to lint; repeatable");
  lint->add_flag("--only", *only_dirs, "Lint only the --rules directories, not the embedded rules");
  lint->callback([=] { *exit_code = RunLint(*dirs, !*only_dirs); });
  CLI::App* test = rules->add_subcommand("test", "Run every rule's tests/match and tests/nomatch events");
  test->add_option("--rules", *dirs, "Extra rule directory; repeatable");
  test->add_flag("--only", *only_dirs, "Test only the --rules directories, not the embedded rules");
  test->callback([=] { *exit_code = RunTest(*dirs, !*only_dirs); });
}

}  // namespace lir
