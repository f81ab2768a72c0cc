#include "evidence/athena_trail_source.h"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "core/aws_cli_line.h"
#include "core/interrupt.h"
#include "core/json_util.h"
#include "core/strings.h"
#include "sources/athena_rows.h"

namespace lir {
namespace {
constexpr int kPageRows = 250;

aws::AwsContext Uninterrupted(const aws::AwsContext& context) {
  aws::AwsContext out = context;
  out.clock = aws::RetryClock::Uninterrupted();
  return out;
}
}  // namespace

AthenaTrailSource::AthenaTrailSource(const aws::AwsContext& context, AthenaQuerySpec spec)
    : athena_(aws::Service::kAthena, context), stopper_(aws::Service::kAthena, Uninterrupted(context)), spec_(std::move(spec)) {}

std::string AthenaTrailSource::StopQuery() {
  aws::CallParams stop;
  stop.body = {{"QueryExecutionId", stats_.id}};
  auto stopped = stopper_.Call(aws::Op(aws::Service::kAthena, "StopQueryExecution"), stop);
  if (stopped) return "stopped";
  stop_failure_ = stopped.error();
  // The id is Athena's answer (any non-space text): quoted for the shell, shown safely.
  return fmt::format("not stopped ({}): stop it with `{}`", stopped.error().message,
                     SanitizeForTerminal(AwsCliLine("athena", "stop-query-execution",
                                                    {{"--query-execution-id", stats_.id}}, {})));
}

Result<void> AthenaTrailSource::Run() {
  aws::CallParams start;
  start.body = {{"QueryString", spec_.sql}, {"ClientRequestToken", spec_.client_token}};
  if (!spec_.database.empty()) start.body["QueryExecutionContext"] = {{"Database", spec_.database}};
  if (!spec_.workgroup.empty()) start.body["WorkGroup"] = spec_.workgroup;
  if (!spec_.output_location.empty()) start.body["ResultConfiguration"] = {{"OutputLocation", spec_.output_location}};
  auto started = athena_.Call(aws::Op(aws::Service::kAthena, "StartQueryExecution"), start);
  if (!started) {
    // Ctrl-C while the start was refused or retried: the process ends by the signal. Refused
    // (throttled, denied, invalid) ran nothing; a start whose answer was lost may have run,
    // and no id came back to stop it by.
    if (!InterruptScope::Requested()) return tl::unexpected(started.error());
    const ErrorCode code = started.error().code;
    const bool refused = code == ErrorCode::kThrottled || code == ErrorCode::kPermissionDenied || code == ErrorCode::kUnauthenticated ||
                         code == ErrorCode::kInvalidRequest || code == ErrorCode::kNotFound || code == ErrorCode::kUnsupported;
    Error error{ErrorCode::kInterrupted,
                refused ? fmt::format("interrupted: the Athena query did not start ({})", started.error().message)
                        : fmt::format("interrupted: the Athena query's start failed ({}) and may have run: find it with `aws athena "
                                      "list-query-executions` and stop it",
                                      started.error().message)};
    error.operation = "StartQueryExecution";
    return tl::unexpected(std::move(error));
  }
  stats_.id = JStr(started->doc, "QueryExecutionId");
  if (stats_.id.empty()) return MakeError(ErrorCode::kCorruptInput, "StartQueryExecution: no QueryExecutionId in the answer");

  // A query runs seconds to minutes: asked again at 0.25 s, doubling to every 2 s, until the
  // deadline or Ctrl-C, where it is stopped (Athena would run and bill it on).
  int64_t wait_ms = 250, waited_ms = 0;
  auto interrupted = [&](bool ended = false) {
    Error error{ErrorCode::kInterrupted,
                fmt::format("interrupted: Athena query {} {}; {} bytes scanned", SanitizeForTerminal(stats_.id),
                            ended ? "had ended" : StopQuery(), stats_.bytes_scanned)};
    error.operation = "StopQueryExecution";
    return tl::unexpected(std::move(error));
  };
  for (;;) {
    if (InterruptScope::Requested()) return interrupted();
    aws::CallParams get;
    get.body = {{"QueryExecutionId", stats_.id}};
    auto got = athena_.Call(aws::Op(aws::Service::kAthena, "GetQueryExecution"), get);
    // Ctrl-C during a poll that failed (its back-off cut short): the query is stopped all the same.
    if (!got) return InterruptScope::Requested() ? interrupted() : tl::unexpected(got.error());
    ++stats_.polls;
    const nlohmann::json& execution = JAt(got->doc, "QueryExecution");
    const nlohmann::json& status = JAt(execution, "Status");
    const std::string state = JStr(status, "State");
    const nlohmann::json& statistics = JAt(execution, "Statistics");
    stats_.bytes_scanned = static_cast<uint64_t>(std::max<int64_t>(0, JInt(statistics, "DataScannedInBytes")));
    stats_.engine_ms = JInt(statistics, "EngineExecutionTimeInMillis");
    // Ctrl-C during the last poll: the query has ended, but the user still asked to stop.
    if (state == "SUCCEEDED") return InterruptScope::Requested() ? interrupted(true) : Result<void>{};
    if (state == "FAILED" || state == "CANCELLED") {
      std::string reason = JStr(status, "StateChangeReason");
      if (reason.empty()) reason = JStr(JAt(status, "AthenaError"), "ErrorMessage");
      Error error{state == "FAILED" ? ErrorCode::kInvalidRequest : ErrorCode::kConflict,
                  fmt::format("Athena query {} {}: {}", SanitizeForTerminal(stats_.id), state == "FAILED" ? "failed" : "was cancelled",
                              reason.empty() ? "no reason given" : SanitizeForTerminal(reason))};
      error.operation = "StartQueryExecution";
      error.service_code = reason;  // what the remedy is chosen by
      return tl::unexpected(std::move(error));
    }
    if (state != "QUEUED" && state != "RUNNING") {
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("GetQueryExecution: unknown state '{}'", SanitizeForTerminal(state)));
    }
    if (waited_ms >= spec_.timeout_ms) {
      const std::string stop = StopQuery();
      Error error = stop_failure_.value_or(Error{ErrorCode::kUnavailable, ""});
      error.message = fmt::format("Athena query {} still {} after {} s (--athena-timeout): {}",
                                  SanitizeForTerminal(stats_.id), state, waited_ms / 1000, stop);
      return tl::unexpected(std::move(error));
    }
    if (!InterruptScope::Sleep(wait_ms)) return interrupted();
    waited_ms += wait_ms;
    wait_ms = std::min<int64_t>(wait_ms * 2, 2000);
  }
}

std::optional<StreamedInput> AthenaTrailSource::Next() {
  std::lock_guard<std::mutex> lock(mutex_);
  while (!done_ && !stats_.id.empty()) {
    aws::CallParams params;
    // 250 rows: a page of records at CloudTrail's largest is tens of MB, not hundreds.
    params.body = {{"QueryExecutionId", stats_.id}, {"MaxResults", kPageRows}};
    if (!next_token_.empty()) params.body["NextToken"] = next_token_;
    StreamedInput out;
    out.file.path = fmt::format("athena:{}/page-{}", SanitizeForTerminal(stats_.id), stats_.pages + 1);
    auto page = athena_.Call(aws::Op(aws::Service::kAthena, "GetQueryResults"), params);
    if (!page) {
      done_ = true;
      out.error = page.error().message;
      return out;
    }
    size_t rows = 0;
    auto records = RecordsFromPage(page->doc, stats_.pages == 0, &rows);
    ++stats_.pages;
    stats_.rows += rows;
    next_token_ = JStr(page->doc, "NextToken");
    if (next_token_.empty()) done_ = true;
    // A token sent before would loop forever.
    if (auto fresh = tokens_.Next(next_token_); !next_token_.empty() && !fresh) {
      done_ = true;
      out.error = fresh.error().message;
      return out;
    }
    if (!records) {
      done_ = true;
      out.error = records.error().message;
      return out;
    }
    if (records->empty()) continue;  // the header alone
    auto bytes = std::make_shared<std::string>(std::move(*records));
    out.file.size = bytes->size();
    out.bytes = std::move(bytes);
    out.file.content = out.bytes.get();
    return out;
  }
  return std::nullopt;
}

}  // namespace lir
