// A function's CloudWatch Logs (JSON Lines collected into the case): Lambda platform lines
// (START, END, REPORT with durations and memory, INIT, EXTENSION, timeouts, runtime errors)
// and indicators in the function's own output: outbound addresses, credential access.
// Pure: reads lines, calls nothing. Secrets seen in lines are named, never reproduced.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/finding.h"

namespace lir {

struct LogLine {
  TimestampMs time = 0;
  std::string stream;
  std::string message;
  std::string reference;  // "artifacts/logs/x.jsonl#L12"
};

struct LogSummary {
  size_t lines = 0;
  size_t invocations = 0;   // REPORT lines
  size_t cold_starts = 0;   // REPORT lines with Init Duration
  size_t timeouts = 0;
  size_t errors = 0;
  double max_duration_ms = 0;
  double max_memory_used_mb = 0;
  double memory_size_mb = 0;
  std::vector<std::string> extensions;  // names from EXTENSION lines
  std::map<std::string, size_t> hosts;  // outbound addresses seen, with counts
};

struct LogAnalysis {
  LogSummary summary;
  std::vector<Finding> findings;
};

LogAnalysis AnalyzeLogLines(const std::string& function_arn, const std::vector<LogLine>& lines);

// Reads a collected JSON Lines file of FilterLogEvents events.
std::vector<LogLine> ReadLogJsonLines(const std::string& case_dir, const std::string& relative_path);

}  // namespace lir
