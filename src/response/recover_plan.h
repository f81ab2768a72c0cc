// Plans a recovery from what containment recorded in the journal: each change undone to
// exactly its prior state, in an order that lets events flow only once the function can
// run (role policy, then reserved, then provisioned concurrency, then mappings).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "response/journal.h"
#include "response/steps.h"

namespace lir {

struct RecoveryPlan {
  std::vector<ResponseStep> steps;
  std::vector<std::string> kept;        // changes deliberately left in place, with why
  std::vector<std::string> unfinished;  // contain steps never started past their intent: nothing to undo
};

// `contained` are the journal's steps under `contain_prefix`; `ctx.key_prefix` is the recovery's.
// `held` maps a role to another function whose open containment still denies it: that deny
// policy stays until the last of them is recovered.
RecoveryPlan PlanRecovery(const StepContext& ctx, const std::vector<JournalStep>& contained, const std::string& contain_prefix,
                          const std::map<std::string, std::string>& held = {});

// Roles denied by open containments (not yet recovered) of functions other than `function`,
// each with one such function, from the whole journal. A function eradicate deleted holds
// nothing: its containment ended with it.
std::map<std::string, std::string> RolesHeldByOtherContainments(const std::vector<JournalStep>& journal, const std::string& function);

// The last step of a recovery: its being done closes the containment round.
ResponseStep RecoveryCompleteStep(const StepContext& ctx);

}  // namespace lir
