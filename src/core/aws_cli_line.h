// Every change lambda-ir makes, written as the equivalent `aws` CLI command line: what
// --dry-run prints, what the journal records as a step's action, what a responder can
// paste into a shell to do the same by hand.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lir {

// The global options the user gave, repeated on every line so it runs as printed.
struct AwsCliGlobals {
  std::string profile, region, endpoint_url;
};

struct CliArg {
  std::string flag;                  // --function-name
  std::optional<std::string> value;  // absent: a bare flag (--no-enabled)
};

// `aws SERVICE COMMAND ARGS... GLOBALS`, each word quoted for a POSIX shell where needed.
std::string AwsCliLine(std::string_view service, std::string_view command, const std::vector<CliArg>& args,
                       const AwsCliGlobals& globals);

// Single-quotes a word unless it is made only of characters a shell leaves alone.
std::string ShellQuote(std::string_view word);

}  // namespace lir
