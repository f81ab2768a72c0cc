// lambda-ir: the command line. Parsing and wiring only; the work lives in the libraries.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) {
  CLI::App app{"lambda-ir: AWS Lambda incident response, from first alert to a hardened account."};
  app.footer(lir::kExitCodesHelp);
  app.set_version_flag("--version", std::string("lambda-ir ") + LIR_VERSION);
  app.require_subcommand(1);
  int exit_code = lir::kExitOk;
  lir::RegisterAnalyzeCommand(app, &exit_code);
  lir::RegisterRulesCommand(app, &exit_code);
  lir::RegisterWhoamiCommand(app, &exit_code);
  lir::RegisterVerifyCommand(app, &exit_code);
  lir::RegisterCollectCommand(app, &exit_code);
  lir::RegisterInvestigateCommand(app, &exit_code);
  lir::RegisterContainCommand(app, &exit_code);
  lir::RegisterEradicateCommand(app, &exit_code);
  lir::RegisterRecoverCommand(app, &exit_code);
  lir::RegisterStatusCommand(app, &exit_code);
  lir::RegisterMonitorCommand(app, &exit_code);
  lir::RegisterAuditCommand(app, &exit_code);
  lir::RegisterHardenCommand(app, &exit_code);
  lir::RegisterPermissionsCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? lir::kExitOk : lir::kExitUsage;
  }
  return exit_code;
}
