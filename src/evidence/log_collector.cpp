#include "evidence/log_collector.h"

#include "core/progress_meter.h"
#include "core/json_util.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/api_caller.h"

namespace lir {

std::string LogArtifactPath(const std::string& function) { return "artifacts/logs/" + SafeName(function) + "/events.jsonl"; }

void CollectFunctionLogs(aws::AwsSession& session, EvidenceCase& evidence, const std::string& function,
                         const std::string& log_group, const TrailWindow& window, size_t max_events, CollectionOutcome* outcome,
                         ProgressMeter* progress) {
  aws::ApiCaller logs(aws::Service::kLogs, session.context());
  const auto& op = aws::Op(aws::Service::kLogs, "FilterLogEvents");
  aws::CallParams params;
  params.body = {{"logGroupName", log_group}, {"startTime", window.start}, {"endTime", window.end}};
  std::string lines, first_request_id;
  size_t events = 0, pages = 0;
  bool capped = false;
  aws::PageTokens tokens("FilterLogEvents", 100000);
  while (true) {
    auto page = logs.Call(op, params);
    if (!page) {
      if (page.error().code == ErrorCode::kNotFound) {
        outcome->notes.push_back(fmt::format("log group {}: does not exist (the function may never have logged)", log_group));
      } else {
        outcome->failures.push_back(fmt::format("FilterLogEvents {}: {}", log_group, page.error().message));
      }
      break;
    }
    ++pages;
    if (first_request_id.empty()) first_request_id = page->request_id;
    for (const auto& e : JArr(page->doc, "events")) {
      if (events == max_events) {
        capped = true;
        break;
      }
      lines += nlohmann::json{{"timestamp", static_cast<int64_t>(JInt(e, "timestamp"))}, {"ingestionTime", static_cast<int64_t>(JInt(e, "ingestionTime"))},
                              {"logStreamName", JStr(e, "logStreamName")}, {"eventId", JStr(e, "eventId")},
                              {"message", JStr(e, "message")}}.dump() + "\n";
      ++events;
    }
    if (progress != nullptr) progress->AddDone(1, 0, JArr(page->doc, "events").size());
    const std::string next = JStr(page->doc, "nextToken");
    if (capped || next.empty()) break;
    if (auto fresh = tokens.Next(next); !fresh) {
      outcome->failures.push_back(fmt::format("log group {}: {}", log_group, fresh.error().message));
      break;
    }
    params.body["nextToken"] = next;
  }
  if (pages == 0) return;
  auto entry = evidence.AddArtifact(LogArtifactPath(function), lines, {"logs", "FilterLogEvents", first_request_id});
  if (entry) {
    outcome->artifacts.push_back(*entry);
  } else {
    outcome->failures.push_back(entry.error().message);
  }
  if (capped) outcome->notes.push_back(fmt::format("log group {}: stopped at the cap of {} events (--max-log-events)", log_group, max_events));
  if (auto said = evidence.RecordOrSay("logs-collected", nlohmann::json{{"log_group", log_group}, {"events", events}, {"pages", pages},
                                                         {"capped", capped}, {"start", FormatIso8601(window.start)},
                                                         {"end", FormatIso8601(window.end)}}.dump()); !said.empty()) outcome->failures.push_back(said);
}

}  // namespace lir
