// When AWS stops patching each Lambda runtime, from the dated table in
// rules/lambda_config_runtime_deprecated/runtimes.yaml (data, not code: it changes often).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/config_analysis.h"
#include "analysis/finding.h"
#include "core/time.h"

namespace lir {

// The runtime's deprecation date, or nothing for a runtime the table does not know.
std::optional<TimestampMs> RuntimeDeprecationDate(const std::string& runtime);

// lambda_config_runtime_deprecated for the function's runtime, judged at collection time.
std::vector<Finding> CheckRuntimeSupport(const FunctionEvidence& evidence);

}  // namespace lir
