#include "response/monitor.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "aws/lambda_metric_query.h"
#include "core/json_util.h"

namespace lir {

using nlohmann::json;

namespace {

struct Watched {
  const char* id;
  const char* metric;
  const char* statistic;
  double factor;  // threshold = peak * factor + floor
  double floor;
};

// Errors and throttles: any 5 minutes worse than the worst seen. Invocations: double the
// busiest. Duration: half again the slowest. Concurrency: above the highest seen.
constexpr Watched kWatched[] = {
    {"errors", "Errors", "Sum", 1.0, 0.0},
    {"throttles", "Throttles", "Sum", 1.0, 0.0},
    {"invocations", "Invocations", "Sum", 2.0, 10.0},
    {"duration", "Duration", "Maximum", 1.5, 100.0},
    {"concurrency", "ConcurrentExecutions", "Maximum", 1.0, 1.0},
};

double Number(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return std::strtod(v.get<std::string>().c_str(), nullptr);
  return 0;
}

}  // namespace

std::vector<AlarmPlan> PlanAlarms(const std::string& function, const std::map<std::string, double>& peaks) {
  std::vector<AlarmPlan> out;
  for (const Watched& w : kWatched) {
    auto it = peaks.find(w.metric);
    const double peak = it == peaks.end() ? 0.0 : it->second;
    out.push_back({fmt::format("{}{}-{}", kMonitorAlarmPrefix, function, w.id), w.metric, w.statistic, peak,
                   std::ceil(peak * w.factor + w.floor)});
  }
  return out;
}

Result<std::map<std::string, double>> BaselinePeaks(AwsCalls& calls, const std::string& function, TimestampMs now, int64_t baseline_ms) {
  aws::CallParams params;
  int i = 0;
  for (const Watched& w : kWatched) aws::AddLambdaMetricQuery(&params, ++i, w.id, w.metric, w.statistic, function, 300);
  params.form.emplace_back("StartTime", FormatIso8601(now - baseline_ms));
  params.form.emplace_back("EndTime", FormatIso8601(now));
  const json doc = LIR_TRY(calls.CallAll(aws::Service::kCloudWatch, "GetMetricData", params));
  std::map<std::string, double> peaks;
  for (const auto& result : JArr(doc, "MetricDataResults")) {
    const std::string id = JStr(result, "Id");
    for (const Watched& w : kWatched) {
      if (id != w.id) continue;
      double peak = 0;
      for (const auto& v : JArr(result, "Values")) peak = std::max(peak, Number(v));
      peaks[w.metric] = peak;
    }
  }
  return peaks;
}

const std::vector<aws::OperationRef>& MonitorOperations() {
  static const std::vector<aws::OperationRef> ops = {{aws::Service::kCloudWatch, "GetMetricData"}, {aws::Service::kCloudWatch, "PutMetricAlarm"}};
  return ops;
}

ResponseStep CreateAlarmStep(const StepContext& ctx, const AlarmPlan& alarm, TimestampMs expires, const std::string& case_id,
                             const std::string& alarm_topic) {
  const std::string expires_text = FormatIso8601(expires);
  const std::string threshold = fmt::format("{}", alarm.threshold);
  const std::string description = fmt::format("lambda-ir post-incident watch of {} ({} above {}, the baseline peak {}); expires {}",
                                              ctx.function, alarm.metric, threshold, alarm.baseline_peak, expires_text);
  std::vector<std::pair<std::string, std::string>> tags = {
      {kExpiresTag, expires_text}, {"lambda-ir:function", ctx.function}, {"lambda-ir:case", case_id}};
  ResponseStep s;
  s.key = ctx.key_prefix + "alarm/" + alarm.name;
  json cli_tags = json::array();
  for (const auto& [k, v] : tags) cli_tags.push_back({{"Key", k}, {"Value", v}});
  std::vector<CliArg> args = {{"--alarm-name", alarm.name},
                              {"--alarm-description", description},
                              {"--namespace", "AWS/Lambda"},
                              {"--metric-name", alarm.metric},
                              {"--dimensions", "Name=FunctionName,Value=" + ctx.function},
                              {"--statistic", alarm.statistic},
                              {"--period", "300"},
                              {"--evaluation-periods", "1"},
                              {"--threshold", threshold},
                              {"--comparison-operator", "GreaterThanThreshold"},
                              {"--treat-missing-data", "notBreaching"},
                              {"--tags", cli_tags.dump()}};
  if (!alarm_topic.empty()) args.push_back({"--alarm-actions", alarm_topic});
  s.action = AwsCliLine("cloudwatch", "put-metric-alarm", args, ctx.cli);
  s.summary = fmt::format("alarm {}: {} of {} above {} (baseline peak {}), until {}", alarm.name, alarm.metric, ctx.function, threshold,
                          alarm.baseline_peak, expires_text);
  s.phase = 0;
  s.known_prior = json{{"AlarmName", alarm.name}, {"existed", false}};
  s.apply = [calls = ctx.calls, alarm, description, threshold, tags, alarm_topic, function = ctx.function](const json&) -> Result<json> {
    aws::CallParams p;
    p.form = {{"AlarmName", alarm.name},
              {"AlarmDescription", description},
              {"Namespace", "AWS/Lambda"},
              {"MetricName", alarm.metric},
              {"Dimensions.member.1.Name", "FunctionName"},
              {"Dimensions.member.1.Value", function},
              {"Statistic", alarm.statistic},
              {"Period", "300"},
              {"EvaluationPeriods", "1"},
              {"Threshold", threshold},
              {"ComparisonOperator", "GreaterThanThreshold"},
              {"TreatMissingData", "notBreaching"}};
    int n = 0;
    for (const auto& [k, v] : tags) {
      ++n;
      p.form.emplace_back(fmt::format("Tags.member.{}.Key", n), k);
      p.form.emplace_back(fmt::format("Tags.member.{}.Value", n), v);
    }
    if (!alarm_topic.empty()) p.form.emplace_back("AlarmActions.member.1", alarm_topic);
    LIR_CHECK(calls->Call(aws::Service::kCloudWatch, "PutMetricAlarm", p));
    return json{{"AlarmName", alarm.name}, {"Threshold", alarm.threshold}};
  };
  return s;
}

Result<std::vector<MonitorAlarm>> ListMonitorAlarms(AwsCalls& calls) {
  aws::CallParams p;
  p.form = {{"AlarmNamePrefix", kMonitorAlarmPrefix}};
  const json doc = LIR_TRY(calls.CallAll(aws::Service::kCloudWatch, "DescribeAlarms", p));
  std::vector<MonitorAlarm> out;
  for (const auto& a : JArr(doc, "MetricAlarms")) {
    MonitorAlarm alarm{JStr(a, "AlarmName"), JStr(a, "AlarmArn")};
    aws::CallParams t;
    t.form = {{"ResourceARN", alarm.arn}};
    const json tags = LIR_TRY(calls.Call(aws::Service::kCloudWatch, "ListTagsForResource", t));
    for (const auto& tag : JArr(tags, "Tags")) {
      if (JStr(tag, "Key") == kExpiresTag) alarm.expires = ParseIso8601(JStr(tag, "Value")).value_or(0);
    }
    out.push_back(std::move(alarm));
  }
  return out;
}

Result<void> DeleteAlarms(AwsCalls& calls, const std::vector<std::string>& names) {
  for (size_t start = 0; start < names.size(); start += 100) {  // DeleteAlarms takes 100 at most
    aws::CallParams p;
    for (size_t i = start; i < std::min(names.size(), start + 100); ++i) {
      p.form.emplace_back(fmt::format("AlarmNames.member.{}", i - start + 1), names[i]);
    }
    LIR_CHECK(calls.Call(aws::Service::kCloudWatch, "DeleteAlarms", p));
  }
  return {};
}

}  // namespace lir
