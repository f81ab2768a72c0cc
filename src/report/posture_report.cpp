#include "report/posture_report.h"

#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "core/strings.h"
#include "core/time.h"
#include "report/report_common.h"

namespace lir {
namespace {

using json = nlohmann::json;

// Resource names, tags and policy text come from the account, which an attacker may have
// written: never let them emit control sequences.
std::string Safe(std::string_view text) { return SanitizeForTerminal(text); }

std::string Paint(bool color, std::string_view code, std::string_view text) {
  return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
}

std::array<size_t, 5> Counts(const PostureReport& report) {
  std::array<size_t, 5> counts{};
  for (const PostureFinding& p : report.findings) ++counts[static_cast<size_t>(p.finding.severity)];
  return counts;
}

}  // namespace

std::string RenderPostureJson(const PostureReport& report, const std::string& version) {
  json findings = json::array();
  for (const PostureFinding& p : report.findings) {
    const Finding& f = p.finding;
    json row{{"id", f.rule_id},
             {"severity", ToString(f.severity)},
             {"title", f.title},
             {"resource", f.resource},
             {"function", p.function},
             {"region", f.region},
             {"account", f.account},
             {"description", f.description},
             {"remediation", f.remediation},
             {"fix_command", p.fix_command},
             {"security_hub_controls", p.controls},
             {"harden_fix", p.harden},
             {"runbook_step", "harden"},
             {"category", f.category},
             {"mitre", f.mitre}};
    findings.push_back(std::move(row));
  }
  json gaps = json::array();
  for (const InventoryGap& g : report.gaps) {
    gaps.push_back({{"account", g.account},
                    {"region", g.region}, {"resource", g.resource}, {"what", g.what}, {"operation", g.operation},
                    {"error", g.error}, {"remedy", g.remedy}});
  }
  json least = json::array();
  for (const LeastPrivilege& lp : report.least_privilege) {
    least.push_back({{"role", lp.role_arn},
                     {"witnesses", lp.sources},
                     {"used", lp.used},
                     {"unused_services", lp.unused_services},
                     {"unused_actions", lp.unused_actions},
                     {"narrowed", lp.narrowed},
                     {"kept_unseen", lp.kept_unseen},
                     {"grants_less", lp.reduces},
                     {"policy", lp.policy}});
  }
  const auto counts = Counts(report);
  json doc{{"tool", "lambda-ir"},
           {"version", version},
           {"kind", "audit"},
           {"account", report.account},
           {"accounts", report.accounts},
           {"read_at", FormatIso8601(report.read_at)},
           {"regions", report.regions},
           {"functions", report.functions},
           {"roles", report.roles},
           {"counts",
            {{"critical", counts[4]}, {"high", counts[3]}, {"medium", counts[2]}, {"low", counts[1]}, {"info", counts[0]}}},
           {"findings", std::move(findings)},
           {"unread", std::move(gaps)},
           {"not_checked", report.not_checked}};
  if (!least.empty()) doc["least_privilege"] = std::move(least);
  // ASCII only, as analyze's JSON: a C1 control or bidi override in a name AWS returned is
  // \u-escaped, so the report printed to a terminal cannot drive it.
  return doc.dump(2, ' ', true, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string RenderPostureTerminal(const PostureReport& report, bool color) {
  const auto counts = Counts(report);
  // Several accounts: each row says whose it is.
  const bool several = report.accounts.size() > 1;
  const std::string whose = several ? fmt::format("{} accounts ({})", report.accounts.size(), fmt::join(report.accounts, ", "))
                                    : "account " + (report.accounts.empty() ? report.account : report.accounts.front());
  std::string out = fmt::format("{} {}, {} function(s), {} role(s), region(s) {}, read {}\n", Paint(color, "1", "Audit"),
                                Safe(whose), report.functions, report.roles, fmt::join(report.regions, ", "),
                                FormatIso8601(report.read_at));
  out += fmt::format("  {} critical, {} high, {} medium, {} low\n", counts[4], counts[3], counts[2], counts[1]);
  if (report.findings.empty()) out += "  no finding\n";
  for (const PostureFinding& p : report.findings) {
    const Finding& f = p.finding;
    std::string where = p.function.empty() ? f.resource : p.function;
    // The account, unless the resource already is it (a region's finding).
    const bool name_account = several && where.find(f.account) == std::string::npos;
    if (!f.region.empty()) where += " (" + (name_account ? f.account + " " : "") + f.region + ")";
    out += fmt::format("\n{} {}  {}\n", SeverityLabel(f.severity, color), Safe(f.title), Paint(color, "2", f.rule_id));
    out += fmt::format("  {}\n", Safe(where));
    out += fmt::format("  {}\n", Safe(f.description));
    if (!p.controls.empty()) out += fmt::format("  Security Hub: {}\n", fmt::join(p.controls, ", "));
    out += fmt::format("  fix: {}\n", Safe(f.remediation));
    if (!p.fix_command.empty()) out += fmt::format("       {}\n", Safe(p.fix_command));
  }
  for (const LeastPrivilege& lp : report.least_privilege) {
    if (!lp.reduces) continue;
    const bool none = lp.policy["Statement"].empty();
    out += fmt::format("\n{} {}: {}\n", Paint(color, "1", "Least privilege"), Safe(lp.role_arn),
                       none ? "no grant of it is used: the role needs no policy (review before removing them)"
                            : "the policy its use needs (review before use)\n  " + Safe(lp.policy.dump()));
    if (!lp.kept_unseen.empty()) out += fmt::format("  kept, though no witness shows them used: {}\n", Safe(fmt::format("{}", fmt::join(lp.kept_unseen, "; "))));
  }
  if (!report.gaps.empty()) {
    out += fmt::format("\n{} ({} read(s) failed: the checks that need them did not run)\n", Paint(color, "1", "Not read"),
                       report.gaps.size());
    for (const InventoryGap& g : report.gaps) {
      std::string where = g.resource;
      if (!g.region.empty()) where += where.empty() ? g.region : " (" + g.region + ")";
      if (several || report.accounts.empty()) where.insert(0, where.empty() ? g.account : g.account + " ");
      out += fmt::format("  {} {}: {} [{}]; {}\n", Safe(g.what), Safe(where), Safe(g.error), g.operation, Safe(g.remedy));
    }
  }
  for (const std::string& n : report.not_checked) out += fmt::format("  not checked: {}\n", n);
  return out;
}

AnalysisResult PostureAsAnalysis(const PostureReport& report) {
  AnalysisResult result;
  for (const PostureFinding& p : report.findings) {
    Finding f = p.finding;
    if (!p.fix_command.empty()) f.remediation += (f.remediation.empty() ? "" : "\n") + p.fix_command;
    result.findings.push_back(std::move(f));
  }
  for (const InventoryGap& g : report.gaps) {
    const std::string account = report.accounts.size() > 1 ? g.account + " " : "";
    result.issues.push_back({IssueKind::kWarning, "", fmt::format("{}{} {}", account, g.region, g.resource),
                             fmt::format("{} not read ({}): {}", g.what, g.operation, g.error)});
  }
  return result;
}

}  // namespace lir
