#include "response/contain.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <mutex>
#include <set>
#include <thread>

#include "core/aws_cli_line.h"
#include "core/json_util.h"
#include "core/task_pool.h"
#include "response/permission_check.h"
#include "response/response_report.h"

namespace lir {

using nlohmann::json;

namespace {

bool IsRoleLevel(const std::string& key, const std::string& prefix) {
  const std::string kind = KindAndId(key, prefix).first;
  return kind == kKindDenyPolicy || kind == kKindRevokeSessions;
}

// Functions contained together that share a role each record their own policy step (so the
// role stays denied until the last of them is recovered), one after another: the later ones
// find lambda-ir's own policy in place, which is no state to restore.
std::vector<ResponseStep> RestOfAll(std::vector<FunctionContainment>& all, Journal* journal) {
  std::vector<ResponseStep> steps;
  std::map<std::string, std::string> first_of_role;  // kind|role -> the key of the first step putting it
  for (auto& fc : all) {
    if (journal) CarryUnrestoredPriors(*journal, fc.function, fc.round, &fc.rest);
    for (auto& s : fc.rest) {
      if (IsRoleLevel(s.key, fc.ctx.key_prefix)) {
        auto [first, inserted] = first_of_role.emplace(KindAndId(s.key, fc.ctx.key_prefix).first + "|" + fc.role_arn, s.key);
        if (!inserted) s.after.push_back(first->second);
      }
      steps.push_back(std::move(s));
    }
    fc.rest.clear();
  }
  return steps;
}

// Every function's reserved 0 first, then the rest of each throttle: with few workers, or one,
// no function waits for another's snapshot to be stopped.
std::vector<ResponseStep> ThrottleOfAll(std::vector<FunctionContainment>& all, Journal* journal) {
  std::vector<ResponseStep> first, then;
  for (auto& fc : all) {
    if (journal) CarryUnrestoredPriors(*journal, fc.function, fc.round, &fc.throttle);
    for (auto& s : fc.throttle) (RoundKeyKind(s.key) == kKindReserved ? first : then).push_back(std::move(s));
    fc.throttle.clear();
  }
  for (auto& s : then) first.push_back(std::move(s));
  return first;
}

// Changes only (the snapshot and failed reads are no aws CLI line), in the order they run.
void PrintDryRun(ResponseSession& rs, std::vector<ResponseStep> steps, ResponseUi& ui) {
  OrderByPhase(&steps);
  size_t done = 0;
  for (const auto& s : steps) {
    if (!s.journaled) {
      if (s.key.find("/plan/") != std::string::npos) ui.Warning(fmt::format("{}: cannot be planned (see --check)", s.summary));
      continue;
    }
    if (rs.journal) {
      auto recorded = rs.journal->Find(s.key);
      if (recorded && *recorded && (*recorded)->status == StepStatus::kDone) {
        ++done;
        continue;
      }
    }
    if (!s.held_back.empty()) {
      ui.Warning(fmt::format("held back: {}: {}", s.summary, s.held_back));
      continue;
    }
    ui.DryRun(s.action);
  }
  if (done > 0) ui.Warning(fmt::format("({} steps already done by an earlier run: not listed)", done));
}

// --check: what each planned step would do, and whether IAM would let the caller.
ResponseStatus Preflight(ResponseSession& rs, std::vector<ResponseStep> steps, ResponseUi& ui) {
  std::vector<std::string> actions;
  for (const auto& s : steps) {
    if (const StepKind* kind = FindStepKind(RoundKeyKind(s.key))) {
      for (const auto& op : kind->simulated) {
        const std::string action = aws::IamActionOf(op.service, op.name);
        if (std::find(actions.begin(), actions.end(), action) == actions.end()) actions.push_back(action);
      }
    }
  }
  const std::string source = PolicySourceOf(*rs.calls, rs.actor);
  const auto verdicts = SimulateActions(*rs.calls, source, actions);
  size_t would_fail = 0, unknown = 0, changes = 0;
  bool throttle_ok = true, throttle_planned = false;
  OrderByPhase(&steps);
  for (const auto& s : steps) {
    if (s.key.ends_with("/snapshot") || s.key.ends_with("/packages")) continue;
    ++changes;
    std::string line;
    if (!s.journaled) {
      // A planning read that failed: run it now to say why.
      auto r = s.apply(json());
      line = fmt::format("  cannot   {}: {} ({})", s.summary, r ? "?" : r.error().message, r ? "" : aws::RemedyFor(r.error()));
      ++would_fail;
    } else if (!s.held_back.empty()) {
      line = fmt::format("  held     {}: {}", s.summary, s.held_back);
      ++would_fail;
    } else {
      const StepKind* kind = FindStepKind(RoundKeyKind(s.key));
      std::vector<std::string> denied, unsure;
      for (const auto& op : kind ? kind->simulated : std::vector<OperationRef>{}) {
        const std::string action = aws::IamActionOf(op.service, op.name);
        const auto& v = verdicts.at(action);
        if (v.verdict == Verdict::kDenied) denied.push_back(action);
        if (v.verdict == Verdict::kUnknown) unsure.push_back(v.why);
      }
      if (!denied.empty()) {
        line = fmt::format("  denied   {}: needs {}", s.summary, fmt::join(denied, ", "));
        ++would_fail;
      } else if (!unsure.empty()) {
        line = fmt::format("  unknown  {}: {}", s.summary, unsure.front());
        ++unknown;
      } else {
        line = fmt::format("  allowed  {}", s.summary);
      }
      if (kind != nullptr && std::string(kind->kind) == kKindReserved) {
        throttle_planned = true;
        throttle_ok = denied.empty();
      }
    }
    ui.Info(line);
  }
  ui.Info(fmt::format("{} steps: {} would fail or are held back, {} not known (checked as {})", changes, would_fail, unknown, source));
  if (throttle_planned && !throttle_ok) return ResponseStatus::kFailed;
  return would_fail > 0 ? ResponseStatus::kPartial : ResponseStatus::kDone;
}

// The end of a run: snapshot problems, counts and what next, the status, the custody line.
ResponseStatus Conclude(ResponseSession& rs, const std::vector<StepOutcome>& outcomes, const ContainOptions& options,
                        std::vector<FunctionContainment>& all, ResponseUi& ui) {
  // Reads the snapshot was refused: the function is contained all the same, but the case lacks
  // them, and the run says so (exit 9) with what to grant and how to add them.
  std::vector<std::string> next;
  for (auto& fc : all) {
    const CollectionOutcome snapshot = fc.snapshot->Outcome();
    for (const auto& f : snapshot.failures) ui.Warning(fmt::format("{}: snapshot: {}", fc.function, f));
    if (snapshot.failures.empty()) continue;
    // The collect command acts where this function is: its region, profile and endpoint.
    std::string where;
    for (const auto& [flag, value] : {std::pair{"--profile", fc.ctx.cli.profile}, std::pair{"--region", fc.ctx.cli.region},
                                      std::pair{"--endpoint-url", fc.ctx.cli.endpoint_url}}) {
      if (!value.empty()) where += fmt::format(" {} {}", flag, ShellQuote(value));
    }
    next.push_back(fmt::format(
        "Next: the case lacks what the snapshot of {} could not read (above): {}`lambda-ir collect {} --case NEW_DIR{}` preserves "
        "it, as it is by then, in a case of its own (running contain again does not).",
        fc.function,
        snapshot.refused.empty() ? "" : fmt::format("grant {} to {}, then ", fmt::join(snapshot.refused, ", "), rs.actor),
        ShellQuote(fc.function), where));
  }
  const RunSummary summary = Summarize(outcomes);
  ReportSummary(summary, rs.actor, ui);
  for (const std::string& line : next) ui.Info(line);
  // Contained means throttled: the first duty. A function still running the attacker's code
  // fails the run, whatever else was done.
  bool every_function_throttled = true;
  for (const auto& fc : all) {
    bool done = false;
    for (const auto& o : outcomes) {
      if (o.key == fc.ctx.key_prefix + kKindReserved && (o.kind == StepOutcomeKind::kDone || o.kind == StepOutcomeKind::kAlreadyDone)) done = true;
    }
    if (options.groups.count("throttle")) {
      every_function_throttled = every_function_throttled && done;
      ui.Info(done ? fmt::format("{}: contained (reserved concurrency 0)", fc.function)
                   : fmt::format("{}: NOT contained: reserved concurrency 0 did not land", fc.function));
    }
  }
  const ResponseStatus status = !every_function_throttled    ? ResponseStatus::kFailed
                                : AllDone(summary) && next.empty() ? ResponseStatus::kDone
                                                                   : ResponseStatus::kPartial;
  rs.Custody("contain-finished",
             json{{"functions", rs.functions}, {"changed", summary.changed}, {"failed", summary.failed}, {"not_tried", summary.skipped}}.dump(),
             ui);
  return status;
}

}  // namespace

ResponseStatus RunContain(aws::AwsSession& session, const ContainRequest& request, ResponseUi& ui) {
  ResponseRequest common = request.common;
  if (request.check) common.dry_run = true;  // reads only: no case, no journal written
  auto opened = OpenResponseSession(session, common, "contain", /*create_case=*/true);
  if (!opened) {
    ui.Warning(opened.error().message);
    return opened.error().status;
  }
  ResponseSession& rs = **opened;
  ContainOptions options = request.options;
  options.jobs = common.jobs;
  options.packages = !common.skip_packages;
  const bool run = !common.dry_run;
  if (rs.evidence) ui.Info(fmt::format("case {}", rs.evidence->dir()));

  // Each function's containment: its round, the journal's record of it, its snapshot.
  std::vector<FunctionContainment> all(rs.functions.size());
  std::set<std::string> contained;
  for (size_t i = 0; i < all.size(); ++i) {
    FunctionContainment& fc = all[i];
    fc.function = rs.functions[i];
    fc.round = NextContainRound(rs.journal.get(), fc.function);
    fc.ctx = rs.Context(ContainPrefix(fc.function, fc.round), common);
    fc.ctx.function = fc.function;
    if (rs.journal) {
      auto recorded = rs.journal->Steps(fc.ctx.key_prefix);
      if (recorded) fc.recorded = std::move(*recorded);
    }
    CollectOptions collect;
    collect.packages = !common.skip_packages;
    collect.jobs = common.jobs;
    collect.throttle_in_flight = true;
    const bool store = rs.evidence && !HasFunctionSnapshot(rs.evidence->dir(), fc.function);
    fc.snapshot = std::make_shared<FunctionSnapshot>(session, rs.evidence.get(), fc.function, collect, store);
    contained.insert(fmt::format("{} ({})", fc.function, rs.region));
  }
  auto plan_all = [&](const std::function<void(FunctionContainment&)>& plan) {
    TaskPool pool(std::min<int>(common.jobs, static_cast<int>(all.size())));
    for (auto& fc : all) pool.Submit([&plan, &fc] { plan(fc); });
    pool.Wait();
  };
  auto warn_all = [&] {
    for (auto& fc : all) {
      for (const auto& w : fc.warnings.Take()) ui.Warning(fmt::format("{}: {}", fc.function, w));
    }
  };
  const TimestampMs now = NowMs();
  const PlanHeader header = rs.Header("contain");
  if (!run || ui.attended()) {
    // The whole plan is read first: printed (dry run), checked, or shown for confirmation.
    plan_all([&](FunctionContainment& fc) { PlanThrottle(&fc, options); });
    plan_all([&](FunctionContainment& fc) { PlanRest(&fc, options, contained, now); });
    warn_all();
    // The plan shows each change as before -> after: the reserved value is read by now.
    for (auto& fc : all) {
      const auto function = fc.snapshot->Function();
      for (auto& s : fc.throttle) {
        if (function && s.describe && RoundKeyKind(s.key) == kKindReserved) s.summary = s.describe(JAt(*function, "Concurrency"));
      }
    }
    std::vector<ResponseStep> steps = ThrottleOfAll(all, rs.journal.get());
    for (auto& s : RestOfAll(all, rs.journal.get())) steps.push_back(std::move(s));
    if (request.check) return Preflight(rs, std::move(steps), ui);
    if (!run) {
      PrintDryRun(rs, std::move(steps), ui);
      return ResponseStatus::kDone;
    }
    std::vector<ResponseStep> shown = steps;  // shown in the order a person runs them by hand,
    OrderByPhase(&shown);                      // run with every reserved 0 first
    if (!ui.Confirm(header, shown)) return ResponseStatus::kRefused;
    rs.Custody("contain-started", json{{"functions", rs.functions}, {"steps", steps.size()}}.dump(), ui);
    StepRun runner(*rs.journal, common.jobs, [&](const StepOutcome& o) { ui.Outcome(o); });
    runner.Add(std::move(steps));
    return Conclude(rs, runner.Wait(), options, all, ui);
  }

  // Unattended: the throttle goes now; the rest is planned while it lands.
  if (!ui.Confirm(header, {})) return ResponseStatus::kRefused;
  rs.Custody("contain-started", json{{"functions", rs.functions}}.dump(), ui);
  StepRun runner(*rs.journal, common.jobs, [&](const StepOutcome& o) { ui.Outcome(o); });
  for (auto& fc : all) {
    PlanThrottle(&fc, options, [&runner, &fc, journal = rs.journal.get()](std::vector<ResponseStep> steps) {
      CarryUnrestoredPriors(*journal, fc.function, fc.round, &steps);
      runner.Add(std::move(steps));
    });
  }
  runner.Add(ThrottleOfAll(all, rs.journal.get()));
  plan_all([&](FunctionContainment& fc) { PlanRest(&fc, options, contained, now); });
  warn_all();
  runner.Add(RestOfAll(all, rs.journal.get()));
  auto outcomes = runner.Wait();
  warn_all();
  return Conclude(rs, outcomes, options, all, ui);
}

}  // namespace lir
