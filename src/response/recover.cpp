#include "response/recover.h"

#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "response/contain_plan.h"
#include "response/monitor.h"
#include "response/recover_guard.h"
#include "response/recover_plan.h"
#include "response/response_report.h"

namespace lir {

using nlohmann::json;

namespace {

// Alarms against the function's baseline, expiring after `monitor`.
Result<std::vector<ResponseStep>> MonitorSteps(ResponseSession& rs, const RecoverRequest& request, const StepContext& ctx) {
  auto duration = ParseDurationMs(request.monitor);
  auto baseline = ParseDurationMs(request.baseline);
  if (!duration || !baseline) return MakeError(ErrorCode::kInvalidArgument, "--monitor and --baseline take durations like 48h or 7d");
  const TimestampMs now = NowMs();
  const auto peaks = LIR_TRY(BaselinePeaks(*rs.calls, ctx.function, now, *baseline));
  const std::string case_id = rs.evidence ? rs.evidence->case_id() : std::filesystem::path(request.common.case_dir).filename().string();
  std::vector<ResponseStep> steps;
  for (const AlarmPlan& alarm : PlanAlarms(ctx.function, peaks)) {
    steps.push_back(CreateAlarmStep(ctx, alarm, now + *duration, case_id, request.alarm_topic));
  }
  return steps;
}

}  // namespace

ResponseStatus RunRecover(aws::AwsSession& session, const RecoverRequest& request, ResponseUi& ui) {
  std::error_code ec;
  if (request.common.case_dir.empty() || !std::filesystem::exists(request.common.case_dir + "/journal.sqlite", ec)) {
    ui.Warning("recover: --case must name the case whose journal recorded the containment");
    return ResponseStatus::kBadRequest;
  }
  auto opened = OpenResponseSession(session, request.common, "recover", /*create_case=*/false);
  if (!opened) {
    ui.Warning(opened.error().message);
    return opened.error().status;
  }
  ResponseSession& rs = **opened;
  if (!rs.journal) {
    ui.Warning("recover: the case has no journal");
    return ResponseStatus::kBadRequest;
  }
  const std::string function = rs.functions.front();
  const int round = LatestContainRound(rs.journal.get(), function);
  const std::string contain_prefix = ContainPrefix(function, round);
  auto contained = rs.journal->Steps(contain_prefix);
  auto closed = rs.journal->Find(RecoverPrefix(function, round) + "complete");
  if (round == 0 || !contained || contained->empty() || (closed && *closed && (*closed)->status == StepStatus::kDone)) {
    ui.Info(fmt::format("recover: the journal has no containment of {} to undo", function));
    return ResponseStatus::kDone;
  }
  auto journal = rs.journal->Steps();
  if (!journal) {
    ui.Warning(fmt::format("recover: {}", journal.error().message));
    return ResponseStatus::kCaseError;
  }
  const std::string prefix = RecoverPrefix(function, round);
  StepContext ctx = rs.Context(prefix, request.common);
  ctx.function = function;
  RecoveryPlan plan = PlanRecovery(ctx, *contained, contain_prefix, RolesHeldByOtherContainments(*journal, function));
  if (!request.monitor.empty()) {
    auto alarms = MonitorSteps(rs, request, ctx);
    if (!alarms) {
      ui.Warning(fmt::format("recover: {}", alarms.error().message));
      return alarms.error().code == ErrorCode::kInvalidArgument ? ResponseStatus::kBadRequest : ResponseStatus::kFailed;
    }
    for (auto& s : *alarms) plan.steps.push_back(std::move(s));
  }
  for (const auto& k : plan.kept) ui.Warning(fmt::format("kept: {}", k));
  OrderByPhase(&plan.steps);

  // The door must be shut before the function runs again.
  {
    const auto blockers = RecoveryBlockers(rs, request.common.case_dir, function, contain_prefix, plan, *journal);
    if (!blockers.empty()) {
      json listed = json::array();
      for (const auto& b : blockers) {
        ui.Warning(fmt::format("{}: {}. First: {}", request.force ? "forced past" : request.common.dry_run ? "would refuse" : "refused", b.what, b.fix));
        listed.push_back({{"what", b.what}, {"fix", b.fix}});
      }
      if (!request.force && !request.common.dry_run) {
        ui.Warning(fmt::format("recover {}: {} reason(s) not to let it run again; nothing changed. Fix them, or pass --force to "
                               "recover anyway (recorded in the case's custody log).",
                               function, blockers.size()));
        return ResponseStatus::kRefused;
      }
      if (request.force && !request.common.dry_run) {
        // --force is only allowed on the record: no custody line, no forced recovery.
        const std::string said = rs.evidence->RecordOrSay("recover-forced", json{{"function", function}, {"blockers", listed}}.dump());
        if (!said.empty()) {
          ui.Warning(fmt::format("recover {}: --force not recorded ({}); nothing changed", function, said));
          return ResponseStatus::kRefused;
        }
      }
    }
  }
  if (request.common.dry_run) {
    bool started = false;
    for (const auto& s : plan.steps) {
      auto recorded = rs.journal->Find(s.key);
      if (recorded && *recorded && (*recorded)->status == StepStatus::kDone) continue;
      if (!started) started = true;
      ui.DryRun(s.action);
    }
    return ResponseStatus::kDone;
  }
  if (!ui.Confirm(rs.Header("recover"), plan.steps)) return ResponseStatus::kRefused;
  rs.Custody("recover-started", json{{"function", function}, {"round", round}, {"steps", plan.steps.size()}}.dump(), ui);
  StepRun runner(*rs.journal, request.common.jobs, [&](const StepOutcome& o) { ui.Outcome(o); });
  runner.Add(plan.steps);
  const auto outcomes = runner.Wait();
  const RunSummary summary = Summarize(outcomes);
  ReportSummary(summary, rs.actor, ui);
  ResponseStatus status = AllDone(summary) ? ResponseStatus::kDone : summary.changed + summary.done_before > 0 ? ResponseStatus::kPartial
                                                                                                             : ResponseStatus::kFailed;
  if (status == ResponseStatus::kDone) {
    // Every change undone: close the round, so a later containment starts afresh.
    auto marker = RunSteps(*rs.journal, {RecoveryCompleteStep(ctx)}, 1, nullptr);
    if (marker.front().kind == StepOutcomeKind::kFailed) status = ResponseStatus::kCaseError;
  }
  rs.Custody("recover-finished",
             json{{"function", function}, {"round", round}, {"changed", summary.changed}, {"failed", summary.failed},
                  {"not_tried", summary.skipped}}.dump(),
             ui);
  return status;
}

}  // namespace lir
