// Each command: registers its flags on CLI11 and runs with the parsed values.
#pragma once

#include <functional>
#include <string_view>

namespace CLI {
class App;
}

namespace lir {

// `*exit_code` receives the command's exit code when it runs.
void RegisterAnalyzeCommand(CLI::App& app, int* exit_code);
void RegisterRulesCommand(CLI::App& app, int* exit_code);
void AddRulesSqlCommand(CLI::App* rules, int* exit_code);  // rules sql
void RegisterWhoamiCommand(CLI::App& app, int* exit_code);
void RegisterVerifyCommand(CLI::App& app, int* exit_code);
void RegisterCollectCommand(CLI::App& app, int* exit_code);
void RegisterInvestigateCommand(CLI::App& app, int* exit_code);
void RegisterContainCommand(CLI::App& app, int* exit_code);
void RegisterRecoverCommand(CLI::App& app, int* exit_code);
void RegisterEradicateCommand(CLI::App& app, int* exit_code);
void RegisterStatusCommand(CLI::App& app, int* exit_code);
void RegisterMonitorCommand(CLI::App& app, int* exit_code);
void RegisterPermissionsCommand(CLI::App& app, int* exit_code);
void RegisterAuditCommand(CLI::App& app, int* exit_code);
void RegisterHardenCommand(CLI::App& app, int* exit_code);
// help, completion, man: registered last, since they describe the others.
void RegisterShellCommands(CLI::App& app, int* exit_code);

// The last path component: a case directory's name is its case id.
std::string_view FunctionNameFromDir(std::string_view dir);

}  // namespace lir
