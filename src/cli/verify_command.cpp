#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/format_option.h"
#include "cli/exit_codes.h"
#include "core/strings.h"
#include "evidence/case.h"

namespace lir {
namespace {

int RunVerify(const std::string& dir, const std::string& format, const VerifyOptions& options) {
  const VerifyReport report = VerifyCase(dir, options);
  if (format == "json") {
    nlohmann::ordered_json out = {{"case", dir}, {"ok", report.ok()}, {"artifacts_checked", report.artifacts_checked},
                                  {"custody_lines", report.custody_lines}, {"custody_head", report.custody_head},
                                  {"expect_head_line", report.expect_head_line},
                                  {"problems", nlohmann::ordered_json::array()}};
    for (const auto& p : report.problems) out["problems"].push_back({{"kind", p.kind}, {"path", p.path}, {"message", p.message}});
    // A file name in the case is anyone's bytes: invalid UTF-8 is replaced, never a throw.
    fmt::print("{}\n", out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  } else {
    for (const auto& p : report.problems) {
      fmt::print("{:<15} {}: {}\n", p.kind, SanitizeForTerminal(p.path), SanitizeForTerminal(p.message));
    }
    if (report.expect_head_line > 0) {
      fmt::print("the head kept outside the case is line {} of {}: every line up to it is as it was\n", report.expect_head_line,
                 report.custody_lines);
    }
    fmt::print("{}: {} artifacts, {} custody lines, head {}: {}\n", SanitizeForTerminal(dir), report.artifacts_checked,
               report.custody_lines, report.custody_head, report.ok() ? "intact" : fmt::format("{} problems", report.problems.size()));
  }
  return report.ok() ? kExitOk : kExitEvidence;
}

}  // namespace

void RegisterVerifyCommand(CLI::App& app, int* exit_code) {
  auto dir = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Prove a case: every artifact re-hashed against the manifest, manifest and custody log cross-checked, the hash chain, modes, links and unlisted files");
  cmd->add_option("case", *dir, "Case directory")->required();
  AddFormatOption(cmd, format.get(), {"text", "json"});
  cmd->add_option("--expect-head", options->expect_head,
                  "A custody head noted outside the case (collect, investigate and contain print it): it must be in the chain");
  cmd->footer(
      "Examples:\n"
      "  lambda-ir verify cases/payments\n"
      "  lambda-ir verify cases/payments --expect-head <head recorded outside the case> --format json");
  cmd->callback([=] { *exit_code = RunVerify(*dir, *format, *options); });
}

}  // namespace lir
