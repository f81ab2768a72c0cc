#include "evidence/metric_collector.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/api_caller.h"
#include "aws/lambda_metric_query.h"

namespace lir {
namespace {

struct MetricQuery {
  const char* id;
  const char* metric;
  const char* stat;
};

constexpr MetricQuery kQueries[] = {
    {"invocations", "Invocations", "Sum"},         {"errors", "Errors", "Sum"},
    {"throttles", "Throttles", "Sum"},             {"duration_avg", "Duration", "Average"},
    {"duration_p99", "Duration", "p99"},           {"duration_max", "Duration", "Maximum"},
    {"concurrency", "ConcurrentExecutions", "Maximum"}, {"url_requests", "UrlRequestCount", "Sum"},
    {"url_4xx", "Url4xxCount", "Sum"},             {"url_5xx", "Url5xxCount", "Sum"},
};

// Periods that keep each series within GetMetricData's 100,800 points and a useful resolution.
int64_t PeriodSeconds(int64_t span_ms) {
  const int64_t span = span_ms / 1000;
  int64_t period = 60;
  while (span / period > 1440) period *= 5;
  return period;
}

}  // namespace

std::string MetricArtifactStem(const std::string& function, const char* part) {
  return "artifacts/metrics/" + SafeName(function) + "/" + part;
}

void CollectFunctionMetrics(aws::AwsSession& session, EvidenceCase& evidence, const std::string& function,
                            const TrailWindow& window, int64_t baseline_ms, CollectionOutcome* outcome) {
  aws::ApiCaller cloudwatch(aws::Service::kCloudWatch, session.context());
  const TrailWindow baseline{window.start - baseline_ms, window.start};
  for (const auto& [part, span] : {std::pair{"window", window}, std::pair{"baseline", baseline}}) {
    const int64_t period = PeriodSeconds(span.end - span.start);
    aws::CallParams params;
    int i = 0;
    for (const MetricQuery& q : kQueries) aws::AddLambdaMetricQuery(&params, ++i, q.id, q.metric, q.stat, function, period);
    params.form.emplace_back("StartTime", FormatIso8601(span.start));
    params.form.emplace_back("EndTime", FormatIso8601(span.end));
    std::vector<aws::ApiResult> pages;
    auto merged = cloudwatch.CallAll(aws::Op(aws::Service::kCloudWatch, "GetMetricData"), params, &pages);
    for (size_t p = 0; p < pages.size(); ++p) {
      auto entry = evidence.AddArtifact(fmt::format("{}.page-{}.xml", MetricArtifactStem(function, part), p + 1), pages[p].raw,
                                        {"monitoring", "GetMetricData", pages[p].request_id});
      if (entry) {
        outcome->artifacts.push_back(*entry);
      } else {
        outcome->failures.push_back(entry.error().message);
      }
    }
    if (!merged) outcome->failures.push_back(fmt::format("GetMetricData ({}): {}", part, merged.error().message));
    if (auto said = evidence.RecordOrSay("metrics-collected", nlohmann::json{{"part", part}, {"start", FormatIso8601(span.start)},
                                                              {"end", FormatIso8601(span.end)}, {"period_seconds", period},
                                                              {"pages", pages.size()}}.dump()); !said.empty()) outcome->failures.push_back(said);
  }
}

}  // namespace lir
