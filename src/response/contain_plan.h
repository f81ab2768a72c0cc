// Plans a containment from the function's live state, in two parts. The throttle comes
// from two reads (the function, which the snapshot stores first, and its provisioned
// configs) so that reserved concurrency 0 lands one round trip after them. The rest
// (mappings, the role's deny, URLs, statements, destinations) is planned from reads that
// run while the throttle lands; every such read is best-effort: its failure becomes a failed
// task naming what is missing, and the other steps go on. Reads only; the steps change.
#pragma once

#include <memory>
#include <mutex>
#include <utility>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "evidence/function_collector.h"
#include "response/journal.h"
#include "response/shared_role.h"
#include "response/step_kinds.h"
#include "response/steps.h"

namespace lir {

struct ContainOptions {
  std::set<std::string> groups = kDefaultContainGroups;  // contain --steps
  bool allow_shared_role = false;
  std::string deny_policy_name = kDenyAllPolicyName;
  std::string on_failure_destination;  // ARN: keeps throttled async events (and replaces a foreign one)
  int jobs = 8;
  bool packages = true;  // download the packages into the snapshot (last)
};

// Warnings gathered while planning, from any thread (a task lists provisioned configs while
// the rest is planned); taken by whoever prints them.
class Warnings {
 public:
  void Add(std::string text) {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(text));
  }
  std::vector<std::string> Take() {
    std::lock_guard lock(mutex_);
    return std::exchange(lines_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

// One function's containment as it is planned and run.
struct FunctionContainment {
  std::string function;  // name
  int round = 1;
  StepContext ctx;  // key prefix contain/NAME/rN/
  std::shared_ptr<FunctionSnapshot> snapshot;
  std::vector<JournalStep> recorded;   // this round's journal, for steps whose target vanished
  std::vector<ResponseStep> throttle;  // the snapshot task, reserved 0, provisioned removals, packages
  std::vector<ResponseStep> rest;
  Warnings warnings;
  std::string function_arn, role_arn;
  bool provisioned_listed = true;  // false: ListProvisionedConcurrencyConfigs failed (the reserved step may be blocked)
  std::string provisioned_problem;
};

// The snapshot's task key (no change, not journaled; evidence-rewriting steps wait for it).
std::string SnapshotKey(const StepContext& ctx);

// The snapshot task and reserved 0, and the provisioned configs' removals: listed now, or,
// with `add_later`, by a task that lists them and hands their steps to `add_later` (the
// unattended run: reserved 0 does not wait for the list; a config that blocks it is
// removed, then reserved 0 is applied again).
void PlanThrottle(FunctionContainment* fc, const ContainOptions& options,
                  std::function<void(std::vector<ResponseStep>)> add_later = nullptr);
// `contained`: every function of this command as "NAME (REGION)": not "other users" of a role.
void PlanRest(FunctionContainment* fc, const ContainOptions& options, const std::set<std::string>& contained, TimestampMs now);

// A task that fails with `error` when run: a planning read that failed, reported with the
// outcomes (what is missing, what to grant) and counted, never journaled.
ResponseStep FailedPlanTask(const StepContext& ctx, const std::string& what, const std::string& summary, const Error& error);

// Containment rounds: a function contained, recovered and contained again gets a new round
// with fresh steps, the old record kept. The latest round with contain steps (0 for none) is
// the one recover undoes; contain starts a new one as soon as that round's recovery has begun
// (even if it did not finish: its "done" steps may have been undone since).
int LatestContainRound(Journal* journal, const std::string& function);
int NextContainRound(Journal* journal, const std::string& function);
// In a new round, what the previous round changed and recovery never put back is still
// changed: its prior (the state before any of it) is the one to record, not what is live now.
void CarryUnrestoredPriors(Journal& journal, const std::string& function, int round, std::vector<ResponseStep>* steps);
std::string ContainPrefix(const std::string& function, int round);
std::string RecoverPrefix(const std::string& function, int round);

}  // namespace lir
