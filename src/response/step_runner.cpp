#include "response/step_runner.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
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
  // waits_for[i]: how many steps i is after; unblocks[j]: the steps waiting for j.
  std::vector<size_t> waits_for(steps.size(), 0);
  std::vector<std::vector<size_t>> unblocks(steps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    for (size_t j = 0; j < steps.size(); ++j) {
      if (i == j) continue;
      for (const std::string& prefix : steps[i].after) {
        if (steps[j].key.rfind(prefix, 0) == 0) {
          ++waits_for[i];
          unblocks[j].push_back(i);
          break;
        }
      }
    }
  }
  std::vector<StepOutcome> outcomes(steps.size());
  std::mutex mutex;
  TaskPool pool(jobs);
  std::function<void(size_t)> run = [&](size_t i) {
    StepOutcome outcome = RunOne(journal, steps[i]);
    std::vector<size_t> ready;
    {
      std::lock_guard lock(mutex);
      outcomes[i] = std::move(outcome);
      if (on_outcome) on_outcome(outcomes[i]);
      for (size_t k : unblocks[i]) {
        if (--waits_for[k] == 0) ready.push_back(k);
      }
    }
    for (size_t k : ready) pool.Submit([&run, k] { run(k); });
  };
  std::vector<size_t> initial;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (waits_for[i] == 0) initial.push_back(i);
  }
  for (size_t i : initial) pool.Submit([&run, i] { run(i); });
  pool.Wait();
  return outcomes;
}

}  // namespace lir
