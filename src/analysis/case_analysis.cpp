#include "analysis/case_analysis.h"

#include "core/progress_meter.h"
#include "analysis/rule_set.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "analysis/config_analysis.h"
#include "analysis/log_analysis.h"
#include "analysis/metric_analysis.h"
#include "analysis/package_analysis.h"
#include "analysis/package_diff.h"
#include "analysis/role_policy_analysis.h"
#include "analysis/yara_scanner.h"
#include "core/file_read.h"
#include "core/strings.h"
#include "core/json_util.h"
#include "core/safe_name.h"

namespace lir {

using nlohmann::json;

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

namespace {

// Case files are read as regular files only, bounded: the case may have been tampered with.
std::string ReadBytes(const std::filesystem::path& path) { return ReadRegularFile(path.string(), kMaxCaseFileBytes).value_or(""); }

bool Contains(const PackageReport& report, const std::vector<std::string>& names, const std::vector<std::string>& prefixes) {
  for (const auto& entry : report.entries) {
    for (const auto& name : names) {
      for (const auto& prefix : prefixes) {
        if (entry.name == prefix + name) return true;
      }
    }
  }
  return false;
}

}  // namespace

void AddPackageFindings(const std::string& case_dir, const FunctionEvidence& e, const std::string& known_good_zip,
                        std::vector<Finding>* findings, ProgressMeter* progress) {
  namespace fs = std::filesystem;
  const fs::path package = fs::path(case_dir) / e.artifact_dir / "code.zip";
  std::error_code ec;
  if (!fs::exists(package, ec)) return;
  const json& config = JAt(e.function_doc, "Configuration");
  const std::string arn = JStr(config, "FunctionArn", e.function);
  const std::string reference = e.artifact_dir + "/code.zip";
  // One pass over the package: every file through the bundled YARA rules (grouped by rule)
  // and, when known-good code is given, into the tree it is compared with.
  static const auto scanner = YaraScanner::FromEmbedded();
  std::map<std::string, std::vector<YaraMatch>> matches;
  FileTree collected;
  const bool compare = !known_good_zip.empty();
  const std::string bytes = ReadBytes(package);
  auto report = InspectPackage(bytes, reference, arn, PackageLimits{},
                               [&](const PackageEntry& entry, std::string_view content) {
                                 if (progress != nullptr) progress->AddDone(0, 0, 1);
                                 if (compare) collected[entry.name] = std::string(content);
                                 if (!scanner) return;
                                 for (auto& m : (*scanner)->Scan(entry.name, content)) matches[m.ns + ":" + m.rule].push_back(std::move(m));
                               });
  if (progress != nullptr) progress->AddDone(1, bytes.size());
  if (!report) return;
  if (!scanner) {
    findings->push_back(Finding{"lambda_package_not_scanned", Severity::kInfo, "Package not scanned with YARA", scanner.error().message,
                                "Report this as a bug.", e.collected_at, arn});
  }
  for (const auto& [key, list] : matches) {
    const YaraMatch& first = list.front();
    auto meta = [&](const char* k) {
      auto it = first.meta.find(k);
      return it == first.meta.end() ? std::string() : it->second;
    };
    std::vector<std::string> files;
    for (const auto& m : list) files.push_back(SanitizeForTerminal(m.file));
    const Severity severity =
        ParseSeverity(meta("severity")).value_or(first.ns.rfind("guarddog/", 0) == 0 ? Severity::kMedium : Severity::kHigh);
    findings->push_back(EvidenceFinding(
        "lambda_package_yara_match", severity, fmt::format("YARA {} matched {} file(s)", first.rule, files.size()),
        fmt::format("{} Files: {}. Rule {} from {}{}{}.", meta("description"), fmt::join(files, ", "), first.rule, first.ns,
                    meta("author").empty() ? "" : ", by " + meta("author"), meta("reference").empty() ? "" : ", " + meta("reference")),
        "Read the matched files in the collected package; a match on a vendored library can be benign.", arn, "(package)", "yara",
        reference, e.collected_at));
    std::vector<EvidenceLocation>& locations = findings->back().locations;
    locations.clear();
    for (const auto& m : list) locations.push_back({reference, m.file, m.line});
  }
  for (Finding& f : report->findings) {
    f.time = e.collected_at;
    findings->push_back(std::move(f));
  }
  const std::vector<std::string> handler = HandlerFiles(JStr(config, "Runtime"), JStr(config, "Handler"));
  if (compare && report->complete) {
    if (auto good = TreeFromZip(known_good_zip, "known-good")) {
      for (Finding& f : KnownGoodFindings(DiffTrees(*good, collected), handler, arn, reference, e.collected_at)) {
        findings->push_back(std::move(f));
      }
    }
  }
  if (handler.empty() || !report->complete || Contains(*report, handler, {""})) return;
  // Not in the package: a layer may supply it (python/, nodejs/ and their library folders).
  std::string layer_with_handler;
  for (const auto& layer : JArr(config, "Layers")) {
    const std::string layer_arn = JStr(layer, "Arn");
    const fs::path zip = fs::path(case_dir) / "artifacts/lambda/layers" / SafeName(layer_arn) / "layer.zip";
    if (!fs::exists(zip, ec)) continue;
    auto layer_report = InspectPackage(ReadBytes(zip), "layer", layer_arn, PackageLimits{});
    if (layer_report && Contains(*layer_report, handler, {"python/", "nodejs/", "nodejs/node_modules/", ""})) layer_with_handler = layer_arn;
  }
  findings->push_back(EvidenceFinding(
      layer_with_handler.empty() ? "lambda_package_handler_missing" : "lambda_package_handler_in_layer", Severity::kHigh,
      layer_with_handler.empty() ? fmt::format("Handler {} is not in the package", JStr(config, "Handler"))
                                 : fmt::format("Handler {} runs code from layer {}", JStr(config, "Handler"), layer_with_handler),
      "The handler's file is not in the function's own package: the code that runs comes from somewhere the deployment "
      "pipeline does not control (a layer, or a path that only exists at run time).",
      "Restore the handler from version control; inspect the layer's code.", arn, "(package)", "package", reference,
      e.collected_at));
}

std::set<std::string> FlaggedCodeSha256s(const std::string& case_dir, const std::string& function, const std::vector<Finding>& findings) {
  std::set<std::string> out;
  bool flagged = false;
  for (const Finding& f : findings) {
    const bool code = f.rule_id.rfind("lambda_package_", 0) == 0 || f.rule_id == "lambda_function_code_updated_by_user" ||
                      f.rule_id == "lambda_config_package_mismatch";
    if (code && f.severity >= Severity::kHigh && FunctionNameFromRef(f.resource) == function) flagged = true;
  }
  if (!flagged) return out;
  const std::string text = ReadRegularFile((std::filesystem::path(case_dir) / "artifacts/lambda" / SafeName(function) / "function.json").string(),
                                           kMaxCaseFileBytes).value_or("");
  const json doc = json::parse(text, nullptr, false);
  const std::string sha = JStr(JAt(doc, "Configuration"), "CodeSha256");
  if (!sha.empty()) out.insert(sha);
  return out;
}

AnalysisResult AnalyzeEvidence(const std::vector<std::string>& paths, const ScanOptions& options) {
  std::vector<std::string> trail_paths, case_dirs;
  for (const auto& path : paths) {
    if (IsCaseDirectory(path)) {
      case_dirs.push_back(path);
      for (auto& p : CaseTrailPaths(path)) trail_paths.push_back(p);
    } else {
      trail_paths.push_back(path);
    }
  }
  std::vector<ReadIssue> issues;
  const std::vector<InputFile> inputs = DiscoverInputs(trail_paths, &issues);
  static const RuleSet rules = LoadEmbeddedRules();
  AnalysisResult result = Analyze(inputs, rules.Rules(), options);
  for (const auto& dir : case_dirs) AddCaseFindings(dir, options, &result);
  result.issues.insert(result.issues.begin(), issues.begin(), issues.end());
  return result;
}

namespace {

// The reads collection could not make (custody.log's collection-gap lines marked not_collected)
// and that no later collection into the case made: what the checks of the case did not see.
// `function_dir`, when not empty, keeps those of one function's artifacts (and the role's,
// account's and trail's, which are every function's).
void AddCollectionGaps(const std::string& case_dir, const std::string& function_dir, AnalysisResult* result) {
  auto custody = ReadRegularFile((std::filesystem::path(case_dir) / "custody.log").string(), kMaxCaseFileBytes);
  if (!custody) return;  // verify reports a custody log it cannot read
  std::set<std::string> listed;
  for (std::string_view line : Split(*custody, '\n')) {
    if (line.find("\"collection-gap\"") == std::string_view::npos) continue;
    const json record = json::parse(line, nullptr, false);
    const json& detail = JAt(record, "detail");
    const std::string path = JStr(detail, "path");
    if (JStr(record, "action") != "collection-gap" || JAt(detail, "not_collected") != true || path.empty()) continue;
    if (!function_dir.empty() && path.rfind("artifacts/lambda/", 0) == 0 && path.rfind(function_dir + "/", 0) != 0) continue;
    // Made since: stored under its name, or as pages (NAME.page-1.json).
    const std::filesystem::path at = std::filesystem::path(case_dir) / path;
    std::filesystem::path first_page = at;
    first_page.replace_extension(".page-1.json");
    std::error_code ec;
    if (std::filesystem::exists(at, ec) || std::filesystem::exists(first_page, ec) || !listed.insert(path).second) continue;
    result->issues.push_back({IssueKind::kWarning, path, "",
                              fmt::format("not collected ({}): the checks that read it did not run", JStr(detail, "error"))});
  }
}

}  // namespace

void AddCaseFindings(const std::string& case_dir, const ScanOptions& options, AnalysisResult* result) {
  std::vector<std::string> problems;
  const std::string wanted = options.function.empty() ? "" : std::string(FunctionNameFromRef(options.function));
  std::vector<FunctionEvidence> functions = LoadCaseFunctions(case_dir, &problems);
  std::erase_if(functions, [&](const FunctionEvidence& e) { return !wanted.empty() && e.function != wanted; });
  if (options.package_progress != nullptr) {
    for (const FunctionEvidence& e : functions) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(std::filesystem::path(case_dir) / e.artifact_dir / "code.zip", ec);
      if (!ec) options.package_progress->AddTotal(1, size);
    }
  }
  for (const FunctionEvidence& e : functions) {
    std::vector<Finding> findings = AnalyzeFunctionConfiguration(e, options.reveal_secrets);
    for (Finding& f : AnalyzeRolePolicies(case_dir, e)) findings.push_back(std::move(f));
    // The function's logs, when collected: artifacts/logs/<function>/events.jsonl.
    const std::string logs = "artifacts/logs/" + e.artifact_dir.substr(e.artifact_dir.rfind('/') + 1) + "/events.jsonl";
    if (std::filesystem::exists(std::filesystem::path(case_dir) / logs)) {
      const std::string arn = JStr(JAt(e.function_doc, "Configuration"), "FunctionArn", e.function);
      for (Finding& f : AnalyzeLogLines(arn, ReadLogJsonLines(case_dir, logs)).findings) findings.push_back(std::move(f));
    }
    // Its package, when collected: hostile structure, and where the handler really lives.
    AddPackageFindings(case_dir, e, options.known_good_zip, &findings, options.package_progress);
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
      FillFromCaseCheck(f);  // rules/<id>/check.yaml gives what the C++ leaves out
      if (f.severity >= options.min_severity) result->findings.push_back(std::move(f));
    }
  }
  for (const auto& p : problems) result->issues.push_back({IssueKind::kBadFile, p, "", "unreadable case artifact"});
  AddCollectionGaps(case_dir, !wanted.empty() && !functions.empty() ? functions.front().artifact_dir : "", result);
  std::stable_sort(result->findings.begin(), result->findings.end(), [](const Finding& a, const Finding& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.rule_id < b.rule_id;
  });
}

}  // namespace lir
