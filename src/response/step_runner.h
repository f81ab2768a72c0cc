// Runs response steps through the journal: for each step, record the intent, record the
// state it will change (the first recorded wins), make the change, record the result, and
// only then count it done. A step the journal has as done is not run again. Independent
// steps run concurrently; a step starts as soon as the steps it waits for end, and steps
// can be added while others run (containment throttles first, then plans the rest).
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "response/journal.h"

namespace lir {

class TaskPool;

struct ResponseStep {
  std::string key;      // journal key, e.g. contain/payments/r1/reserved-concurrency
  std::string action;   // the equivalent aws CLI command line(s)
  std::string summary;  // the change for a person: "reserved concurrency of payments: 7 -> 0"
  // The summary once the prior is read, when the plan could not know the "before" yet.
  std::function<std::string(const nlohmann::json& prior)> describe;
  int phase = 0;        // display order (how --dry-run lists the lines); consistent with the waits below
  // Starts only once every step whose key starts with one of these has ended, however it ended.
  std::vector<std::string> after;
  // The same, and the step is skipped (not tried, said why) when one of them failed or was skipped.
  std::vector<std::string> needs;
  // A change that something else may block: when `apply` fails with an error `blocked_by`
  // accepts, the step waits for the steps matching `retry_after` and applies once more.
  // (Reserved concurrency 0 goes first; a provisioned config refuses it until removed.)
  std::vector<std::string> retry_after;
  std::function<bool(const Error&)> blocked_by;
  // Reads the state the step changes, as JSON (what recovery restores). Null: `known_prior` is it.
  std::function<Result<nlohmann::json>()> read_prior;
  nlohmann::json known_prior;
  // Makes the change, given the prior state as first recorded; idempotent (a rerun after a
  // crash may find the change made already). Returns what to record as the result.
  std::function<Result<nlohmann::json>(const nlohmann::json& prior)> apply;
  // False for work that is no change (the snapshot a change waits for): run in order with the
  // steps, its outcome reported, but nothing journaled and no crash points.
  bool journaled = true;
  // Set when a safety check holds the change back (a shared role): the step is not tried and
  // ends skipped with this reason, which says how to allow it.
  std::string held_back;
};

enum class StepOutcomeKind { kDone, kAlreadyDone, kFailed, kSkipped };

struct StepOutcome {
  std::string key, action, summary;
  bool journaled = true;  // false: a task that is no change (the snapshot, a planning read)
  StepOutcomeKind kind = StepOutcomeKind::kFailed;
  nlohmann::json prior, result;
  std::string error;  // failed: what went wrong; skipped: why it was not tried
  Error cause{ErrorCode::kInternal, ""};  // failed: the error itself (its kind, operation, IAM action)
};

// One run of steps through a journal. Add() may be called while earlier steps run, from
// any thread; a new step's waits are matched against every step added so far and those
// added with it. Wait() returns once every added step has ended.
class StepRun {
 public:
  // `on_outcome` is called as each step ends, one at a time; it must not call back into the run.
  StepRun(Journal& journal, int jobs, std::function<void(const StepOutcome&)> on_outcome = nullptr);
  ~StepRun();
  StepRun(const StepRun&) = delete;
  StepRun& operator=(const StepRun&) = delete;

  void Add(std::vector<ResponseStep> steps);
  // Every step's outcome, in the order added.
  std::vector<StepOutcome> Wait();
  // Blocks until the step with this key has ended (false if no such step was added).
  bool WaitFor(const std::string& key);

 private:
  struct Node;
  void Start(size_t i);
  void Ended(size_t i, StepOutcome outcome);
  bool Park(size_t i);    // a blocked step waits for what may unblock it; false: nothing left to wait for
  void Resume(size_t i);  // a blocked step's second attempt, once nothing it waits for runs

  Journal& journal_;
  std::function<void(const StepOutcome&)> on_outcome_;
  std::mutex mutex_;
  std::condition_variable ended_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::unique_ptr<TaskPool> pool_;
};

// All at once: the steps added to a new run, and their outcomes once all have ended.
std::vector<StepOutcome> RunSteps(Journal& journal, const std::vector<ResponseStep>& steps, int jobs,
                                  const std::function<void(const StepOutcome&)>& on_outcome);

// Sorts steps into the order they run (by phase, stable): how plans are shown, so that
// the printed aws CLI lines, run one after another by hand, work too.
void OrderByPhase(std::vector<ResponseStep>* steps);

// Test hook for the crash tests: with LAMBDA_IR_TEST_CRASH_AT=N in the environment, the
// process kills itself (SIGKILL, no cleanup) at the Nth point between journal writes and
// changes. Unset, it does nothing.
void CrashPoint();

}  // namespace lir
