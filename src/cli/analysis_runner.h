// analyze's steps, shared with investigate (which collects first, then analyses the case).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/engine.h"
#include "report/report.h"
#include "sources/input_buffer.h"

namespace CLI {
class App;
}

namespace lir {

struct AnalyzeArgs {
  std::vector<std::string> paths;
  std::string since, until, function, account, region;
  std::string accounts;  // ID,ID,... or all
  int jobs = 0;
  std::vector<std::string> rule_dirs;
  std::vector<std::string> sigma_dirs;
  bool with_sigma = false;  // the bundled SigmaHQ rules too
  std::string format = "text";  // a name in ReportFormats()
  std::string out;
  bool force = false;  // --out may replace an existing file
  std::string fail_on;
  std::string min_severity = "info";
  std::string color = "auto";
  size_t timeline_limit = 200;
  bool all = false;  // routine findings in full
  std::string timeline = "default";  // --timeline default|all
  uint64_t max_input_bytes = kDefaultMaxDecodedBytes;
  bool reveal_secrets = false;
  bool index = false;  // (re)build each case's index.sqlite
  std::string known_good;  // directory, zip, or git:REPO@REF[:SUBDIR]
  bool quiet = false;      // no progress line
  bool no_prefilter = false;  // the reference mode: every rule tried on every record
  // s3:// inputs: how to reach S3 (--profile, --endpoint-url, --s3-region, --debug).
  std::string profile, endpoint_url, s3_region;
  bool debug = false;
  // --athena DB.TABLE: the records the rules may match, queried where the archive lives.
  std::string athena, workgroup, output_location, athena_region;
  std::string athena_partitions = "account,region,timestamp";
  int64_t athena_timeout_s = 1800;  // then StopQueryExecution
};

struct AnalysisRun {
  ScanOptions options;
  std::optional<Severity> fail_on;
  std::vector<std::string> case_dirs;
  AnalysisResult result;
  ReportContext context;
};

// The options' own mistakes, found before any work: --reveal-secrets with a format made to
// be uploaded (SARIF, ASFF, OCSF). investigate asks before it collects.
Result<void> CheckReportArgs(const AnalyzeArgs& args);

Result<AnalysisRun> ExecuteAnalysis(const AnalyzeArgs& args);
int EmitAnalysis(const AnalyzeArgs& args, const AnalysisRun& run);  // prints; returns the exit code
void AddReportOptions(CLI::App* command, AnalyzeArgs* args);

}  // namespace lir
