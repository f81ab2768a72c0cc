// The function's CloudWatch Logs for the window, from its real log group
// (LoggingConfig.LogGroup, else /aws/lambda/NAME), up to a cap, kept as JSON Lines.
#pragma once

#include <string>

#include "aws/aws_session.h"
#include "evidence/case.h"
#include "evidence/function_collector.h"
#include "evidence/trail_collector.h"

namespace lir {

class ProgressMeter;

inline constexpr size_t kDefaultMaxLogEvents = 200'000;

std::string LogArtifactPath(const std::string& function);  // artifacts/logs/<function>/events.jsonl

void CollectFunctionLogs(aws::AwsSession& session, EvidenceCase& evidence, const std::string& function,
                         const std::string& log_group, const TrailWindow& window, size_t max_events, CollectionOutcome* outcome,
                         ProgressMeter* progress = nullptr);  // pages read, events kept

}  // namespace lir
