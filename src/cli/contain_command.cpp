#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/response_common.h"
#include "response/contain.h"

namespace lir {
namespace {

struct ContainArgs {
  ResponseArgs response;
  std::string steps = "throttle,mappings,deny";
  ContainRequest request;
};

int RunContainCommand(ContainArgs& args) {
  auto groups = ParseContainGroups(args.steps);
  if (!groups) {
    fmt::print(stderr, "lambda-ir: {}\n", groups.error().message);
    return kExitUsage;
  }
  auto live = OpenResponseAws(&args.response);
  if (!live) return kExitUsage;
  std::optional<EnteredPlace> entered;
  int place_exit = kExitOk;
  aws::AwsSession* session = EnterResponsePlace(*live, &args.response, "contain", &entered, &place_exit);
  if (session == nullptr) return place_exit;
  args.request.common = args.response.request;
  args.request.options.groups = *groups;
  TerminalUi ui(args.response.yes, args.response.request.dry_run && !args.request.check);
  if (entered && !entered->session.role_arn.empty()) ui.set_principal("role " + entered->session.role_arn);
  return ExitCodeOf(RunContain(*session, args.request, ui));
}

}  // namespace

void RegisterContainCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ContainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "contain", "Stop functions without destroying them: reserved concurrency 0 first, then event source mappings disabled and a "
                 "deny-all policy on their roles; every prior value journaled for recover");
  AddResponseOptions(cmd, &args->response, /*many=*/true);
  AddPlaceOptions(cmd, &args->response.place);
  cmd->add_option("--steps", args->steps, "Comma list of what to do, or all (default throttle,mappings,deny):" + ContainGroupsHelp());
  cmd->add_flag("--check", args->request.check,
                "Preflight: try every read, ask IAM's policy simulator about every change, change nothing");
  cmd->add_flag("--allow-shared-role", args->request.options.allow_shared_role,
                "Put the deny-all (and session revocation) even if other functions, services or principals use the role");
  cmd->add_option("--deny-policy-name", args->request.options.deny_policy_name,
                  "Name of the deny-all inline policy (default DenyAll-IncidentResponse)");
  cmd->add_option("--on-failure-destination", args->request.options.on_failure_destination,
                  "ARN that receives async events throttled past their retries (SQS, SNS, S3, Lambda), on the function and on "
                  "every qualifier with settings of its own (a foreign destination is replaced)");
  cmd->footer(
      "Examples:\n"
      "  lambda-ir contain payments --case cases/payments --dry-run\n"
      "  lambda-ir contain payments --case cases/payments --yes\n"
      "  lambda-ir contain payments --case cases/payments --steps throttle --yes\n"
      "  lambda-ir contain payments --accounts all --regions all --case cases/payments --yes");
  cmd->callback([args, exit_code] { *exit_code = RunContainCommand(*args); });
}

}  // namespace lir
