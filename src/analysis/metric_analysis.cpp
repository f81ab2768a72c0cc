#include "analysis/metric_analysis.h"
#include "core/file_read.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <pugixml.hpp>

namespace lir {
namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

std::vector<MetricScore> ScoreMetrics(const std::vector<MetricSeries>& baseline, const std::vector<MetricSeries>& window) {
  std::vector<MetricScore> out;
  for (const MetricSeries& w : window) {
    MetricScore s;
    s.id = w.id;
    s.window_points = w.points.size();
    for (const auto& [t, v] : w.points) s.window_peak = std::max(s.window_peak, v);
    std::vector<double> values;
    for (const MetricSeries& b : baseline) {
      if (b.id != w.id) continue;
      for (const auto& [t, v] : b.points) values.push_back(v);
    }
    s.baseline_points = values.size();
    s.baseline_median = Median(values);
    std::vector<double> deviations;
    for (double v : values) deviations.push_back(std::fabs(v - s.baseline_median));
    s.baseline_mad = Median(deviations);
    // 1.4826 * MAD estimates a standard deviation; a flat baseline (MAD 0) gets a floor of
    // one unit or 10 % of its level, so a quiet function's first burst still scores high.
    const double sigma = std::max({1.4826 * s.baseline_mad, 0.1 * std::fabs(s.baseline_median), 1.0});
    s.score = s.window_points == 0 ? 0 : (s.window_peak - s.baseline_median) / sigma;
    out.push_back(s);
  }
  return out;
}

std::vector<Finding> MetricFindings(const std::string& arn, const std::vector<MetricScore>& scores, TimestampMs window_start,
                                    const std::string& reference, double threshold) {
  std::vector<Finding> out;
  for (const MetricScore& s : scores) {
    if (s.score < threshold || s.baseline_points == 0) continue;
    out.push_back(EvidenceFinding(
        "lambda_metrics_anomaly", Severity::kMedium,
        fmt::format("{} far above its baseline ({:.1f} robust deviations)", s.id, s.score),
        fmt::format("Peak {:.2f} in the window against a baseline median of {:.2f} (MAD {:.2f}, {} points).", s.window_peak,
                    s.baseline_median, s.baseline_mad, s.baseline_points),
        "Line the spike up with the timeline: a burst of invocations or duration right after a change is the change being "
        "used (mining, exfiltration, a public URL found).",
        arn, "(metrics)", s.id, reference, window_start));
  }
  return out;
}

std::vector<MetricSeries> ReadMetricPages(const std::string& case_dir, const std::string& stem) {
  std::map<std::string, MetricSeries> by_id;
  for (int page = 1;; ++page) {
    const std::string path = fmt::format("{}/{}.page-{}.xml", case_dir, stem, page);
    auto text = ReadRegularFile(path, kMaxCaseFileBytes);
    if (!text) break;
    pugi::xml_document doc;
    if (!doc.load_string(text->c_str())) break;
    for (const auto& node : doc.select_nodes("//MetricDataResults/member")) {
      const pugi::xml_node r = node.node();
      MetricSeries& s = by_id[r.child_value("Id")];
      s.id = r.child_value("Id");
      std::vector<TimestampMs> times;
      for (const auto& t : r.child("Timestamps").children("member")) times.push_back(ParseIso8601(t.child_value()).value_or(0));
      size_t i = 0;
      for (const auto& v : r.child("Values").children("member")) {
        s.points.emplace_back(i < times.size() ? times[i] : 0, std::atof(v.child_value()));
        ++i;
      }
    }
  }
  std::vector<MetricSeries> out;
  for (auto& [id, s] : by_id) out.push_back(std::move(s));
  return out;
}

}  // namespace lir
