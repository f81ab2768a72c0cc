#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/strings.h"
#include "report/incident_summary.h"
#include "report/report.h"
#include "report/report_common.h"
#include "report/report_sink.h"

namespace lir {
namespace {

// Event fields, package names and descriptions are the attacker's text. As Markdown text:
// every character Markdown or HTML would act on is backslash-escaped (no raw HTML, no link,
// no emphasis, no table break), controls and bidi overrides replaced.
std::string Text(std::string_view text) {
  std::string out;
  for (char ch : SanitizeForTerminal(text)) {
    if (std::string_view("\\`*_{}[]<>()#+!|~&").find(ch) != std::string_view::npos) out += '\\';
    out += ch;
  }
  return out;
}

// Inside a code span nothing is interpreted but the backtick that would end it and the pipe
// that would end a table cell.
std::string Code(std::string_view text) {
  std::string out;
  for (char ch : SanitizeForTerminal(text)) {
    if (ch == '|') out += "\\|";
    else if (ch == '`') out += "'";
    else out += ch;
  }
  return out;
}

std::string MarkdownSummary(const IncidentSummary& s) {
  std::string out = "## Incident summary\n\n";
  if (!s.incident) return out + "No high or critical finding: nothing points to a compromise in this evidence.\n\n";
  out += fmt::format("- **entry**: {}\n", Text(s.entry));
  for (const auto& a : s.actors) {
    out += fmt::format("- **actor** `{}`: first seen {}{}{}; {} finding(s)\n", Code(a.actor), a.first_seen,
                       a.source_ips.empty() ? "" : Text(fmt::format(", from {}", fmt::join(a.source_ips, ", "))),
                       a.access_keys.empty() ? "" : Text(fmt::format(", keys {}", fmt::join(a.access_keys, ", "))), a.findings);
  }
  if (!s.functions.empty()) out += fmt::format("- **functions**: {}\n", Text(fmt::format("{}", fmt::join(s.functions, ", "))));
  auto list = [&](const char* label, const std::vector<std::string>& items) {
    if (items.empty()) return;
    out += fmt::format("- **{}**:\n", label);
    for (const auto& item : items) out += fmt::format("  - {}\n", Text(item));
  };
  list("changed", s.changes);
  list("persistence", s.persistence);
  list("data read", s.data);
  list("evasion", s.evasion);
  if (!s.next.empty()) {
    out += "\n**Next**:\n\n```sh\n";
    // Inside a fence nothing is interpreted but a fence; commands never hold one.
    for (const auto& command : s.next) out += SanitizeForTerminal(command) + "\n";
    out += "```\n";
  }
  return out + "\n";
}

}  // namespace

std::string RenderMarkdown(const AnalysisResult& r, const ReportContext& c) {
  std::string out = "# lambda-ir analysis\n\n";
  const ScanStats& s = r.stats;
  out += fmt::format("Generated {} by lambda-ir {} from {} input path(s).\n\n", FormatIso8601(c.generated_at),
                     c.version, c.inputs.size());
  out += "| files | records | events | skipped records | unreadable files | first event | last event |\n";
  out += "|---:|---:|---:|---:|---:|---|---|\n";
  out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n\n", s.files, s.records, s.events, s.skipped_records,
                     s.bad_files, s.first_event ? FormatIso8601(*s.first_event) : "-",
                     s.last_event ? FormatIso8601(*s.last_event) : "-");

  out += MarkdownSummary(SummarizeIncident(r, c.case_dir));

  const auto counts = SeverityCounts(r.findings);
  out += "## Findings by severity\n\n| severity | findings |\n|---|---:|\n";
  for (int i = 4; i >= 0; --i) out += fmt::format("| {} | {} |\n", ToString(static_cast<Severity>(i)), counts[i]);

  out += "\n## Findings\n\n";
  if (r.findings.empty()) out += "None.\n";
  for (const Finding* finding : BySeverityThenTime(r.findings)) {
    const Finding& f = *finding;
    if (f.routine && !c.show_routine) continue;
    out += fmt::format("### {} `{}`: {}\n\n", ToString(f.severity), Code(f.rule_id), Text(f.title));
    out += fmt::format("- **time**: {}\n- **resource**: `{}`\n- **actor**: `{}`{}\n", FormatIso8601(f.time),
                       Code(f.resource), Code(f.actor), f.source_ip.empty() ? "" : " from `" + Code(f.source_ip) + "`");
    out += fmt::format("- **events**: {}\n", Text(fmt::format("{}", fmt::join(f.event_ids, ", "))));
    if (!f.mitre.empty()) out += fmt::format("- **MITRE ATT&CK**: {}\n", Text(fmt::format("{}", fmt::join(f.mitre, ", "))));
    if (!f.category.empty()) out += fmt::format("- **category**: {}\n", Text(f.category));
    if (!f.note.empty()) out += fmt::format("- **note**: {}\n", Text(f.note));
    out += fmt::format("\n{}\n\n**Remediation.** {}\n\n", Text(f.description), Text(f.remediation));
  }
  if (!c.show_routine) {
    for (const RoutineSummary& routine : SummarizeRoutine(r.findings)) {
      out += fmt::format("- {} routine change(s) by `{}` hidden ({}): `--all` shows them\n", routine.findings,
                         Code(routine.actor), Text(routine.rules));
    }
  }

  const auto rules_by_event = RulesByEvent(r.findings);
  out += "## Timeline\n\n| time | event | resource | actor | source IP | error | rules |\n|---|---|---|---|---|---|---|\n";
  for (const Event& e : r.timeline) {
    auto rules = rules_by_event.find(e.event_id);
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", FormatIso8601(e.time), Text(e.name_raw),
                       Text(e.ResourceArn()), Text(e.actor.Display()), Text(e.source_ip), Text(e.error_code),
                       rules == rules_by_event.end() ? "" : Text(fmt::format("{}", fmt::join(rules->second, ", "))));
  }

  if (r.function_history) {
    const FunctionHistory& h = *r.function_history;
    out += fmt::format("\n## Configuration history of `{}`\n\n", Code(h.function));
    out += "| field | time | value | actor | source IP |\n|---|---|---|---|---|\n";
    for (const auto& [field, changes] : h.fields) {
      for (const FieldChange& ch : changes) {
        out += fmt::format("| {} | {} | `{}` | {} | {} |\n", Text(field), FormatIso8601(ch.time), Code(ch.value),
                           Text(ch.actor), Text(ch.source_ip));
      }
    }
  }

  if (!r.issues.empty()) {
    out += "\n## Input issues\n\n| kind | file | position | message |\n|---|---|---|---|\n";
    for (const ReadIssue& i : r.issues) {
      out += fmt::format("| {} | {} | {} | {} |\n", IssueKindName(i.kind), Text(i.file), Text(i.position), Text(i.message));
    }
  }
  return out;
}

namespace {

// Markdown orders findings by severity: it renders the whole result.
class MarkdownSink final : public WholeResultSink {
 protected:
  std::string Render(const AnalysisResult& result, const ReportContext& context) override {
    return RenderMarkdown(result, context);
  }
};

}  // namespace

std::unique_ptr<ReportSink> MakeMarkdownSink(const SinkOptions&) { return std::make_unique<MarkdownSink>(); }

}  // namespace lir
