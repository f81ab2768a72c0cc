// Plans a containment from the function's live state: which provisioned configs, mappings,
// URLs and flagged statements exist, whether the role is shared, how async events fare at
// concurrency 0. Reads only; the plan's steps make the changes when run.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "response/journal.h"
#include "response/steps.h"

namespace lir {

struct ContainOptions {
  bool throttle = true;     // provisioned concurrency removed, reserved concurrency 0
  bool mappings = true;     // every event source mapping disabled
  bool deny = true;         // deny-all inline policy on the execution role
  bool url = false;         // function URLs switched to AWS_IAM
  bool statements = false;  // flagged resource-policy statements removed
  bool sessions = false;    // sessions issued before now denied (aws:TokenIssueTime)
  bool allow_shared_role = false;
  std::string deny_policy_name = kDenyAllPolicyName;
  std::string on_failure_destination;  // ARN: keeps throttled async events
  int jobs = 8;
};

// --steps: a comma list of throttle, mappings, deny, url, statements, sessions, or "all".
Result<void> ParseContainSteps(const std::string& list, ContainOptions* options);

struct ContainPlan {
  std::string function_arn, role_arn, role_name;
  std::vector<ResponseStep> steps;
  std::vector<std::string> warnings;
  std::vector<std::string> role_shared_with;  // other functions using the role
};

// `recorded` are this round's journal steps, so a step whose target vanished with an
// interrupted change is still completed with the prior it kept (and a finished one shown).
Result<ContainPlan> PlanContainment(const StepContext& ctx, const ContainOptions& options,
                                    const std::vector<JournalStep>& recorded, TimestampMs now);

// The containment round of a function: 1, or one more than the recoveries completed, so a
// function contained again after recovery gets fresh steps and keeps the old record.
int ContainmentRound(Journal* journal, const std::string& function);
std::string ContainPrefix(const std::string& function, int round);
std::string RecoverPrefix(const std::string& function, int round);

}  // namespace lir
