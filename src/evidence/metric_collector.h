// CloudWatch metrics of the function for the window and a baseline before it (default 7
// days): Invocations, Errors, Throttles, Duration (average, p99, maximum),
// ConcurrentExecutions and the function URL counters, via GetMetricData, stored as received.
#pragma once

#include <string>

#include "aws/aws_session.h"
#include "evidence/case.h"
#include "evidence/function_collector.h"
#include "evidence/trail_collector.h"

namespace lir {

inline constexpr int64_t kDefaultBaselineMs = 7LL * 24 * 3600 * 1000;

std::string MetricArtifactStem(const std::string& function, const char* part);  // part: window | baseline

void CollectFunctionMetrics(aws::AwsSession& session, EvidenceCase& evidence, const std::string& function,
                            const TrailWindow& window, int64_t baseline_ms, CollectionOutcome* outcome);

}  // namespace lir
