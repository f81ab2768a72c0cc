// `help`, `completion` and `man`: the tool describing itself from its own definitions.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/shell_integration.h"
#include "report/report_sink.h"
#include "core/strings.h"

namespace lir {

void RegisterShellCommands(CLI::App& app, int* exit_code) {
  auto topic = std::make_shared<std::vector<std::string>>();
  CLI::App* help = app.add_subcommand("help", "Show a command's help: lambda-ir help rules list");
  help->add_option("command", *topic, "The command (and subcommand)");
  help->callback([&app, topic, exit_code] {
    const CLI::App* current = &app;
    std::string parents;  // for the usage line: "lambda-ir rules" before "list"
    for (const std::string& word : *topic) {
      const auto subs = current->get_subcommands([&](const CLI::App* s) { return s->get_name() == word; });
      if (subs.empty()) {
        fmt::print(stderr, "lambda-ir: {}\n",
                   MistypedCommand(*current, {word}).value_or(fmt::format("'{}' is not a subcommand of {}", SanitizeForTerminal(word),
                                                                          current->get_name())));
        *exit_code = kExitUsage;
        return;
      }
      parents += (parents.empty() ? "" : " ") + current->get_name();
      current = subs.front();
    }
    fmt::print("{}", current->help(parents));
    *exit_code = kExitOk;
  });

  auto shell = std::make_shared<std::string>();
  CLI::App* completion = app.add_subcommand("completion", "Print the shell completion script: bash, zsh or fish");
  completion->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  completion->footer(
      "Examples:\n"
      "  source <(lambda-ir completion bash)          # this shell; add it to ~/.bashrc to keep it\n"
      "  lambda-ir completion zsh > \"${fpath[1]}/_lambda-ir\"\n"
      "  lambda-ir completion fish > ~/.config/fish/completions/lambda-ir.fish");
  completion->callback([&app, shell, exit_code] {
    fmt::print("{}", *shell == "bash" ? BashCompletion(app) : *shell == "zsh" ? ZshCompletion(app) : FishCompletion(app));
    *exit_code = kExitOk;
  });

  CLI::App* man = app.add_subcommand("man", "Print the lambda-ir(1) man page (roff)");
  man->footer(
      "Examples:\n"
      "  lambda-ir man | man -l -\n"
      "  lambda-ir man > /usr/local/share/man/man1/lambda-ir.1");
  man->callback([&app, exit_code] {
    std::vector<std::pair<std::string, std::string>> formats;
    for (const ReportFormat& f : ReportFormats()) formats.emplace_back(f.name, f.summary);
    fmt::print("{}", ManPage(app, LIR_VERSION, kExitCodesHelp, formats));
    *exit_code = kExitOk;
  });
}

}  // namespace lir
