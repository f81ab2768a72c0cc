#include "cli/format_option.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "cli/shell_integration.h"

namespace lir {

std::string CanonicalFormat(const std::string& name, const std::vector<std::string>& names) {
  if (std::find(names.begin(), names.end(), name) != names.end()) return name;
  // `terminal` is the human form: whoami's `table`, elsewhere `text`.
  if (name == "terminal" && std::find(names.begin(), names.end(), "table") != names.end()) return "table";
  if (name == "terminal" || name == "table") return "text";
  return name;
}

CLI::Option* AddOutputOption(CLI::App* command) {
  // Its value is read from the option itself when parsing completes (AddFormatOption).
  return command->add_option_function<std::string>("--output", [](const std::string&) {},
                                                   "json, table or text (the aws CLI's flag; sets --format)")
      ->check(CLI::IsMember({"json", "table", "text"}));
}

void AddFormatOption(CLI::App* command, std::string* format, const std::vector<std::string>& names) {
  auto check = [names](std::string& value) {
    value = CanonicalFormat(value, names);
    if (std::find(names.begin(), names.end(), value) == names.end()) {
      return fmt::format("'{}' is not one of {}", value, fmt::join(names, ", "));
    }
    return std::string();
  };
  CLI::Option* option = command->add_option("-f,--format", *format, fmt::format("{}", fmt::join(names, ", ")))
                            ->transform(CLI::Validator(check, "FORMAT", "format"));
  RegisterChoices(option, names);
  // --output (the aws CLI's flag) when --format is not given; the two disagreeing is an error.
  CLI::Option* output = command->get_option_no_throw("--output");
  if (output == nullptr) output = AddOutputOption(command);
  command->parse_complete_callback([option, output, format, names] {
    if (output->count() == 0) return;
    const std::string wanted = CanonicalFormat(output->as<std::string>(), names);
    if (option->count() > 0 && wanted != *format) {
      throw CLI::ValidationError("--output", fmt::format("'{}' contradicts --format {}", output->as<std::string>(), *format));
    }
    *format = wanted;
  });
}

}  // namespace lir
