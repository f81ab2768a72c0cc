// The offline analysis engine: reads CloudTrail inputs in parallel, evaluates the rules on
// every record as it streams past, keeps only what matters (matched events, Lambda and
// role changes), then applies the rules that need the whole scan (context, thresholds).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/finding.h"
#include "analysis/function_history.h"
#include "analysis/rule.h"
#include "analysis/threshold_hits.h"
#include "core/severity.h"
#include "sources/cloudtrail_reader.h"
#include "sources/event.h"
#include "sources/input_files.h"
#include "sources/record_sink.h"

namespace lir {

class InputStream;
class ProgressMeter;

struct ScanOptions {
  std::optional<TimestampMs> since;
  std::optional<TimestampMs> until;
  std::vector<std::string> accounts;  // keep only these accounts' events (empty: every account)
  std::string region;    // keep only this region's events
  std::string function;  // name or ARN: the function view
  int jobs = 0;          // 0: one per core
  ReaderOptions reader;
  size_t max_issues = 1000;  // issues listed in full; the rest are only counted
  Severity min_severity = Severity::kInfo;  // findings below are not reported
  bool reveal_secrets = false;              // environment values shown in findings
  std::string known_good_zip;               // known-good code (zip bytes) to compare packages with
  // The reference mode: every rule evaluated on every record, without the dispatch by event
  // name or the rules' prefilters. Same report, slower; tests compare the two.
  bool no_prefilter = false;
  // Threshold hits (AccessDenied of a burst rule...) each worker holds before it writes them,
  // sorted, to an unnamed temporary file: memory stays bounded however many there are.
  size_t threshold_hits_held = ThresholdHits::kDefaultMaxHeld;
  bool timeline_all = false;  // --function: also the function's own successful reads, each on the timeline
  ProgressMeter* archive_progress = nullptr;  // CloudTrail files read, their bytes, the records in them
  ProgressMeter* package_progress = nullptr;  // case packages scanned, their bytes, the files in them
};

struct ScanStats {
  uint64_t files = 0;            // inputs read (including bad ones)
  uint64_t files_pruned = 0;     // skipped unread: name shows another account/region
  uint64_t bad_files = 0;
  uint64_t bytes = 0;            // decoded JSON bytes
  uint64_t records = 0;          // records seen
  uint64_t events = 0;           // records that passed the filters
  uint64_t skipped_records = 0;  // malformed records
  uint64_t filtered_out = 0;
  uint64_t duplicate_events = 0; // same eventID seen in more than one input
  std::optional<TimestampMs> first_event;
  std::optional<TimestampMs> last_event;
};

struct AnalysisResult {
  ScanStats stats;
  std::vector<ReadIssue> issues;
  uint64_t issues_not_listed = 0;
  std::vector<Finding> findings;    // by time, then severity (highest first), then rule id
  std::vector<Event> timeline;      // by time
  std::optional<FunctionHistory> function_history;
  // --function without timeline_all: the function's own successful reads (its role's sessions
  // calling Get/List/Decrypt...), counted per "source EventName" instead of listed.
  std::map<std::string, uint64_t> own_reads_not_listed;
  std::map<std::string, std::set<std::string>> lambda_roles;  // role name -> functions
};

AnalysisResult Analyze(const std::vector<InputFile>& inputs, const std::vector<Rule>& rules,
                       const ScanOptions& options);
// The same over inputs that arrive as the scan runs (S3). The caller sets the progress total.
AnalysisResult Analyze(InputStream& inputs, const std::vector<Rule>& rules, const ScanOptions& options);

}  // namespace lir
