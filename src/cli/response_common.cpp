#include "cli/response_common.h"

#include <unistd.h>

#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "aws/aws_error.h"
#include "aws/sts_client.h"
#include "cli/exit_codes.h"
#include "core/strings.h"

namespace lir {

void AddResponseOptions(CLI::App* cmd, ResponseArgs* args, bool many, bool required) {
  ResponseRequest& r = args->request;
  auto* positional = cmd->add_option("function", r.functions, many ? "Function names or ARNs" : "Function name or ARN")->required(required);
  if (!many) positional->expected(1);
  cmd->add_option("--case", r.case_dir, "Case directory (created, with a configuration snapshot, if missing)");
  cmd->add_flag("--dry-run", r.dry_run, "Print the changes as aws CLI command lines; change nothing");
  cmd->add_flag("-y,--yes", args->yes, "Make the changes without asking");
  cmd->add_flag("--skip-packages", r.skip_packages, "Snapshot without downloading deployment packages");
  cmd->add_option("-j,--jobs", r.jobs, "Independent changes in flight (default 8; 1 = one after another)")->check(CLI::PositiveNumber);
  cmd->add_option("--wait-timeout", r.wait_seconds, "Seconds to wait for mappings and updates to settle (default 300)")
      ->check(CLI::PositiveNumber);
  AddAwsOptions(cmd, &args->aws);
}

std::unique_ptr<LiveSession> OpenResponseAws(ResponseArgs* args) {
  auto live = OpenSession(args->aws);
  if (!live) return nullptr;
  ResponseRequest& r = args->request;
  r.cli.profile = args->aws.aws.profile;
  if (auto region = live->session->config().region()) r.cli.region = region->value;
  r.cli.endpoint_url = args->aws.aws.endpoint_url;
  r.tool_version = LIR_VERSION;
  return live;
}

aws::AwsSession* EnterResponsePlace(LiveSession& live, ResponseArgs* args, const std::string& verb,
                                    std::optional<EnteredPlace>* entered, int* exit_code) {
  if (args->place.accounts.empty() && args->place.regions.empty()) return live.session.get();
  aws::StsClient sts(live.session->context());
  auto identity = sts.GetCallerIdentity();
  if (!identity) {
    fmt::print(stderr, "lambda-ir: {}\n", identity.error().message);
    *exit_code = kExitAws;
    return nullptr;
  }
  *entered = EnterFunctionsPlace(*live.session, *identity, args->request.functions, args->place, verb, /*changes=*/true, exit_code);
  if (!*entered) return nullptr;
  // The printed aws CLI lines act where the functions are.
  args->request.cli.profile = ProfileFor(**entered, *identity, args->request.cli.profile);
  args->request.cli.region = (*entered)->place.region;
  return (*entered)->session.session;
}

void TerminalUi::Info(const std::string& line) { fmt::print(dry_run_ ? stderr : stdout, "{}\n", SanitizeForTerminal(line)); }

void TerminalUi::Warning(const std::string& line) { fmt::print(stderr, "warning: {}\n", SanitizeForTerminal(line)); }

bool TerminalUi::Confirm(const PlanHeader& h, const std::vector<ResponseStep>& steps) {
  fmt::print("{} {} in account {}, region {}, as {}{}\n", h.verb, SanitizeForTerminal(fmt::format("{}", fmt::join(h.functions, ", "))),
             h.account, h.region, SanitizeForTerminal(h.caller),
             h.endpoint.find(".amazonaws.com") == std::string::npos ? " (endpoint " + SanitizeForTerminal(h.endpoint) + ")" : "");
  if (!steps.empty()) {
    size_t changes = 0;
    for (const auto& s : steps) changes += s.journaled ? 1 : 0;
    fmt::print("{} changes (before -> after):\n", changes);
    for (const auto& s : steps) {
      if (!s.journaled) continue;
      fmt::print("  {}{}\n", SanitizeForTerminal(s.summary), s.held_back.empty() ? "" : " [held back: " + SanitizeForTerminal(s.held_back) + "]");
    }
  }
  if (yes_) return true;
  if (isatty(STDIN_FILENO) != 1) {
    fmt::print(stderr, "lambda-ir: {}: not confirmed. Pass --yes to make these changes, or --dry-run to only print them.\n", h.verb);
    return false;
  }
  fmt::print("Make these changes in account {} ({})? [y/N] ", h.account, h.region);
  (void)std::fflush(stdout);
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

void TerminalUi::Outcome(const StepOutcome& o) {
  if (o.summary.empty() && o.kind != StepOutcomeKind::kFailed) return;  // a read nobody needs to see
  const bool unchanged = o.result.is_object() && o.result.contains("unchanged") && o.result["unchanged"].is_string();
  std::string mark, note;
  switch (o.kind) {
    case StepOutcomeKind::kDone:
      mark = unchanged ? "no change" : "done";
      if (unchanged) note = " (" + o.result["unchanged"].get<std::string>() + ")";
      break;
    case StepOutcomeKind::kAlreadyDone: mark = "done before"; break;
    case StepOutcomeKind::kSkipped: mark = "not tried"; note = ": " + o.error; break;
    case StepOutcomeKind::kFailed:
      mark = "FAILED";
      note = ": " + o.cause.message + " (" + aws::RemedyFor(o.cause, principal_) + ")";
      break;
  }
  fmt::print("  {:<11} {}{}\n", mark, SanitizeForTerminal(o.summary.empty() ? o.key : o.summary), SanitizeForTerminal(note));
}

void TerminalUi::DryRun(const std::string& line) {
  // A script that runs as printed with either aws CLI: v2 would page each answer otherwise.
  if (!dry_run_started_) fmt::print("export AWS_PAGER=\n");
  dry_run_started_ = true;
  // A step of several calls is one line each (each sanitised: names come from the account).
  // The same inline policy put twice (the deny-all of a role two contained functions share) is
  // printed once. Only that: a repeated wait between two updates must stay.
  for (std::string_view one : Split(line, '\n')) {
    const bool repeated_put = one.starts_with("aws iam put-role-policy ") && !dry_run_lines_.insert(std::string(one)).second;
    if (!repeated_put) fmt::print("{}\n", SanitizeForTerminal(one));
  }
}

int ExitCodeOf(ResponseStatus status) {
  switch (status) {
    case ResponseStatus::kDone: return kExitOk;
    case ResponseStatus::kPartial: return kExitPartial;
    case ResponseStatus::kFailed: return kExitAws;
    case ResponseStatus::kRefused: return kExitRefused;
    case ResponseStatus::kBadRequest: return kExitUsage;
    case ResponseStatus::kCaseError: return kExitOutput;
  }
  return kExitAws;
}

}  // namespace lir
