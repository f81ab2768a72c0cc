#include "core/aws_cli_line.h"

namespace lir {

std::string ShellQuote(std::string_view word) {
  auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
           c == '/' || c == ':' || c == '=' || c == ',' || c == '@' || c == '+';
  };
  bool needs_quotes = word.empty();
  for (char c : word) needs_quotes = needs_quotes || !plain(c);
  if (!needs_quotes) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";  // close, escaped quote, reopen
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string AwsCliLine(std::string_view service, std::string_view command, const std::vector<CliArg>& args,
                       const AwsCliGlobals& globals) {
  std::string line = "aws ";
  line += service;
  line += ' ';
  line += command;
  auto add = [&](std::string_view flag, const std::optional<std::string>& value) {
    line += ' ';
    line += flag;
    if (value) {
      line += ' ';
      line += ShellQuote(*value);
    }
  };
  for (const CliArg& a : args) add(a.flag, a.value);
  if (!globals.profile.empty()) add("--profile", globals.profile);
  if (!globals.region.empty()) add("--region", globals.region);
  if (!globals.endpoint_url.empty()) add("--endpoint-url", globals.endpoint_url);
  return line;
}

}  // namespace lir
