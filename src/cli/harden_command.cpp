#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/response_common.h"
#include "core/strings.h"
#include "core/time.h"
#include "response/harden.h"

namespace lir {
namespace {

struct HardenArgs {
  ResponseArgs response;
  std::string fixes;
  bool undo = false;
  std::string usage_window = "90d";
  bool no_last_accessed = false;
  HardenRequest request;
};

int RunHardenCommand(HardenArgs& args) {
  if (args.undo) {
    if (args.response.request.case_dir.empty() || !args.fixes.empty() || !args.response.request.functions.empty()) {
      fmt::print(stderr, "lambda-ir: harden --undo takes --case DIR and no function or --fixes: it undoes the case's latest hardening\n");
      return kExitUsage;
    }
  } else if (args.response.request.functions.empty() || args.fixes.empty()) {
    fmt::print(stderr, "lambda-ir: harden needs the functions and --fixes LIST|all (or --undo --case DIR)\n");
    return kExitUsage;
  }
  std::set<std::string> fixes;
  if (!args.undo) {
    auto parsed = ParseHardenFixes(args.fixes);
    if (!parsed) {
      fmt::print(stderr, "lambda-ir: {}\n", parsed.error().message);
      return kExitUsage;
    }
    fixes = std::move(*parsed);
  }
  const auto window = ParseDurationMs(args.usage_window);
  constexpr int64_t kDayMs = 24LL * 3600 * 1000;
  if (!window || *window < kDayMs) {
    fmt::print(stderr, "lambda-ir: --usage-window: '{}' is not a duration of a day or more (90d, 2160h)\n", SanitizeForTerminal(args.usage_window));
    return kExitUsage;
  }
  args.request.usage_window_days = static_cast<int>(*window / kDayMs);
  args.request.last_accessed = !args.no_last_accessed;
  auto live = OpenResponseAws(&args.response);
  if (!live) return kExitUsage;
  TerminalUi ui(args.response.yes, args.response.request.dry_run);
  if (args.undo) return ExitCodeOf(RunHardenUndo(*live->session, args.response.request, ui));
  args.request.common = args.response.request;
  args.request.fixes = std::move(fixes);
  args.request.all = args.fixes == "all";
  return ExitCodeOf(RunHarden(*live->session, args.request, ui));
}

}  // namespace

void RegisterHardenCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<HardenArgs>();
  CLI::App* cmd = app.add_subcommand(
      "harden", "Fix for good what audit finds, journaled like contain (prior state recorded, resumable, --dry-run, --undo)");
  AddResponseOptions(cmd, &args->response, /*many=*/true, /*required=*/false);
  cmd->add_option("--fixes", args->fixes,
                  fmt::format("Comma list or all: {}", fmt::join(HardenFixes(), ", ")));
  cmd->add_flag("--undo", args->undo, "Undo the latest hardening the case's journal holds, exactly");
  cmd->add_option("--on-failure-destination", args->request.on_failure_destination,
                  "dlq: the SQS queue or SNS topic ARN that receives failed asynchronous events");
  CLI::Option* version = cmd->add_option("--signing-profile-version-arn", args->request.signing_profile_version_arn,
                                         "code-signing: the AWS Signer profile version the Enforce config trusts");
  cmd->add_option("--signing-profile-name", args->request.signing_profile_name,
                  "code-signing: the Signer profile for Lambda whose current version it trusts, made when absent (default "
                  "lambda_ir_release, made by harden; --fixes all needs one of the two)")
      ->excludes(version)
      ->check(CLI::Validator(
          [](std::string& v) {
            const bool ok = v.size() >= 2 && v.size() <= 64 &&
                            std::all_of(v.begin(), v.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
            return ok ? std::string() : std::string("a Signer profile name is 2 to 64 letters, digits or _");
          },
          "NAME"));
  cmd->add_option("--cloudtrail", args->request.cloudtrail,
                  "own-role: a CloudTrail archive (files or directories) whose sessions of the function show what it uses");
  cmd->add_option("--usage-window", args->usage_window, "own-role: how far back use counts (default 90d)");
  cmd->add_flag("--no-last-accessed", args->no_last_accessed, "own-role: do not ask IAM for the role's last-accessed report");
  cmd->add_option("--evidence", args->request.evidence,
                  "own-role: a case or CloudTrail whose suspects' changes to the role are never copied to the new one");
  cmd->footer(
      "Examples:\n"
      "  lambda-ir harden payments --fixes url-auth,resource-policy --case cases/payments --dry-run\n"
      "  lambda-ir harden payments orders --fixes all --on-failure-destination arn:aws:sqs:us-east-1:111122223333:failed "
      "--case cases/harden\n"
      "  lambda-ir harden payments --fixes own-role --cloudtrail ./AWSLogs --case cases/harden --dry-run\n"
      "  lambda-ir harden --undo --case cases/harden");
  cmd->callback([args, exit_code] { *exit_code = RunHardenCommand(*args); });
}

}  // namespace lir
