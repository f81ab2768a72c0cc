#include "aws/lambda_metric_query.h"

#include <string>

#include <fmt/format.h>

namespace lir::aws {

void AddLambdaMetricQuery(CallParams* params, int index, std::string_view id, std::string_view metric, std::string_view stat,
                          std::string_view function, int64_t period_seconds) {
  const std::string p = fmt::format("MetricDataQueries.member.{}.", index);
  params->form.emplace_back(p + "Id", std::string(id));
  params->form.emplace_back(p + "MetricStat.Metric.Namespace", "AWS/Lambda");
  params->form.emplace_back(p + "MetricStat.Metric.MetricName", std::string(metric));
  params->form.emplace_back(p + "MetricStat.Metric.Dimensions.member.1.Name", "FunctionName");
  params->form.emplace_back(p + "MetricStat.Metric.Dimensions.member.1.Value", std::string(function));
  params->form.emplace_back(p + "MetricStat.Period", std::to_string(period_seconds));
  params->form.emplace_back(p + "MetricStat.Stat", std::string(stat));
}

}  // namespace lir::aws
