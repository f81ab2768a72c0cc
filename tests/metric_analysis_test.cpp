// Robust anomaly scores: the window's peak against the function's own baseline.
#include <gtest/gtest.h>

#include "analysis/metric_analysis.h"

namespace lir {
namespace {

MetricSeries Series(const std::string& id, const std::vector<double>& values) {
  MetricSeries s{id, {}};
  for (size_t i = 0; i < values.size(); ++i) s.points.emplace_back(static_cast<TimestampMs>(i) * 60'000, values[i]);
  return s;
}

TEST(MetricAnalysis, SpikeAgainstTheFunctionsOwnHistory) {
  const std::vector<MetricSeries> baseline = {Series("invocations", {10, 12, 11, 9, 10, 11, 13, 10}),
                                              Series("duration_p99", {900, 950, 1000, 980, 920})};
  const std::vector<MetricSeries> window = {Series("invocations", {11, 480, 12}), Series("duration_p99", {1010, 990})};
  const auto scores = ScoreMetrics(baseline, window);
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_EQ(scores[0].id, "invocations");
  EXPECT_DOUBLE_EQ(scores[0].baseline_median, 10.5);
  EXPECT_DOUBLE_EQ(scores[0].baseline_mad, 0.5);
  EXPECT_DOUBLE_EQ(scores[0].window_peak, 480);
  // sigma = max(1.4826 * MAD, 10 % of the median, 1) = 1.05
  EXPECT_NEAR(scores[0].score, (480 - 10.5) / 1.05, 1e-9);
  const auto findings = MetricFindings("arn:f", scores, 0, "artifacts/metrics/f/window.page-1.xml");
  ASSERT_EQ(findings.size(), 1u);  // a slow p99 within its usual spread is not an anomaly
  EXPECT_EQ(findings[0].rule_id, "lambda_metrics_anomaly");
  EXPECT_EQ(findings[0].event_name, "invocations");
}

TEST(MetricAnalysis, NoBaselineNoVerdict) {
  const auto scores = ScoreMetrics({}, {Series("errors", {50})});
  EXPECT_TRUE(MetricFindings("arn:f", scores, 0, "x").empty());
}

}  // namespace
}  // namespace lir
