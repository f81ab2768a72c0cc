// What a shell and `man` get from the command definitions themselves (no hand-kept
// copies): completion scripts for bash, zsh and fish, the lambda-ir(1) man page, and a
// suggestion for a mistyped command.
#pragma once

#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace lir {

std::string BashCompletion(const CLI::App& app);
std::string ZshCompletion(const CLI::App& app);  // the bash script through zsh's bashcompinit
std::string FishCompletion(const CLI::App& app);

// lambda-ir(1) in roff (man(7) macros): every command with its options and examples.
// `formats`: name and one line for each report format (report/report_formats.cpp).
std::string ManPage(const CLI::App& app, std::string_view version, std::string_view exit_codes,
                    const std::vector<std::pair<std::string, std::string>>& formats);

// For `lambda-ir anlyze ...`: "'anlyze' is not a lambda-ir command; did you mean 'analyze'?"
// when argv names no command where one is expected; nullopt when argv is fine (or when the
// error is some other, which the parser then reports).
std::optional<std::string> MistypedCommand(const CLI::App& app, const std::vector<std::string>& args);

// Values a shell may offer after an option, registered where the option is made
// (`--format`'s names); empty when the option takes any value.
void RegisterChoices(const void* option, std::vector<std::string> choices);
std::vector<std::string> ChoicesOf(const void* option);

}  // namespace lir
