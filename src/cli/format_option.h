// `--format` with the same names on every command: `text` (also `terminal` and `table`,
// the names older releases and the aws CLI use) and `json` everywhere, and the report
// formats where a command writes findings. `--output json|table|text`, the aws CLI's flag,
// sets it too when `--format` is not given.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}

namespace lir {

// Adds `-f,--format` taking `names` (canonical names; `text` must be one), storing the
// canonical name in `*format`. `--output`, when the command has it, is its synonym.
void AddFormatOption(CLI::App* command, std::string* format, const std::vector<std::string>& names);

// `--output json|table|text`, the aws CLI's flag, unless the command has it already.
CLI::Option* AddOutputOption(CLI::App* command);

// The canonical name for `name`: "terminal" and "table" are "text" unless `names` has them.
std::string CanonicalFormat(const std::string& name, const std::vector<std::string>& names);

}  // namespace lir
