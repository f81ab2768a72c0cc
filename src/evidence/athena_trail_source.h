// A CloudTrail archive narrowed by Athena where it lives (`analyze --athena DB.TABLE`): the
// records query runs in Athena (StartQueryExecution, then GetQueryExecution until it ends),
// and its result pages (GetQueryResults, 250 rows each) are handed to the engine one at a
// time as they are fetched, each rebuilt into CloudTrail records (sources/athena_rows.h). One
// page is held at a time per reader, so memory is bounded by the page, not the result.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "aws/api_caller.h"
#include "core/result.h"
#include "sources/input_stream.h"

namespace lir {

struct AthenaQuerySpec {
  std::string sql;
  std::string database;         // the DB of DB.TABLE
  std::string workgroup;        // empty: the account's primary
  std::string output_location;  // s3://... ; empty: the workgroup's
  std::string client_token;     // a retried start is the same query, never a second one
  int64_t timeout_ms = 30LL * 60 * 1000;  // then StopQueryExecution, and an error
};

struct AthenaQueryStats {
  std::string id;
  uint64_t bytes_scanned = 0;  // what Athena bills
  int64_t engine_ms = 0;
  uint64_t rows = 0, pages = 0;
  int polls = 0;
};

class AthenaTrailSource : public InputStream {
 public:
  AthenaTrailSource(const aws::AwsContext& context, AthenaQuerySpec spec);

  // Starts the query and waits for it to end. A query that fails or is cancelled is an
  // error with Athena's reason. Past the timeout, or on Ctrl-C inside an InterruptScope
  // (core/interrupt.h), the query is stopped (StopQueryExecution): Athena would run and bill it on.
  Result<void> Run();
  const AthenaQueryStats& stats() const { return stats_; }

  std::optional<StreamedInput> Next() override;

 private:
  // "stopped", or why not and how to (the call's error kept in stop_failure_: what to do next
  // is chosen by it, a missing athena:StopQueryExecution first).
  std::string StopQuery();
  std::optional<Error> stop_failure_;

  aws::ApiCaller athena_;
  aws::ApiCaller stopper_;  // the same, its retries not cut short by the Ctrl-C that asks for the stop
  AthenaQuerySpec spec_;
  AthenaQueryStats stats_;
  std::mutex mutex_;  // pages come one after another: each needs the previous page's token
  std::string next_token_;
  aws::PageTokens tokens_{"GetQueryResults", 1000000};
  bool done_ = false;
};

}  // namespace lir
