#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/strings.h"
#include "evidence/case.h"

namespace lir {
namespace {

int RunVerify(const std::string& dir, const std::string& format) {
  const VerifyReport report = VerifyCase(dir);
  if (format == "json") {
    nlohmann::ordered_json out = {{"case", dir}, {"ok", report.ok()}, {"artifacts_checked", report.artifacts_checked},
                                  {"custody_lines", report.custody_lines}, {"custody_head", report.custody_head},
                                  {"problems", nlohmann::ordered_json::array()}};
    for (const auto& p : report.problems) out["problems"].push_back({{"kind", p.kind}, {"path", p.path}, {"message", p.message}});
    fmt::print("{}\n", out.dump(2));
  } else {
    for (const auto& p : report.problems) {
      fmt::print("{:<15} {}: {}\n", p.kind, SanitizeForTerminal(p.path), SanitizeForTerminal(p.message));
    }
    fmt::print("{}: {} artifacts, {} custody lines, head {}: {}\n", SanitizeForTerminal(dir), report.artifacts_checked,
               report.custody_lines, report.custody_head, report.ok() ? "intact" : fmt::format("{} problems", report.problems.size()));
  }
  return report.ok() ? kExitOk : kExitEvidence;
}

}  // namespace

void RegisterVerifyCommand(CLI::App& app, int* exit_code) {
  auto dir = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("terminal");
  CLI::App* cmd = app.add_subcommand(
      "verify", "Re-hash a case: every artifact against the manifest, the custody log's hash chain, unlisted files");
  cmd->add_option("case", *dir, "Case directory")->required();
  cmd->add_option("-f,--format", *format, "terminal or json")->check(CLI::IsMember({"terminal", "json"}));
  cmd->callback([=] { *exit_code = RunVerify(*dir, *format); });
}

}  // namespace lir
