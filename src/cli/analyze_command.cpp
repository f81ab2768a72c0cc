#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "analysis/case_analysis.h"
#include "analysis/engine.h"
#include "analysis/rule_set.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/rule_loading.h"
#include "report/report.h"

namespace lir {
namespace {

struct AnalyzeArgs {
  std::vector<std::string> paths;
  std::string since, until, function, account, region;
  int jobs = 0;
  std::vector<std::string> rule_dirs;
  std::string format = "terminal";
  std::string out;
  std::string fail_on;
  std::string min_severity = "info";
  std::string color = "auto";
  size_t timeline_limit = 200;
  uint64_t max_input_bytes = kDefaultMaxDecodedBytes;
};

int RunAnalyze(const AnalyzeArgs& args) {
  ScanOptions options;
  const TimestampMs now = NowMs();
  for (auto [text, target, flag] : {std::tuple{&args.since, &options.since, "--since"},
                                    std::tuple{&args.until, &options.until, "--until"}}) {
    if (text->empty()) continue;
    auto parsed = ParseTimeArgument(*text, now);
    if (!parsed) {
      fmt::print(stderr, "lambda-ir: {}: {}\n", flag, parsed.error().message);
      return kExitUsage;
    }
    *target = *parsed;
  }
  std::optional<Severity> fail_on;
  if (!args.fail_on.empty()) {
    fail_on = ParseSeverity(args.fail_on);
    if (!fail_on) {
      fmt::print(stderr, "lambda-ir: --fail-on: '{}' is not info|low|medium|high|critical\n", args.fail_on);
      return kExitUsage;
    }
  }
  if (auto min = ParseSeverity(args.min_severity)) {
    options.min_severity = *min;
  } else {
    fmt::print(stderr, "lambda-ir: --min-severity: '{}' is not info|low|medium|high|critical\n", args.min_severity);
    return kExitUsage;
  }
  options.function = args.function;
  options.account = args.account;
  options.region = args.region;
  options.jobs = args.jobs;
  options.reader.max_decoded_bytes = args.max_input_bytes;

  RuleSet rules = LoadRulesForRun(args.rule_dirs);

  // A case directory contributes its trail artifacts and its collected configurations.
  std::vector<std::string> trail_paths, case_dirs;
  for (const auto& path : args.paths) {
    if (IsCaseDirectory(path)) {
      case_dirs.push_back(path);
      for (auto& p : CaseTrailPaths(path)) trail_paths.push_back(p);
    } else {
      trail_paths.push_back(path);
    }
  }
  std::vector<ReadIssue> discovery_issues;
  const std::vector<InputFile> inputs = DiscoverInputs(trail_paths, &discovery_issues);
  AnalysisResult result = Analyze(inputs, rules.Rules(), options);
  for (const auto& dir : case_dirs) AddCaseFindings(dir, options, &result);
  result.stats.bad_files += discovery_issues.size();
  result.issues.insert(result.issues.begin(), discovery_issues.begin(), discovery_issues.end());

  ReportContext context{LIR_VERSION, args.paths, options, now, rules.rules.size()};
  std::string rendered;
  if (args.format == "json") {
    rendered = RenderJson(result, context);
  } else if (args.format == "md") {
    rendered = RenderMarkdown(result, context);
  } else {
    const bool color = args.out.empty() && UseColor(args.color);
    rendered = RenderTerminal(result, context, {color, args.timeline_limit});
  }
  if (!WriteOutput(args.out, rendered)) return kExitOutput;

  // Nothing readable at all (every path missing or broken): say so by exit code, since a
  // script must not mistake "no evidence" for "no findings".
  if (case_dirs.empty() && result.stats.records == 0 && (result.stats.bad_files > 0 || result.stats.files == 0)) {
    fmt::print(stderr, "lambda-ir: no input could be read\n");
    return kExitNoInput;
  }
  if (fail_on) {
    for (const Finding& f : result.findings) {
      if (f.severity >= *fail_on) return kExitFindings;
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterAnalyzeCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Analyse CloudTrail evidence offline: native files (.json, .json.gz), AWSLogs/ trees, JSON arrays, "
      "JSON Lines, saved LookupEvents output, or - for stdin.");
  cmd->add_option("paths", args->paths, "Files or directories to read")->required();
  cmd->add_option("--since", args->since, "Only events at or after: ISO-8601, epoch ms, or a duration ago (36h, 7d)");
  cmd->add_option("--until", args->until, "Only events at or before (same forms as --since)");
  cmd->add_option("--function", args->function,
                  "Function name or ARN: only events touching it and its role, plus its configuration history");
  cmd->add_option("--account", args->account, "Only events of this account id");
  cmd->add_option("--region", args->region, "Only events of this region");
  cmd->add_option("-j,--jobs", args->jobs, "Files read in parallel (default: all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--rules", args->rule_dirs, "Extra rule directory (<dir>/<rule_id>/rule.yaml); repeatable");
  cmd->add_option("-f,--format", args->format, "terminal, json or md")
      ->check(CLI::IsMember({"terminal", "json", "md"}));
  cmd->add_option("-o,--out", args->out, "Write the report to this file (mode 0600) instead of stdout");
  cmd->add_option("--fail-on", args->fail_on, "Exit 1 if any finding is at or above this severity");
  cmd->add_option("--min-severity", args->min_severity, "Report only findings at or above this severity (default info)");
  cmd->add_option("--color", args->color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--timeline-limit", args->timeline_limit, "Timeline rows shown in the terminal (JSON has all)");
  cmd->add_option("--max-input-size", args->max_input_bytes,
                  "Largest decoded size of one input in bytes (gzip bomb guard; default 2 GiB)");
  cmd->callback([args, exit_code] { *exit_code = RunAnalyze(*args); });
}

}  // namespace lir
