#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "analysis/case_analysis.h"
#include "analysis/engine.h"
#include "analysis/rule_set.h"
#include "cli/analysis_runner.h"
#include "cli/athena_input.h"
#include "cli/aws_options.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/format_option.h"
#include "cli/output.h"
#include "cli/progress_line.h"
#include "cli/rule_loading.h"
#include "aws/aws_error.h"
#include "core/interrupt.h"
#include "core/strings.h"
#include "evidence/case.h"
#include "evidence/s3_trail_source.h"
#include "report/report.h"
#include "report/report_sink.h"
#include "report/sqlite_index.h"
#include "sources/input_stream.h"
#include "sources/known_good.h"

namespace lir {
namespace {

// --account ID or --accounts ID,ID,...|all: the accounts whose events are kept (none: every).
Result<std::vector<std::string>> AccountsToKeep(const std::string& account, const std::string& accounts) {
  if (!account.empty() && !accounts.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "--account and --accounts: give one (--accounts ID,ID,... names several)");
  }
  const std::string& flag = account.empty() ? accounts : account;
  if (flag.empty() || flag == "all") return std::vector<std::string>{};
  std::string bad;
  std::vector<std::string> ids = AccountIdsIn(flag, &bad);
  if (ids.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("{}: '{}' is not a 12-digit account id (ID,ID,... or all)",
                                                              account.empty() ? "--accounts" : "--account", SanitizeForTerminal(bad)));
  }
  return ids;
}

}  // namespace

Result<void> CheckReportArgs(const AnalyzeArgs& args) {
  // SARIF, ASFF and OCSF are made to be uploaded (code scanning, Security Hub, a SIEM): never with secrets in them.
  if (args.reveal_secrets && (args.format == "sarif" || args.format == "asff" || args.format == "ocsf")) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("--reveal-secrets: not with --format {}, a format made to be uploaded; use json, md or html", args.format));
  }
  return {};
}

// Everything analyze does before printing: parsed options, rules, the analysis itself.
Result<AnalysisRun> ExecuteAnalysis(const AnalyzeArgs& args) {
  if (args.paths.empty() && args.athena.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "name what to read: files, directories, s3://BUCKET/PREFIX or --athena DB.TABLE");
  }
  AnalysisRun run;
  ScanOptions& options = run.options;
  const TimestampMs now = NowMs();
  for (auto [text, target, flag] : {std::tuple{&args.since, &options.since, "--since"},
                                    std::tuple{&args.until, &options.until, "--until"}}) {
    if (text->empty()) continue;
    auto parsed = ParseTimeArgument(*text, now);
    if (!parsed) return MakeError(ErrorCode::kInvalidArgument, fmt::format("{}: {}", flag, parsed.error().message));
    *target = *parsed;
  }
  if (!args.fail_on.empty()) {
    run.fail_on = ParseSeverity(args.fail_on);
    if (!run.fail_on) return MakeError(ErrorCode::kInvalidArgument, fmt::format("--fail-on: '{}' is not info|low|medium|high|critical", args.fail_on));
  }
  if (auto min = ParseSeverity(args.min_severity)) {
    options.min_severity = *min;
  } else {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("--min-severity: '{}' is not info|low|medium|high|critical", args.min_severity));
  }
  options.function = args.function;
  options.timeline_all = args.timeline == "all";
  options.accounts = LIR_TRY(AccountsToKeep(args.account, args.accounts));
  options.region = args.region;
  options.jobs = args.jobs;
  options.no_prefilter = args.no_prefilter;
  options.reader.max_decoded_bytes = args.max_input_bytes;
  options.reveal_secrets = args.reveal_secrets;
  if (auto checked = CheckReportArgs(args); !checked) return tl::unexpected(checked.error());
  if (!args.known_good.empty()) {
    auto zip = LoadKnownGoodZip(args.known_good);
    if (!zip) return tl::unexpected(zip.error());
    options.known_good_zip = std::move(*zip);
  }

  RuleSet rules = LoadRulesForRun({args.rule_dirs, args.sigma_dirs, args.with_sigma});

  // A case directory contributes its trail artifacts and its collected configurations.
  std::vector<std::string> trail_paths, s3_urls;
  for (const auto& path : args.paths) {
    if (path.rfind("s3://", 0) == 0) {
      s3_urls.push_back(path);
    } else if (IsCaseDirectory(path)) {
      run.case_dirs.push_back(path);
      for (auto& p : CaseTrailPaths(path)) trail_paths.push_back(p);
    } else {
      trail_paths.push_back(path);
    }
  }
  std::vector<ReadIssue> discovery_issues;
  const std::vector<InputFile> inputs = DiscoverInputs(trail_paths, &discovery_issues);
  // S3 archives: listed (pruned by the filters) before the scan, fetched while it runs.
  std::unique_ptr<LiveSession> live;
  std::vector<std::unique_ptr<S3TrailSource>> s3_sources;
  if (!s3_urls.empty()) {
    AwsCliArgs aws_args;
    aws_args.aws = {args.profile, args.s3_region, args.endpoint_url};
    aws_args.debug = args.debug;
    live = OpenSession(aws_args);
    if (!live) return MakeError(ErrorCode::kInvalidArgument, "the AWS configuration for the s3:// inputs is unusable");
    const S3TrailFilter filter{options.accounts, args.region, options.since, options.until, args.max_input_bytes};
    for (const std::string& url : s3_urls) {
      auto where = ParseS3Url(url);
      if (!where) return tl::unexpected(where.error());
      auto source = std::make_unique<S3TrailSource>(live->session->context(), *where, filter);
      if (auto listed = source->List(); !listed) return tl::unexpected(listed.error());  // names the location
      for (const std::string& problem : source->listing_problems()) {
        discovery_issues.push_back({IssueKind::kBadFile, url, "", "listing " + problem});
      }
      s3_sources.push_back(std::move(source));
    }
  }
  // Athena: the query runs to its end before the scan; its pages stream in as it reads.
  std::optional<AthenaInput> athena;
  if (!args.athena.empty()) {
    auto ran = RunAthenaQuery(args, options, rules.Rules());
    if (!ran) return tl::unexpected(ran.error());
    athena = std::move(*ran);
    for (const std::string& warning : athena->warnings) {
      discovery_issues.push_back({IssueKind::kWarning, "athena:" + args.athena, "", warning});
    }
  }
  {
    ProgressMeter archive("analysing", "files", "records"), packages("scanning packages", "packages", "files");
    const ProgressLine line({&archive, &packages}, ProgressWanted(args.quiet));
    options.archive_progress = &archive;
    options.package_progress = &packages;
    if (s3_sources.empty() && !athena) {
      run.result = Analyze(inputs, rules.Rules(), options);
    } else {
      uint64_t files = inputs.size(), bytes = 0;
      for (const InputFile& input : inputs) bytes += input.size;
      InputListStream local(inputs);
      std::vector<InputStream*> parts{&local};
      for (const auto& source : s3_sources) {
        files += source->objects().size();
        for (const auto& object : source->objects()) bytes += object.size;
        parts.push_back(source.get());
      }
      if (athena) parts.push_back(athena->source.get());
      archive.AddTotal(files, bytes);
      JoinedInputStream all(parts);
      run.result = Analyze(all, rules.Rules(), options);
    }
    for (const auto& dir : run.case_dirs) AddCaseFindings(dir, options, &run.result);
    options.archive_progress = options.package_progress = nullptr;  // the meters end here
  }
  for (const ReadIssue& issue : discovery_issues) run.result.stats.bad_files += issue.kind == IssueKind::kBadFile ? 1 : 0;
  run.result.issues.insert(run.result.issues.begin(), discovery_issues.begin(), discovery_issues.end());
  std::vector<std::string> read = args.paths;
  if (athena) {
    const AthenaQueryStats& stats = athena->source->stats();
    read.push_back(fmt::format("athena:{} query {} ({} bytes scanned)", args.athena, stats.id, stats.bytes_scanned));
  }
  run.context = ReportContext{LIR_VERSION, read, options, now, rules.rules.size(), args.all};
  if (run.case_dirs.size() == 1) run.context.case_dir = run.case_dirs.front();
  return run;
}

// Each case proved as `verify` does, for the report that shows it (re-hashes every artifact).
std::vector<CaseIntegrity> VerifyCases(const std::vector<std::string>& dirs) {
  std::vector<CaseIntegrity> out;
  for (const auto& dir : dirs) {
    const VerifyReport v = VerifyCase(dir);
    CaseIntegrity c{dir, v.ok(), v.artifacts_checked, v.custody_lines, v.custody_head, {}};
    for (const auto& p : v.problems) c.problems.push_back(fmt::format("{} {}: {}", p.kind, p.path, p.message));
    out.push_back(std::move(c));
  }
  return out;
}

int EmitAnalysis(const AnalyzeArgs& args, const AnalysisRun& run) {
  const bool color = args.out.empty() && UseColor(args.color);
  ReportContext context = run.context;
  if (args.format == "html") context.cases = VerifyCases(run.case_dirs);
  const std::string rendered = RenderReport(args.format, run.result, context, {color, args.timeline_limit});
  if (!WriteOutput(args.out, rendered, args.force)) return kExitOutput;
  const ScanStats& s = run.result.stats;
  // Nothing readable at all (every path missing or broken): say so by exit code, since a
  // script must not mistake "no evidence" for "no findings".
  if (run.case_dirs.empty() && s.records == 0 && (s.bad_files > 0 || s.files == 0)) {
    fmt::print(stderr, "lambda-ir: no input could be read\n");
    return kExitNoInput;
  }
  if (run.fail_on) {
    for (const Finding& f : run.result.findings) {
      if (f.severity >= *run.fail_on) return kExitFindings;
    }
  }
  return kExitOk;
}

int RunAnalyze(const AnalyzeArgs& args) {
  auto run = ExecuteAnalysis(args);
  if (!run) {
    const Error& error = run.error();
    fmt::print(stderr, "lambda-ir: {}\n", error.message);
    if (error.code == ErrorCode::kInterrupted) EndByNotedSignal();
    // Athena refused or failed the query, or no s3:// listing worked: an AWS failure, with what
    // to do about it.
    if ((!args.athena.empty() || !error.operation.empty()) && error.code != ErrorCode::kInvalidArgument) {
      const std::string remedy = error.code == ErrorCode::kInvalidRequest && error.operation == "StartQueryExecution"
                                     ? AthenaFailureRemedy(error.service_code)
                                     : aws::RemedyFor(error);
      if (!remedy.empty()) fmt::print(stderr, "  next: {}\n", remedy);
      return kExitAws;
    }
    return kExitUsage;
  }
  if (args.index) {
    for (const auto& dir : run->case_dirs) {
      if (auto indexed = WriteCaseIndex(dir, run->result); !indexed) fmt::print(stderr, "lambda-ir: {}\n", indexed.error().message);
    }
  }
  return EmitAnalysis(args, *run);
}

void AddReportOptions(CLI::App* cmd, AnalyzeArgs* args) {
  cmd->add_option("--rules", args->rule_dirs, "Extra rule directory (<dir>/<rule_id>/rule.yaml); repeatable");
  cmd->add_option("--sigma", args->sigma_dirs,
                  "Extra Sigma rule directory (every .yml with logsource aws/cloudtrail); repeatable");
  cmd->add_flag("--with-sigma", args->with_sigma,
                "Also run the 57 bundled SigmaHQ CloudTrail rules (generic, low to high; the scan takes ~40% longer)");
  AddFormatOption(cmd, &args->format, ReportFormatNames());
  AddQuietOption(cmd, &args->quiet);
  cmd->add_option("-o,--out", args->out, "Write the report to this new file (mode 0600, links not followed) instead of stdout");
  cmd->add_flag("--force", args->force, "Let --out replace an existing file");
  cmd->add_option("--fail-on", args->fail_on, "Exit 1 if any finding is at or above this severity");
  cmd->add_option("--min-severity", args->min_severity, "Report only findings at or above this severity (default info)");
  cmd->add_option("--color", args->color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--timeline-limit", args->timeline_limit, "Timeline rows shown in the terminal (JSON has all)");
  cmd->add_option("--timeline", args->timeline,
                  "default: changes and flagged events (with --function, the function's own reads counted); all: every event")
      ->check(CLI::IsMember({"default", "all"}));
  cmd->add_flag("--all", args->all,
                "Show routine findings (changes by a usual deployer of the resource) in full; by default one line per actor");
  cmd->add_option("--known-good", args->known_good,
                  "Compare packages with known-good code: a directory, a zip, or git:REPO@REF[:SUBDIR]");
  cmd->add_flag("--reveal-secrets", args->reveal_secrets,
                "Show environment variable values in findings (they are secrets: the report then is too)");
}

void RegisterAnalyzeCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Analyse CloudTrail evidence offline: native files (.json, .json.gz), AWSLogs/ trees, JSON arrays, "
      "JSON Lines, saved LookupEvents output, or - for stdin.");
  cmd->add_option("paths", args->paths, "Files, directories (an AWSLogs/ tree), case directories or s3://BUCKET/PREFIX to read");
  cmd->add_option("--since", args->since, "Only events at or after: ISO-8601, epoch ms, or a duration ago (36h, 7d)");
  cmd->add_option("--until", args->until, "Only events at or before (same forms as --since)");
  cmd->add_option("--function", args->function,
                  "Function name or ARN: only events touching it and its role, plus its configuration history");
  cmd->add_option("--account", args->account, "Only events of this account id");
  cmd->add_option("--accounts", args->accounts,
                  "Only events of these accounts: ID,ID,... (an organisation trail's other accounts are not listed nor read), "
                  "or all (every account the archive holds, the default)");
  cmd->add_option("--region", args->region, "Only events of this region");
  cmd->add_option("-j,--jobs", args->jobs, "Files read in parallel (default: all cores)")->check(CLI::NonNegativeNumber);
  AddReportOptions(cmd, args.get());
  cmd->add_option("--profile", args->profile, "s3:// inputs and --athena: named profile from ~/.aws/config or ~/.aws/credentials");
  cmd->add_option("--endpoint-url", args->endpoint_url, "s3:// inputs and --athena: send the S3 and Athena calls to this URL (e.g. an emulator)");
  cmd->add_option("--s3-region", args->s3_region,
                  "s3:// inputs: the bucket's region (else AWS_REGION, AWS_DEFAULT_REGION, the profile); --region filters events");
  cmd->add_flag("--debug", args->debug, "s3:// inputs and --athena: log every AWS request and response to stderr, secrets redacted");
  cmd->add_option("--athena", args->athena,
                  "Query the archive where it lives: Athena's CloudTrail table DB.TABLE (docs/athena.md) returns the "
                  "records the rules may match, and the scan reads them");
  cmd->add_option("--workgroup", args->workgroup, "--athena: the workgroup (default: primary)");
  cmd->add_option("--output-location", args->output_location,
                  "--athena: s3://BUCKET/PREFIX/ for Athena's result files (default: the workgroup's)");
  cmd->add_option("--athena-region", args->athena_region, "--athena: Athena's region (else AWS_REGION, AWS_DEFAULT_REGION, the profile)");
  cmd->add_option("--athena-timeout", args->athena_timeout_s,
                  "--athena: seconds to wait for the query; then it is stopped (StopQueryExecution)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--athena-partitions", args->athena_partitions,
                  "--athena: the table's partition columns: account,region,timestamp (rules sql --ddl's), timestamp or none")
      ->capture_default_str();
  cmd->add_flag("--no-prefilter", args->no_prefilter,
                "Reference mode: try every rule on every record, without the rules' prefilters (same report, slower)");
  cmd->add_flag("--index", args->index, "Write index.sqlite (events, log lines, findings, artifacts) into each case analysed");
  cmd->add_option("--max-input-size", args->max_input_bytes,
                  "Largest decoded size of one input in bytes (gzip bomb guard; default 2 GiB)");
  cmd->footer(
      "Examples:\n"
      "  lambda-ir analyze ./AWSLogs --since 7d --min-severity medium\n"
      "  lambda-ir analyze ./AWSLogs --function payments --format md --out report.md\n"
      "  lambda-ir analyze cases/payments-20261203 --format sarif --out findings.sarif");
  cmd->callback([args, exit_code] { *exit_code = RunAnalyze(*args); });
}

}  // namespace lir
