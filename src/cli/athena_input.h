// analyze --athena DB.TABLE: the records query built from the loaded rules and the filters,
// started in Athena and waited for; its pages then stream into the scan like files.
#pragma once

#include <memory>

#include "analysis/engine.h"
#include "cli/analysis_runner.h"
#include "cli/aws_options.h"
#include "evidence/athena_trail_source.h"

namespace lir {

struct AthenaInput {
  std::unique_ptr<LiveSession> live;
  std::unique_ptr<AthenaTrailSource> source;
  std::vector<std::string> warnings;  // what the query cannot give the scan: for the report's issues
};

// What to do about a query Athena failed, from its reason.
std::string AthenaFailureRemedy(const std::string& reason);

// Runs the query (progress and cost on stderr). An error names the flag or Athena's reason.
Result<AthenaInput> RunAthenaQuery(const AnalyzeArgs& args, const ScanOptions& options, const std::vector<Rule>& rules);

}  // namespace lir
