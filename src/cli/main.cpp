// lambda-ir: the command line. Parsing and wiring only; the work lives in the libraries.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/shell_integration.h"

int main(int argc, char** argv) {
  // Named here, so usage lines say lambda-ir and not the path it was started from.
  CLI::App app{"lambda-ir: AWS Lambda incident response, from first alert to a hardened account.", "lambda-ir"};
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
  lir::RegisterShellCommands(app, &exit_code);
  if (auto mistyped = lir::MistypedCommand(app, std::vector<std::string>(argv + 1, argv + argc))) {
    fmt::print(stderr, "lambda-ir: {}\n", *mistyped);
    return lir::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? lir::kExitOk : lir::kExitUsage;
  }
  return exit_code;
}
