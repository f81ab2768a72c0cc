#include "analysis/case_analysis.h"

#include <algorithm>
#include <filesystem>

#include "analysis/config_analysis.h"
#include "analysis/log_analysis.h"
#include "analysis/metric_analysis.h"
#include "core/json_util.h"

namespace lir {

bool IsCaseDirectory(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path(path) / "manifest.json", ec);
}

std::vector<std::string> CaseTrailPaths(const std::string& case_dir) {
  const auto trail = std::filesystem::path(case_dir) / "artifacts" / "cloudtrail";
  std::error_code ec;
  if (std::filesystem::is_directory(trail, ec)) return {trail.string()};
  return {};
}

void AddCaseFindings(const std::string& case_dir, const ScanOptions& options, AnalysisResult* result) {
  std::vector<std::string> problems;
  const std::string wanted = options.function.empty() ? "" : std::string(FunctionNameFromRef(options.function));
  for (const FunctionEvidence& e : LoadCaseFunctions(case_dir, &problems)) {
    if (!wanted.empty() && e.function != wanted) continue;
    std::vector<Finding> findings = AnalyzeFunctionConfiguration(e);
    // The function's logs, when collected: artifacts/logs/<function>/events.jsonl.
    const std::string logs = "artifacts/logs/" + e.artifact_dir.substr(e.artifact_dir.rfind('/') + 1) + "/events.jsonl";
    if (std::filesystem::exists(std::filesystem::path(case_dir) / logs)) {
      const std::string arn = JStr(JAt(e.function_doc, "Configuration"), "FunctionArn", e.function);
      for (Finding& f : AnalyzeLogLines(arn, ReadLogJsonLines(case_dir, logs)).findings) findings.push_back(std::move(f));
    }
    // Its metrics, when collected: window against baseline.
    const std::string metrics = "artifacts/metrics/" + e.artifact_dir.substr(e.artifact_dir.rfind('/') + 1);
    const auto window = ReadMetricPages(case_dir, metrics + "/window");
    if (!window.empty()) {
      const auto scores = ScoreMetrics(ReadMetricPages(case_dir, metrics + "/baseline"), window);
      for (Finding& f : MetricFindings(JStr(JAt(e.function_doc, "Configuration"), "FunctionArn", e.function), scores, e.collected_at,
                                       metrics + "/window.page-1.xml")) {
        findings.push_back(std::move(f));
      }
    }
    for (Finding& f : findings) {
      if (f.severity >= options.min_severity) result->findings.push_back(std::move(f));
    }
  }
  for (const auto& p : problems) result->issues.push_back({IssueKind::kBadFile, p, "", "unreadable case artifact"});
  std::stable_sort(result->findings.begin(), result->findings.end(), [](const Finding& a, const Finding& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.rule_id < b.rule_id;
  });
}

}  // namespace lir
