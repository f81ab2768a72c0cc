#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/format_option.h"
#include "cli/exit_codes.h"
#include "response/permissions.h"
#include "response/step_kinds.h"

namespace lir {
namespace {

struct PermissionsArgs {
  std::vector<std::string> commands;
  std::string steps;
  std::string format = "json";
};

int RunPermissions(const PermissionsArgs& args) {
  std::set<std::string> groups;
  if (!args.steps.empty()) {
    auto parsed = ParseContainGroups(args.steps);
    if (!parsed) {
      fmt::print(stderr, "lambda-ir: {}\n", parsed.error().message);
      return kExitUsage;
    }
    groups = *parsed;
  }
  const std::vector<std::string> commands = args.commands.empty() ? CommandsWithPermissions() : args.commands;
  std::vector<PolicyStatement> statements;
  for (const auto& command : commands) {
    auto policy = CommandPolicy(command, groups);
    if (!policy) {
      fmt::print(stderr, "lambda-ir: {}\n", policy.error().message);
      return kExitUsage;
    }
    for (auto& s : *policy) {
      auto same = std::find_if(statements.begin(), statements.end(), [&](const PolicyStatement& o) { return o.sid == s.sid; });
      if (same == statements.end()) statements.push_back(std::move(s));
    }
  }
  if (args.format == "text") {
    for (const auto& s : statements) {
      if (s.actions.empty()) continue;
      fmt::print("{}: {}\n", s.sid, s.purpose);
      for (const auto& a : s.actions) fmt::print("  {}\n", a);
    }
    return kExitOk;
  }
  fmt::print("{}\n", PolicyDocument(statements).dump(2));
  return kExitOk;
}

}  // namespace

void RegisterPermissionsCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<PermissionsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "permissions", "The least-privilege IAM policy the commands need (all of them, or those named), from the operations they call: "
                     "provision the responder role before the incident");
  cmd->add_option("command", args->commands,
                  "whoami, audit, harden, collect, investigate, contain, eradicate, recover, monitor, security-hub (--to-security-hub)");
  cmd->add_option("--steps", args->steps, "For contain: only these --steps groups");
  AddFormatOption(cmd, &args->format, {"json", "text"});  // json: an IAM policy document
  cmd->footer(
      "Examples:\n"
      "  lambda-ir permissions contain > contain-policy.json\n"
      "  lambda-ir permissions eradicate --format text\n"
      "  lambda-ir permissions audit security-hub > audit-and-import-policy.json");
  cmd->callback([args, exit_code] { *exit_code = RunPermissions(*args); });
}

}  // namespace lir
