// GetMetricData queries of a function's AWS/Lambda metrics, as query-protocol form fields
// (MetricDataQueries.member.N...), shared by evidence collection and post-incident alarms.
#pragma once

#include <cstdint>
#include <string_view>

#include "aws/api_caller.h"

namespace lir::aws {

// Appends query number `index` (1-based): `stat` of `metric` for FunctionName=`function`.
void AddLambdaMetricQuery(CallParams* params, int index, std::string_view id, std::string_view metric, std::string_view stat,
                          std::string_view function, int64_t period_seconds);

}  // namespace lir::aws
