#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/format_option.h"
#include "cli/exit_codes.h"
#include "core/strings.h"
#include "response/journal.h"

namespace lir {
namespace {

struct StatusArgs {
  std::string case_dir;
  std::string format = "text";
};

std::string TimeOrDash(TimestampMs t) { return t == 0 ? "-" : FormatIso8601(t); }

int RunStatus(const StatusArgs& args) {
  std::error_code ec;
  if (!std::filesystem::exists(args.case_dir + "/journal.sqlite", ec)) {
    fmt::print(stderr, "lambda-ir: status: {} has no journal (no response command has run on this case)\n", args.case_dir);
    return kExitNoInput;
  }
  auto journal = Journal::Open(args.case_dir, "");
  if (!journal) {
    fmt::print(stderr, "lambda-ir: {}\n", journal.error().message);
    return kExitNoInput;
  }
  auto steps = (*journal)->Steps();
  if (!steps) {
    fmt::print(stderr, "lambda-ir: {}\n", steps.error().message);
    return kExitNoInput;
  }
  if (args.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : *steps) {
      out.push_back({{"key", s.key},
                     {"action", s.action},
                     {"status", ToString(s.status)},
                     {"actor", s.actor},
                     {"started_at", TimeOrDash(s.started_at)},
                     {"finished_at", TimeOrDash(s.finished_at)},
                     {"prior_state", nlohmann::json::parse(s.prior_state.empty() ? "null" : s.prior_state, nullptr, false)},
                     {"result", nlohmann::json::parse(s.result.empty() ? "null" : s.result, nullptr, false)}});
    }
    fmt::print("{}\n", out.dump(2));
    return kExitOk;
  }
  size_t open = 0;
  for (const auto& s : *steps) {
    if (s.status != StepStatus::kDone) ++open;
    fmt::print("{:<8} {}\n", ToString(s.status), SanitizeForTerminal(s.key));
    for (std::string_view line : Split(s.action, '\n')) fmt::print("         {}\n", SanitizeForTerminal(line));
    fmt::print("         by {} started {} finished {}\n", SanitizeForTerminal(s.actor), TimeOrDash(s.started_at), TimeOrDash(s.finished_at));
    if (!s.prior_state.empty()) fmt::print("         before: {}\n", SanitizeForTerminal(s.prior_state));
    if (s.status == StepStatus::kFailed) fmt::print("         error: {}\n", SanitizeForTerminal(s.result));
    if (s.status == StepStatus::kSkipped) fmt::print("         not tried: {}\n", SanitizeForTerminal(s.result));
  }
  fmt::print("{} steps, {} not done\n", steps->size(), open);
  return kExitOk;
}

}  // namespace

void RegisterStatusCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<StatusArgs>();
  CLI::App* cmd = app.add_subcommand("status", "Every response step of a case: what, when, by whom, and the state before it");
  cmd->add_option("case", args->case_dir, "Case directory")->required();
  AddFormatOption(cmd, &args->format, {"text", "json"});
  cmd->footer(
      "Examples:\n"
      "  lambda-ir status cases/payments\n"
      "  lambda-ir status cases/payments --format json");
  cmd->callback([args, exit_code] { *exit_code = RunStatus(*args); });
}

}  // namespace lir
