// contain --check: whether the caller may make each planned change, asked of IAM's policy
// simulator (SimulatePrincipalPolicy) for the caller's user or role, before anything changes.
// Reads are not simulated: --check tries them for real. The simulator sees identity policies
// and permission boundaries, not service control policies or resource policies.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "response/aws_calls.h"

namespace lir {

enum class Verdict { kAllowed, kDenied, kUnknown };

struct ActionVerdict {
  Verdict verdict = Verdict::kUnknown;
  std::string why;  // denied: IAM's decision (implicitDeny, explicitDeny); unknown: why the simulator was not asked
};

// The caller's IAM principal: a user's ARN as is; an assumed role's session becomes its role's ARN.
std::string PolicySourceOf(AwsCalls& calls, const std::string& caller_arn);

// `actions` like lambda:PutFunctionConcurrency, on any resource.
std::map<std::string, ActionVerdict> SimulateActions(AwsCalls& calls, const std::string& policy_source,
                                                     const std::vector<std::string>& actions);

}  // namespace lir
