#include <set>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/response_common.h"
#include "core/strings.h"
#include "core/task_pool.h"
#include "response/contain_plan.h"

namespace lir {
namespace {

struct ContainArgs {
  ResponseArgs response;
  std::string steps = "throttle,mappings,deny";
  ContainOptions options;
};

std::string RoleLevelKind(const std::string& key) { return key.substr(key.rfind('/') + 1); }
bool IsRoleLevel(const std::string& key) {
  const std::string kind = RoleLevelKind(key);
  return kind == kKindDenyPolicy || kind == kKindRevokeSessions;
}

// One function's plan, against the journal's record of its current round.
struct FunctionPlan {
  std::string function;
  int round = 1;
  Result<ContainPlan> plan = MakeError(ErrorCode::kInternal, "not planned");
};

int RunContain(ContainArgs& args) {
  if (auto r = ParseContainSteps(args.steps, &args.options); !r) {
    fmt::print(stderr, "lambda-ir: {}\n", r.error().message);
    return kExitUsage;
  }
  args.options.jobs = args.response.jobs;
  int exit_code = kExitOk;
  auto rs = OpenResponse(args.response, "contain", &exit_code, /*snapshot_now=*/false);
  if (!rs) return exit_code;
  // The snapshot and the plan's reads overlap; no change starts before both are done.
  bool snapshots_ok = false;
  std::thread snapshots([&] { snapshots_ok = EnsureSnapshots(*rs, args.response, "contain"); });

  // Plans read the live state: every function's at once.
  std::vector<FunctionPlan> plans(rs->functions.size());
  {
    TaskPool pool(args.response.jobs);
    for (size_t i = 0; i < plans.size(); ++i) {
      pool.Submit([&, i] {
        FunctionPlan& p = plans[i];
        p.function = rs->functions[i];
        p.round = ContainmentRound(rs->journal.get(), p.function);
        std::vector<JournalStep> recorded;
        if (rs->journal) {
          auto steps = rs->journal->Steps(ContainPrefix(p.function, p.round));
          if (!steps) {
            p.plan = tl::unexpected(steps.error());
            return;
          }
          recorded = std::move(*steps);
        }
        StepContext ctx = rs->Context(ContainPrefix(p.function, p.round), args.response);
        ctx.function = p.function;
        p.plan = PlanContainment(ctx, args.options, recorded, NowMs());
      });
    }
    pool.Wait();
  }
  snapshots.join();
  if (!snapshots_ok) return kExitAws;
  const std::set<std::string> contained(rs->functions.begin(), rs->functions.end());
  std::vector<ResponseStep> steps;
  std::set<std::string> role_steps;
  bool refused = false;
  for (FunctionPlan& p : plans) {
    if (!p.plan) {
      fmt::print(stderr, "lambda-ir: contain {}: {}\n", SanitizeForTerminal(p.function), p.plan.error().ToString());
      return kExitAws;
    }
    std::vector<std::string> others;
    for (const auto& f : p.plan->role_shared_with) {
      if (!contained.count(f)) others.push_back(f);
    }
    if (!others.empty() && args.options.deny && !args.options.allow_shared_role) {
      fmt::print(stderr,
                 "lambda-ir: contain: role {} is also the execution role of {}: a deny-all on it stops them too. Nothing changed.\n"
                 "  Rerun with --allow-shared-role to deny them all, or --steps throttle,mappings to leave the role alone.\n",
                 SanitizeForTerminal(p.plan->role_name), SanitizeForTerminal(fmt::format("{}", fmt::join(others, ", "))));
      refused = true;
    }
    for (const auto& w : p.plan->warnings) fmt::print(stderr, "warning: {}: {}\n", SanitizeForTerminal(p.function), SanitizeForTerminal(w));
    for (auto& s : p.plan->steps) {
      // Functions contained together that share a role: one policy step per role, so no step
      // reads another's deny as the state to restore.
      if (IsRoleLevel(s.key) && !role_steps.insert(RoleLevelKind(s.key) + "|" + p.plan->role_name).second) continue;
      steps.push_back(std::move(s));
    }
  }
  if (refused) return kExitRefused;
  OrderByPhase(&steps);
  if (args.response.dry_run) {
    PrintDryRun(*rs, steps);
    return kExitOk;
  }
  for (const FunctionPlan& p : plans) fmt::print("contain {} (round {})\n", SanitizeForTerminal(p.function), p.round);
  return ExecutePlan(*rs, args.response, "contain", steps, {{"functions", rs->functions}});
}

}  // namespace

void RegisterContainCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ContainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "contain", "Stop functions without destroying them: provisioned concurrency removed, reserved concurrency 0, event source "
                 "mappings disabled, a deny-all policy on their roles; every prior value journaled for recover");
  AddResponseOptions(cmd, &args->response, /*many=*/true);
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
