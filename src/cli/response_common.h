// What contain, recover and eradicate share: the flags, the case with its configuration
// snapshot and journal, the caller identity as the actor, confirmation, and printing.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/aws_options.h"
#include "evidence/case.h"
#include "response/aws_calls.h"
#include "response/journal.h"
#include "response/step_runner.h"
#include "response/steps.h"

namespace CLI {
class App;
}

namespace lir {

struct ResponseArgs {
  AwsCliArgs aws;
  std::vector<std::string> functions;  // one, except for contain
  std::string case_dir;
  bool dry_run = false;
  bool yes = false;
  bool skip_packages = false;
  int jobs = 8;
  int wait_seconds = 300;
};

// `many`: the command takes several functions (contain does, at once).
void AddResponseOptions(CLI::App* command, ResponseArgs* args, bool many = false);

struct ResponseSession {
  std::unique_ptr<LiveSession> live;
  std::unique_ptr<AwsCalls> calls;
  std::string actor;  // the caller's ARN
  std::string function;  // the (first) function's name (an ARN given is reduced to its name)
  std::vector<std::string> functions;  // every function's name
  std::unique_ptr<EvidenceCase> evidence;  // null in --dry-run without a case
  std::unique_ptr<Journal> journal;        // likewise

  StepContext Context(const std::string& key_prefix, const ResponseArgs& args) const;
};

// Opens the session and, unless --dry-run, the case: created if missing, and each function's
// configuration snapshot collected into it first if it lacks one (env vars are recorded
// nowhere else). Prints the error and returns the exit code in `*exit_code` on failure.
// With `snapshot_now` false the caller runs EnsureSnapshots itself (contain overlaps it with
// its plan reads; no change may start before it succeeds).
std::unique_ptr<ResponseSession> OpenResponse(const ResponseArgs& args, const char* command, int* exit_code, bool snapshot_now = true);
// Collects the configuration snapshot of each function the case lacks; false (printed) if one fails.
bool EnsureSnapshots(ResponseSession& rs, const ResponseArgs& args, const char* command);

// Prints the plan; returns true to go on. --yes goes on; on a terminal, asks; else refuses.
bool ConfirmPlan(const ResponseArgs& args, const std::string& verb, const std::vector<ResponseStep>& steps);

// --dry-run: the aws CLI lines of the steps not already done (by the case's journal), in
// the order they run, on standard output and nothing else.
void PrintDryRun(ResponseSession& rs, const std::vector<ResponseStep>& steps);

// Lists the plan's steps, one aws CLI command per line (a step may take several).
void PrintPlan(const std::vector<ResponseStep>& steps);

// The end every response command shares: the plan listed, confirmed, recorded in the custody
// log, run through the journal, each outcome printed. `then` (may be null) runs after the
// steps with their exit code and returns the final one. Returns the exit code.
int ExecutePlan(ResponseSession& rs, const ResponseArgs& args, const std::string& command, const std::vector<ResponseStep>& steps,
                nlohmann::json detail, const std::function<int(int)>& then = nullptr);

// Prints each step's outcome as it ends; returns the exit code for the whole run.
int ReportOutcomes(const std::vector<StepOutcome>& outcomes);
void PrintOutcome(const StepOutcome& outcome);

}  // namespace lir
