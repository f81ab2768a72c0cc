#include <optional>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/response_common.h"
#include "response/eradicate.h"

namespace lir {
namespace {

struct EradicateArgs {
  ResponseArgs response;
  EradicateRequest request;
};

int RunEradicateCommand(EradicateArgs& args) {
  auto live = OpenResponseAws(&args.response);
  if (!live) return kExitUsage;
  std::optional<EnteredPlace> entered;
  int place_exit = kExitOk;
  aws::AwsSession* session = EnterResponsePlace(*live, &args.response, "eradicate", &entered, &place_exit);
  if (session == nullptr) return place_exit;
  args.request.common = args.response.request;
  TerminalUi ui(args.response.yes, args.response.request.dry_run);
  if (entered && !entered->session.role_arn.empty()) ui.set_principal("role " + entered->session.role_arn);
  return ExitCodeOf(RunEradicate(*session, args.request, ui));
}

}  // namespace

void RegisterEradicateCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<EradicateArgs>();
  EradicateRequest& r = args->request;
  CLI::App* cmd = app.add_subcommand(
      "eradicate", "Remove the attacker's foothold: their functions deleted (after collecting them), known-good code redeployed "
                   "and verified, a known-good configuration restored, the role's older sessions revoked or the role recreated "
                   "clean, every alias that served a tainted version moved to the fixed one");
  AddResponseOptions(cmd, &args->response);
  AddPlaceOptions(cmd, &args->response.place);
  cmd->add_option("--delete-function", r.delete_functions, "Function (name or ARN) to collect into the case, then delete (repeatable)");
  cmd->add_flag("--delete-attacker-functions", r.delete_attacker_functions,
                "Also delete the functions analysis finds created by a suspect principal in this account and region (listed first)");
  cmd->add_option("--evidence", r.evidence, "CloudTrail evidence or a case that analysis reads for the attacker's doings (default: the case)");
  cmd->add_option("--redeploy", r.redeploy, "Known-good code: a directory (zipped deterministically), a zip, or git:REPO@REF[:SUBDIR]");
  cmd->add_option("--restore-config", r.restore_config,
                  "Known-good configuration: a GetFunction/GetFunctionConfiguration JSON file, version:N from the case's snapshot, "
                  "or pre-incident (the newest version configured before the first high/critical finding about the function)");
  cmd->add_flag("--revoke-sessions", r.revoke_sessions, "Deny the execution role's sessions issued before now (aws:TokenIssueTime)");
  cmd->add_flag("--recreate-role", r.recreate_role,
                "A new execution role without the attacker's trust statements and policies (boundary, tags, description kept), every "
                "alias moved to a version with it, the old role deleted once unused");
  cmd->add_option("--keep", r.keep, "With --recreate-role: a trust statement Sid, account, policy name or ARN to copy although it looks "
                                    "like the attacker's (repeatable)");
  cmd->add_flag("--keep-old-role", r.keep_old_role, "With --recreate-role: leave the old role in place");
  cmd->add_flag("--attacker-iam", r.attacker_iam,
                "Also take away what suspect principals created: access keys (made Inactive), users and roles (deny-all), login "
                "profiles and layer versions (deleted, layers collected first), event source mappings (disabled)");
  cmd->footer(
      "Examples:\n"
      "  lambda-ir eradicate payments --case cases/payments --dry-run\n"
      "  lambda-ir eradicate payments --case cases/payments --redeploy git:https://git.example.com/payments.git@v1.4.2 --revoke-sessions --yes");
  cmd->callback([args, exit_code] { *exit_code = RunEradicateCommand(*args); });
}

}  // namespace lir
