// How a response run is told at its end: counts, and what to do next, from the outcomes'
// error kinds (decided once in aws/): the IAM actions to grant the caller, credentials to
// refresh, or simply running the same command again, which repeats no finished step.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "response/response_ui.h"
#include "response/step_runner.h"

namespace lir {

struct RunSummary {
  size_t changed = 0, unchanged = 0, done_before = 0, failed = 0, skipped = 0;
  std::set<std::string> grant;  // IAM actions a denied step or read needed
  bool rerun = false;           // a transient failure: the same command again completes it
  bool credentials = false;     // unauthenticated: refresh the credentials first
  std::vector<std::string> unsupported;  // operations the endpoint lacks
};

RunSummary Summarize(const std::vector<StepOutcome>& outcomes);

// "4 changed, 2 already as wanted, 1 done by an earlier run, 1 failed, 2 not tried" (the
// second part only when some are) and the "Next:" lines.
void ReportSummary(const RunSummary& summary, const std::string& caller, ResponseUi& ui);

// Every journaled step done (or done before) and no task failed.
bool AllDone(const RunSummary& summary);

}  // namespace lir
