#include <optional>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/response_common.h"
#include "response/recover.h"

namespace lir {
namespace {

struct RecoverArgs {
  ResponseArgs response;
  RecoverRequest request;
};

int RunRecoverCommand(RecoverArgs& args) {
  auto live = OpenResponseAws(&args.response);
  if (!live) return kExitUsage;
  std::optional<EnteredPlace> entered;
  int place_exit = kExitOk;
  aws::AwsSession* session = EnterResponsePlace(*live, &args.response, "recover", &entered, &place_exit);
  if (session == nullptr) return place_exit;
  args.request.common = args.response.request;
  TerminalUi ui(args.response.yes, args.response.request.dry_run);
  if (entered && !entered->session.role_arn.empty()) ui.set_principal("role " + entered->session.role_arn);
  return ExitCodeOf(RunRecover(*session, args.request, ui));
}

}  // namespace

void RegisterRecoverCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RecoverArgs>();
  CLI::App* cmd = app.add_subcommand(
      "recover", "Undo a containment exactly as the case's journal recorded it, once the live function no longer holds what the "
                 "case flags: reserved and provisioned concurrency, the mappings that were enabled, URL auth (with its statement), "
                 "and the deny policy only if lambda-ir added it");
  AddResponseOptions(cmd, &args->response);
  AddPlaceOptions(cmd, &args->response.place);
  cmd->add_flag("--force", args->request.force,
                "Recover although the live function still holds what the case flags (each reason is listed and recorded in custody)");
  cmd->add_option("--monitor", args->request.monitor, "Then watch the function: CloudWatch alarms expiring after this long (e.g. 48h)");
  cmd->add_option("--baseline", args->request.baseline, "Metrics period the alarm thresholds are set against (default 7d)");
  cmd->add_option("--alarm-topic", args->request.alarm_topic, "SNS topic ARN the alarms notify");
  cmd->footer(
      "Examples:\n"
      "  lambda-ir recover payments --case cases/payments --dry-run\n"
      "  lambda-ir recover payments --case cases/payments --monitor 48h --yes");
  cmd->callback([args, exit_code] { *exit_code = RunRecoverCommand(*args); });
}

}  // namespace lir
