#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/response_common.h"
#include "core/strings.h"
#include "response/contain_plan.h"
#include "response/monitor.h"
#include "response/recover_plan.h"

namespace lir {
namespace {

struct RecoverArgs {
  ResponseArgs response;
  std::string monitor;  // duration, e.g. 48h
  std::string baseline = "7d";
  std::string alarm_topic;
};

// Alarms against the function's baseline, expiring after `monitor`.
std::vector<ResponseStep> MonitorSteps(ResponseSession& rs, const RecoverArgs& args, const std::string& prefix, int* exit_code) {
  auto duration = ParseDurationMs(args.monitor);
  auto baseline = ParseDurationMs(args.baseline);
  if (!duration || !baseline) {
    fmt::print(stderr, "lambda-ir: recover: --monitor and --baseline take durations like 48h or 7d\n");
    *exit_code = kExitUsage;
    return {};
  }
  const TimestampMs now = NowMs();
  auto peaks = BaselinePeaks(*rs.calls, rs.function, now, *baseline);
  if (!peaks) {
    fmt::print(stderr, "lambda-ir: recover: baseline metrics: {}\n", peaks.error().message);
    *exit_code = kExitAws;
    return {};
  }
  const StepContext ctx = rs.Context(prefix, args.response);
  const std::string case_id = rs.evidence ? rs.evidence->case_id() : std::string(FunctionNameFromDir(args.response.case_dir));
  std::vector<ResponseStep> steps;
  for (const AlarmPlan& alarm : PlanAlarms(rs.function, *peaks)) {
    steps.push_back(CreateAlarmStep(ctx, alarm, now + *duration, case_id, args.alarm_topic));
  }
  return steps;
}

int RunRecover(const RecoverArgs& args) {
  std::error_code ec;
  if (args.response.case_dir.empty() || !std::filesystem::exists(args.response.case_dir + "/journal.sqlite", ec)) {
    fmt::print(stderr, "lambda-ir: recover: --case must name the case whose journal recorded the containment\n");
    return kExitUsage;
  }
  int exit_code = kExitOk;
  auto rs = OpenResponse(args.response, "recover", &exit_code);
  if (!rs) return exit_code;
  const int round = ContainmentRound(rs->journal.get(), rs->function);
  const std::string contain_prefix = ContainPrefix(rs->function, round);
  auto contained = rs->journal->Steps(contain_prefix);
  if (!contained || contained->empty()) {
    fmt::print("recover: the journal has no containment of {} to undo\n", SanitizeForTerminal(rs->function));
    return kExitOk;
  }
  const std::string prefix = RecoverPrefix(rs->function, round);
  const StepContext ctx = rs->Context(prefix, args.response);
  auto journal = rs->journal->Steps();
  if (!journal) {
    fmt::print(stderr, "lambda-ir: recover: {}\n", journal.error().message);
    return kExitOutput;
  }
  RecoveryPlan plan = PlanRecovery(ctx, *contained, contain_prefix, RolesHeldByOtherContainments(*journal, rs->function));
  if (!args.monitor.empty()) {
    auto alarms = MonitorSteps(*rs, args, prefix, &exit_code);
    if (exit_code != kExitOk) return exit_code;
    for (auto& s : alarms) plan.steps.push_back(std::move(s));
  }
  for (const auto& k : plan.kept) fmt::print(stderr, "kept: {}\n", SanitizeForTerminal(k));
  OrderByPhase(&plan.steps);
  if (args.response.dry_run) {
    PrintDryRun(*rs, plan.steps);
    return kExitOk;
  }
  fmt::print("recover {} (round {})\n", SanitizeForTerminal(rs->function), round);
  return ExecutePlan(*rs, args.response, "recover", plan.steps, {{"function", rs->function}, {"round", round}}, [&](int code) {
    if (code != kExitOk) return code;
    // Every change undone: close the round, so a later containment starts afresh.
    auto marker = RunSteps(*rs->journal, {RecoveryCompleteStep(ctx)}, 1, nullptr);
    return marker.front().kind == StepOutcomeKind::kFailed ? static_cast<int>(kExitOutput) : code;
  });
}

}  // namespace

void RegisterRecoverCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RecoverArgs>();
  CLI::App* cmd = app.add_subcommand(
      "recover", "Undo a containment exactly as the case's journal recorded it: reserved and provisioned concurrency, the "
                 "mappings that were enabled, URL auth, and the deny policy only if lambda-ir added it");
  AddResponseOptions(cmd, &args->response);
  cmd->add_option("--monitor", args->monitor, "Then watch the function: CloudWatch alarms expiring after this long (e.g. 48h)");
  cmd->add_option("--baseline", args->baseline, "Metrics period the alarm thresholds are set against (default 7d)");
  cmd->add_option("--alarm-topic", args->alarm_topic, "SNS topic ARN the alarms notify");
  cmd->callback([args, exit_code] { *exit_code = RunRecover(*args); });
}

}  // namespace lir
