#include "analysis/case_analysis.h"

#include <algorithm>
#include <filesystem>

#include "analysis/config_analysis.h"

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
    for (Finding& f : AnalyzeFunctionConfiguration(e)) {
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
