#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/format_option.h"
#include "cli/exit_codes.h"
#include "response/member_role_trust.h"
#include "response/permissions.h"
#include "response/step_kinds.h"

namespace lir {
namespace {

struct PermissionsArgs {
  std::vector<std::string> commands;
  std::string steps;
  std::string format = "json";
  std::string trust;        // --trust: the member role's trust policy instead
  std::string external_id;
};

int PrintTrustPolicy(const PermissionsArgs& args) {
  if (!args.commands.empty() || !args.steps.empty()) {
    fmt::print(stderr, "lambda-ir: --trust prints the trust policy alone; the role's permissions are `lambda-ir permissions {}`\n",
               args.commands.empty() ? "COMMAND..." : fmt::format("{}", fmt::join(args.commands, " ")));
    return kExitUsage;
  }
  auto policy = MemberRoleTrustPolicy(args.trust, args.external_id);
  if (!policy) {
    fmt::print(stderr, "lambda-ir: {}\n", policy.error().message);
    return kExitUsage;
  }
  fmt::print("{}\n", policy->dump(2));
  return kExitOk;
}

int RunPermissions(const PermissionsArgs& args) {
  if (!args.trust.empty()) return PrintTrustPolicy(args);
  if (!args.external_id.empty()) {
    fmt::print(stderr, "lambda-ir: --external-id goes with --trust\n");
    return kExitUsage;
  }
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
                  "whoami, audit, harden, collect, investigate, contain, eradicate, recover, monitor, security-hub (--to-security-hub), "
                  "accounts (--accounts, --regions all), athena (analyze --athena)");
  cmd->add_option("--steps", args->steps, "For contain: only these --steps groups");
  cmd->add_option("--trust", args->trust,
                  "Instead: the trust policy (JSON) of the role --assume-role-name enters each account through, trusting "
                  "this role or user ARN, or account id");
  cmd->add_option("--external-id", args->external_id, "With --trust: the external id the role asks for");
  AddFormatOption(cmd, &args->format, {"json", "text"});  // json: an IAM policy document
  cmd->footer(
      "Examples:\n"
      "  lambda-ir permissions contain > contain-policy.json\n"
      "  lambda-ir permissions eradicate --format text\n"
      "  lambda-ir permissions audit security-hub > audit-and-import-policy.json\n"
      "  lambda-ir permissions --trust arn:aws:iam::111122223333:role/Responder > member-role-trust.json");
  cmd->callback([args, exit_code] { *exit_code = RunPermissions(*args); });
}

}  // namespace lir
