#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "aws/sts_client.h"
#include "cli/aws_options.h"
#include "cli/collect_runner.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/progress_line.h"
#include "core/strings.h"
#include "evidence/case.h"
#include "evidence/function_collector.h"
#include "evidence/log_collector.h"
#include "evidence/metric_collector.h"
#include "evidence/trail_collector.h"
#include "sources/event.h"

namespace lir {
namespace {

// The custody line that opens a case: what was asked, where, by whom (and as which role).
nlohmann::json CollectionStarted(const std::string& function, const EnteredPlace& place, const aws::CallerIdentity& identity,
                                 const std::string& endpoint) {
  nlohmann::json out{{"function", function},
                     {"account", place.place.account},
                     {"caller", identity.arn},
                     {"region", place.place.region},
                     {"endpoint", endpoint}};
  if (!place.session.role_arn.empty()) out["role"] = place.session.role_arn;
  return out;
}

}  // namespace

int RunCollect(const CollectArgs& args, std::string* case_dir_out) {
  TrailWindow window;
  const TimestampMs now = NowMs();
  auto since = ParseTimeArgument(args.since, now);
  auto until = args.until.empty() ? Result<TimestampMs>(now) : ParseTimeArgument(args.until, now);
  if (!since || !until) {
    fmt::print(stderr, "lambda-ir: {}\n", (!since ? since.error() : until.error()).message);
    return kExitUsage;
  }
  window = {*since, *until};
  auto live = OpenSession(args.aws);
  if (!live) return kExitUsage;
  aws::StsClient sts(live->session->context());
  auto identity = sts.GetCallerIdentity();
  if (!identity) {
    fmt::print(stderr, "lambda-ir: {}\n", identity.error().message);
    return kExitAws;
  }
  int place_exit = kExitOk;
  auto entered = EnterFunctionsPlace(*live->session, *identity, {args.function}, args.place, "collect", /*changes=*/false, &place_exit);
  if (!entered) return place_exit;
  aws::AwsSession& session = *entered->session.session;  // in the function's account and region
  std::string dir = args.case_dir;
  if (dir.empty()) {
    std::string stamp = FormatIso8601(NowMs() - NowMs() % 1000);
    std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
    dir = "cases/" + SafeName(args.function) + "-" + stamp;
  }
  auto evidence = EvidenceCase::Create(dir, std::string(FunctionNameFromDir(dir)), identity->arn, LIR_VERSION);
  if (!evidence) {
    fmt::print(stderr, "lambda-ir: {}\n", evidence.error().message);
    return kExitOutput;
  }
  if (auto said = (*evidence)->RecordOrSay("collection-started",
                                           CollectionStarted(args.function, *entered, *identity, aws::StsClient(session.context()).client().endpoint()).dump());
      !said.empty()) {
    fmt::print(stderr, "lambda-ir: {}\n", said);
    return kExitEvidence;
  }
  ProgressMeter stored("collecting", "", "artifacts"), packages("packages", "downloaded"), logs("logs", "pages", "events");
  (*evidence)->CountArtifactsIn(&stored);
  std::optional<ProgressLine> line(std::in_place, std::vector<const ProgressMeter*>{&stored, &packages, &logs}, ProgressWanted(args.quiet));
  CollectOptions options;
  options.packages = !args.skip_packages;
  options.jobs = args.jobs;
  options.package_progress = &packages;
  auto outcome = CollectFunctionConfiguration(session, **evidence, args.function, options);
  if (!outcome) {
    line.reset();
    fmt::print(stderr, "lambda-ir: {}\n", outcome.error().message);
    return kExitAws;
  }
  if (!args.skip_logs) {
    CollectFunctionLogs(session, **evidence, std::string(FunctionNameFromRef(args.function)), outcome->log_group, window,
                        args.max_log_events, &*outcome, &logs);
  }
  if (!args.skip_metrics) {
    auto baseline = ParseDurationMs(args.baseline);
    CollectFunctionMetrics(session, **evidence, std::string(FunctionNameFromRef(args.function)), window,
                           baseline.value_or(kDefaultBaselineMs), &*outcome);
  }
  if (!args.cloudtrail.empty()) {
    CollectTrailArchive(session, **evidence, args.cloudtrail, window, &*outcome);
  } else if (!args.skip_cloudtrail) {
    CollectLookupEvents(session, **evidence, std::string(FunctionNameFromRef(args.function)), outcome->role, window, &*outcome);
  }
  line.reset();  // cleared before the summary
  (*evidence)->CountArtifactsIn(nullptr);
  fmt::print("case {}\n  {} artifacts collected for {}\n", dir, outcome->artifacts.size(), SanitizeForTerminal(args.function));
  for (const auto& n : outcome->notes) fmt::print("  note: {}\n", SanitizeForTerminal(n));
  for (const auto& f : outcome->failures) fmt::print("  FAILED: {}\n", SanitizeForTerminal(f));
  if (!outcome->refused.empty()) {
    fmt::print("  next: grant {} (`lambda-ir permissions collect` prints the whole policy), then collect into a new case\n",
               fmt::join(outcome->refused, ", "));
  }
  if (args.print_custody_head) fmt::print("  custody head {} (record it outside the case)\n", (*evidence)->custody_head());
  if (case_dir_out) *case_dir_out = dir;
  return outcome->failures.empty() ? kExitOk : kExitAws;
}

std::string_view FunctionNameFromDir(std::string_view dir) {
  const size_t slash = dir.rfind('/');
  return slash == std::string_view::npos ? dir : dir.substr(slash + 1);
}

void AddCollectOptions(CLI::App* cmd, CollectArgs* args) {
  cmd->add_option("function", args->function, "Function name or ARN")->required();
  cmd->add_option("--case", args->case_dir, "Case directory to create (default cases/<function>-<UTC time>)");
  cmd->add_flag("--skip-packages", args->skip_packages, "Do not download deployment and layer packages");
  cmd->add_option("-j,--jobs", args->jobs, "AWS calls in flight while collecting (default 8; 1 = sequential)")->check(CLI::PositiveNumber);
  cmd->add_option("--since", args->since, "CloudTrail window start: ISO-8601, epoch ms or a duration ago (default 7d; LookupEvents keeps 90 days)");
  cmd->add_option("--until", args->until, "CloudTrail window end (default now)");
  cmd->add_flag("--skip-cloudtrail", args->skip_cloudtrail, "Do not query CloudTrail LookupEvents");
  cmd->add_option("--cloudtrail", args->cloudtrail,
                  "Copy a trail archive (DIR or s3://BUCKET/PREFIX) into the case instead of LookupEvents");
  cmd->add_flag("--skip-logs", args->skip_logs, "Do not collect the function's CloudWatch Logs");
  cmd->add_flag("--skip-metrics", args->skip_metrics, "Do not collect CloudWatch metrics");
  cmd->add_option("--baseline", args->baseline, "Metrics baseline before the window (default 7d)");
  cmd->add_option("--max-log-events", args->max_log_events, "Log events kept at most (default 200000)");
  AddPlaceOptions(cmd, &args->place);
  AddAwsOptions(cmd, &args->aws);
}

void RegisterCollectCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<CollectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "collect", "Preserve a function's configuration evidence in a case: every version and alias, policies, URL, "
                 "concurrency, mappings, code signing, tags, and its role's policies, each response as received");
  AddCollectOptions(cmd, args.get());
  AddQuietOption(cmd, &args->quiet);
  cmd->footer(
      "Examples:\n"
      "  lambda-ir collect payments --case cases/payments\n"
      "  lambda-ir collect payments --case cases/payments --since 14d --skip-metrics --profile incident");
  cmd->callback([args, exit_code] { *exit_code = RunCollect(*args, nullptr); });
}

}  // namespace lir
