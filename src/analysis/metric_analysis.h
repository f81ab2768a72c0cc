// Robust anomaly scores of the window against the function's own baseline: for each series,
// the baseline's median and MAD, and how many MADs the window's peak stands above it.
// A spike is relative to the function's history, never to a fixed number.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/finding.h"

namespace lir {

struct MetricSeries {
  std::string id;  // invocations, errors, duration_p99, ...
  std::vector<std::pair<TimestampMs, double>> points;
};

struct MetricScore {
  std::string id;
  double baseline_median = 0, baseline_mad = 0, window_peak = 0, score = 0;
  size_t baseline_points = 0, window_points = 0;
};

std::vector<MetricScore> ScoreMetrics(const std::vector<MetricSeries>& baseline, const std::vector<MetricSeries>& window);

// Findings for scores at or above `threshold` (default 5 robust standard deviations).
std::vector<Finding> MetricFindings(const std::string& function_arn, const std::vector<MetricScore>& scores,
                                    TimestampMs window_start, const std::string& reference, double threshold = 5.0);

// Reads collected GetMetricData pages (artifacts/metrics/<function>/<part>.page-N.xml).
std::vector<MetricSeries> ReadMetricPages(const std::string& case_dir, const std::string& stem);

}  // namespace lir
