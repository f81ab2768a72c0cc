// The execution role's permissions as collected in a case (artifacts/iam/roles/<role>/): a
// policy that allows every action on every resource makes any code in the function an
// administrator of the account, whoever put it there.
#pragma once

#include <string>
#include <vector>

#include "analysis/config_analysis.h"
#include "analysis/finding.h"

namespace lir {

std::vector<Finding> AnalyzeRolePolicies(const std::string& case_dir, const FunctionEvidence& evidence);

}  // namespace lir
