#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/response_common.h"
#include "core/strings.h"
#include "response/contain_plan.h"

namespace lir {
namespace {

struct ContainArgs {
  ResponseArgs response;
  std::string steps = "throttle,mappings,deny";
  ContainOptions options;
};

int RunContain(ContainArgs& args) {
  if (auto r = ParseContainSteps(args.steps, &args.options); !r) {
    fmt::print(stderr, "lambda-ir: {}\n", r.error().message);
    return kExitUsage;
  }
  args.options.jobs = args.response.jobs;
  int exit_code = kExitOk;
  auto rs = OpenResponse(args.response, "contain", &exit_code);
  if (!rs) return exit_code;
  const int round = ContainmentRound(rs->journal.get(), rs->function);
  const std::string prefix = ContainPrefix(rs->function, round);
  std::vector<JournalStep> recorded;
  if (rs->journal) {
    auto steps = rs->journal->Steps(prefix);
    if (!steps) {
      fmt::print(stderr, "lambda-ir: contain: {}\n", steps.error().message);
      return kExitOutput;
    }
    recorded = std::move(*steps);
  }
  const StepContext ctx = rs->Context(prefix, args.response);
  auto plan = PlanContainment(ctx, args.options, recorded, NowMs());
  if (!plan) {
    fmt::print(stderr, "lambda-ir: contain {}: {}\n", SanitizeForTerminal(rs->function), plan.error().ToString());
    return kExitAws;
  }
  if (!plan->role_shared_with.empty() && args.options.deny && !args.options.allow_shared_role) {
    fmt::print(stderr,
               "lambda-ir: contain: role {} is also the execution role of {}: a deny-all on it stops them too. Nothing changed.\n"
               "  Rerun with --allow-shared-role to deny them all, or --steps throttle,mappings to leave the role alone.\n",
               SanitizeForTerminal(plan->role_name), SanitizeForTerminal(fmt::format("{}", fmt::join(plan->role_shared_with, ", "))));
    return kExitRefused;
  }
  for (const auto& w : plan->warnings) fmt::print(stderr, "warning: {}\n", SanitizeForTerminal(w));
  OrderByPhase(&plan->steps);
  if (args.response.dry_run) {
    for (const auto& s : plan->steps) fmt::print("{}\n", s.action);
    return kExitOk;
  }
  fmt::print("contain {} (round {}): {} changes\n", SanitizeForTerminal(rs->function), round, plan->steps.size());
  for (const auto& s : plan->steps) fmt::print("  {}\n", SanitizeForTerminal(s.action));
  if (!ConfirmPlan(args.response, "Make these", plan->steps)) return kExitRefused;
  (void)rs->evidence->Record("contain-started", nlohmann::json{{"function", rs->function}, {"round", round}, {"steps", plan->steps.size()}}.dump());
  auto outcomes = RunSteps(*rs->journal, plan->steps, args.response.jobs, PrintOutcome);
  const int code = ReportOutcomes(outcomes);
  (void)rs->evidence->Record("contain-finished", nlohmann::json{{"function", rs->function}, {"round", round}, {"exit", code}}.dump());
  return code;
}

}  // namespace

void RegisterContainCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ContainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "contain", "Stop a function without destroying it: provisioned concurrency removed, reserved concurrency 0, event source "
                 "mappings disabled, a deny-all policy on its role; every prior value journaled for recover");
  AddResponseOptions(cmd, &args->response);
  cmd->add_option("--steps", args->steps,
                  "Comma list: throttle, mappings, deny, url (URLs to AWS_IAM), statements (remove flagged resource-policy "
                  "statements), sessions (deny role sessions issued before now), or all (default throttle,mappings,deny)");
  cmd->add_flag("--allow-shared-role", args->options.allow_shared_role, "Put the deny-all policy even if other functions use the role");
  cmd->add_option("--deny-policy-name", args->options.deny_policy_name, "Name of the deny-all inline policy (default DenyAll-IncidentResponse)");
  cmd->add_option("--on-failure-destination", args->options.on_failure_destination,
                  "ARN that receives async events throttled past their retries (SQS, SNS, S3, Lambda)");
  cmd->callback([args, exit_code] { *exit_code = RunContain(*args); });
}

}  // namespace lir
