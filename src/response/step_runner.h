// Runs a plan of response steps through the journal: for each step, record the intent,
// record the state it will change (the first recorded wins), make the change, record the
// result, and only then count it done. A step the journal has as done is not run again.
// Independent steps run concurrently; a step starts as soon as the steps it is after end.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "response/journal.h"

namespace lir {

struct ResponseStep {
  std::string key;     // journal key, e.g. contain/payments/r1/reserved-concurrency
  std::string action;  // the equivalent aws CLI command line
  int phase = 0;       // display order (how --dry-run lists the lines); consistent with `after`
  // Runs only once every step of the plan whose key starts with one of these has ended
  // (reserved concurrency 0 after the provisioned configs are gone); the rest run at once.
  std::vector<std::string> after;
  // Reads the state the step changes, as JSON (what recovery restores). Null: `known_prior` is it.
  std::function<Result<nlohmann::json>()> read_prior;
  nlohmann::json known_prior;
  // Makes the change, given the prior state as first recorded; idempotent (a rerun after a
  // crash may find the change made already). Returns what to record as the result.
  std::function<Result<nlohmann::json>(const nlohmann::json& prior)> apply;
};

enum class StepOutcomeKind { kDone, kAlreadyDone, kFailed };

struct StepOutcome {
  std::string key, action;
  StepOutcomeKind kind = StepOutcomeKind::kFailed;
  nlohmann::json prior, result;
  std::string error;  // when failed
};

// `on_outcome` is called as each step ends (from worker threads, one at a time).
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
