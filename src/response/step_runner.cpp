#include "response/step_runner.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <map>
#include <mutex>

#include "core/task_pool.h"

namespace lir {

void CrashPoint() {
  static const long crash_at = [] {
    const char* v = std::getenv("LAMBDA_IR_TEST_CRASH_AT");
    return v ? std::atol(v) : 0L;
  }();
  static std::atomic<long> reached{0};
  if (crash_at > 0 && ++reached == crash_at) std::raise(SIGKILL);
}

namespace {

using nlohmann::json;

StepOutcome RunOne(Journal& journal, const ResponseStep& step) {
  StepOutcome out{step.key, step.action};
  auto fail = [&](const std::string& message) {
    out.kind = StepOutcomeKind::kFailed;
    out.error = message;
    (void)journal.Finish(step.key, StepStatus::kFailed, json{{"error", message}}.dump());
    return out;
  };
  auto begun = journal.Begin(step.key, step.action);
  if (!begun) return fail(begun.error().message);
  if (begun->status == StepStatus::kDone) {
    out.kind = StepOutcomeKind::kAlreadyDone;
    out.prior = json::parse(begun->prior_state, nullptr, false);
    out.result = json::parse(begun->result, nullptr, false);
    return out;
  }
  CrashPoint();
  // The state before the change: read now, but a prior recorded by an interrupted run wins,
  // since what is there now may be our own change.
  json prior = step.known_prior;
  if (begun->prior_state.empty()) {
    if (step.read_prior) {
      auto read = step.read_prior();
      if (!read) return fail(read.error().message);
      prior = std::move(*read);
    }
    if (auto r = journal.RecordPrior(step.key, prior.dump()); !r) return fail(r.error().message);
    CrashPoint();
  } else {
    prior = json::parse(begun->prior_state, nullptr, false);
  }
  out.prior = prior;
  auto applied = step.apply(prior);
  if (!applied) return fail(applied.error().ToString());
  CrashPoint();
  out.result = std::move(*applied);
  if (auto r = journal.Finish(step.key, StepStatus::kDone, out.result.dump()); !r) return fail(r.error().message);
  out.kind = StepOutcomeKind::kDone;
  CrashPoint();
  return out;
}

}  // namespace

void OrderByPhase(std::vector<ResponseStep>* steps) {
  std::stable_sort(steps->begin(), steps->end(), [](const ResponseStep& a, const ResponseStep& b) { return a.phase < b.phase; });
}

std::vector<StepOutcome> RunSteps(Journal& journal, const std::vector<ResponseStep>& steps, int jobs,
                                  const std::function<void(const StepOutcome&)>& on_outcome) {
  std::map<int, std::vector<size_t>> phases;
  for (size_t i = 0; i < steps.size(); ++i) phases[steps[i].phase].push_back(i);
  std::vector<StepOutcome> outcomes(steps.size());
  std::mutex report_mutex;
  for (const auto& [phase, indices] : phases) {
    TaskPool pool(jobs);
    for (size_t i : indices) {
      pool.Submit([&, i] {
        outcomes[i] = RunOne(journal, steps[i]);
        std::lock_guard lock(report_mutex);
        if (on_outcome) on_outcome(outcomes[i]);
      });
    }
    pool.Wait();
  }
  return outcomes;
}

}  // namespace lir
