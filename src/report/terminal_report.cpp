#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/strings.h"
#include "report/incident_summary.h"
#include "report/report.h"
#include "report/report_common.h"
#include "report/report_sink.h"

namespace lir {
namespace {

class Style {
 public:
  explicit Style(bool color) : color_(color) {}
  std::string Paint(std::string_view code, std::string_view text) const {
    if (!color_) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
  std::string Severity(lir::Severity s) const { return SeverityLabel(s, color_); }
  std::string Bold(std::string_view text) const { return Paint("1", text); }
  std::string Dim(std::string_view text) const { return Paint("2", text); }

 private:
  bool color_;
};

// Event fields are attacker-controlled: never let them emit control sequences.
std::string Safe(std::string_view text) { return SanitizeForTerminal(text); }

// The incident told first: who, with what, what they did and left, what to run next.
std::string RenderSummary(const IncidentSummary& s, const Style& st) {
  std::string out = "\n" + st.Bold("Incident summary") + "\n";
  if (!s.incident) return out + "  no high or critical finding: nothing points to a compromise in this evidence\n";
  out += fmt::format("  entry        {}\n", Safe(s.entry));
  for (const auto& a : s.actors) {
    out += fmt::format("  actor        {} first seen {}{}{}; {} finding(s)\n", Safe(a.actor), a.first_seen,
                       a.source_ips.empty() ? "" : Safe(fmt::format(", from {}", fmt::join(a.source_ips, ", "))),
                       a.access_keys.empty() ? "" : Safe(fmt::format(", keys {}", fmt::join(a.access_keys, ", "))), a.findings);
  }
  auto list = [&](const char* label, const std::vector<std::string>& items) {
    for (size_t i = 0; i < items.size(); ++i) out += fmt::format("  {:<12} {}\n", i == 0 ? label : "", Safe(items[i]));
  };
  if (!s.functions.empty()) list("functions", {fmt::format("{}", fmt::join(s.functions, ", "))});
  list("changed", s.changes);
  list("persistence", s.persistence);
  list("data read", s.data);
  list("evasion", s.evasion);
  for (size_t i = 0; i < s.next.size(); ++i) {
    out += fmt::format("  {:<12} {}. {}\n", i == 0 ? "next" : "", i + 1, Safe(s.next[i]));
  }
  return out;
}

}  // namespace

std::string RenderTerminal(const AnalysisResult& r, const ReportContext& c, const TerminalOptions& options) {
  const Style st(options.color);
  std::string out;
  const ScanStats& s = r.stats;
  out += st.Bold("lambda-ir analyze") +
         fmt::format(": {} files, {} records, {} events kept by filters", s.files, s.records, s.events);
  if (s.skipped_records) out += fmt::format(", {} malformed records skipped", s.skipped_records);
  if (s.bad_files) out += fmt::format(", {} unreadable files", s.bad_files);
  out += "\n";
  if (s.first_event) {
    out += fmt::format("  events from {} to {}\n", FormatIso8601(*s.first_event), FormatIso8601(*s.last_event));
  }

  out += RenderSummary(SummarizeIncident(r, c.case_dir), st);

  const auto counts = SeverityCounts(r.findings);
  out += "\n" + st.Bold("Severity  Findings") + "\n";
  for (int i = 4; i >= 0; --i) {
    out += fmt::format("{}  {:>8}\n", st.Severity(static_cast<Severity>(i)), counts[i]);
  }

  if (!r.findings.empty()) out += "\n" + st.Bold("Findings") + "\n";
  for (const Finding* finding : BySeverityThenTime(r.findings)) {
    const Finding& f = *finding;
    if (f.routine && !c.show_routine) continue;
    out += fmt::format("{} {}  {}  {}\n", st.Severity(f.severity), FormatIso8601(f.time), st.Bold(f.rule_id),
                       Safe(f.title));
    out += fmt::format("         resource {}\n", Safe(f.resource));
    out += fmt::format("         actor    {}{}\n", Safe(f.actor),
                       f.source_ip.empty() ? "" : " from " + Safe(f.source_ip));
    if (f.event_ids.size() == 1) {
      out += st.Dim(fmt::format("         event    {} {}", Safe(f.event_name), Safe(f.event_ids[0]))) + "\n";
    } else {
      out += st.Dim(fmt::format("         events   {} (first {} {})", f.event_ids.size(), Safe(f.event_name),
                                Safe(f.event_ids.empty() ? "" : f.event_ids[0]))) + "\n";
    }
    if (!f.note.empty()) out += fmt::format("         note     {}\n", Safe(f.note));
    if (f.severity >= Severity::kMedium) out += fmt::format("         fix      {}\n", Safe(f.remediation));
  }
  if (!c.show_routine) {
    for (const RoutineSummary& routine : SummarizeRoutine(r.findings)) {
      out += st.Dim(fmt::format("  {} routine change(s) by {} hidden ({}): --all shows them", routine.findings,
                                Safe(routine.actor), Safe(routine.rules))) + "\n";
    }
  }

  const auto rules_by_event = RulesByEvent(r.findings);
  if (!r.timeline.empty()) {
    out += "\n" + st.Bold(fmt::format("Timeline ({} events)", r.timeline.size())) + "\n";
  }
  size_t shown = 0;
  for (const Event& e : r.timeline) {
    if (shown++ == options.timeline_limit) {
      out += st.Dim(fmt::format("  ... {} more in --format json\n", r.timeline.size() - options.timeline_limit));
      break;
    }
    auto rules = rules_by_event.find(e.event_id);
    std::string flags;
    if (rules != rules_by_event.end()) flags = " [" + fmt::format("{}", fmt::join(rules->second, ",")) + "]";
    const std::string target = e.function.empty() ? e.role : e.function;
    out += fmt::format("  {}  {:<30} {:<24} {}{}{}{}\n", FormatIso8601(e.time), Safe(e.name), Safe(target),
                       Safe(e.actor.Display()), e.source_ip.empty() ? "" : " @" + Safe(e.source_ip),
                       e.error_code.empty() ? "" : " !" + Safe(e.error_code), st.Paint("33", flags));
  }

  if (!r.own_reads_not_listed.empty()) {
    uint64_t total = 0;
    std::string kinds;
    for (const auto& [name, count] : r.own_reads_not_listed) {
      total += count;
      if (kinds.size() < 200) kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", name, count);
    }
    out += st.Dim(fmt::format("  {} read(s) by the function's own role not listed ({}): --timeline all lists them", total,
                              Safe(kinds))) + "\n";
  }
  if (r.function_history) {
    const FunctionHistory& h = *r.function_history;
    out += "\n" + st.Bold(fmt::format("Configuration history of {}", Safe(h.function))) + "\n";
    if (!h.roles.empty()) out += fmt::format("  execution role(s): {}\n", Safe(fmt::format("{}", fmt::join(h.roles, ", "))));
    for (const auto& [field, changes] : h.fields) {
      out += "  " + st.Bold(Safe(field)) + "\n";
      for (const FieldChange& ch : changes) {
        std::string value = Safe(ch.value);
        if (value.size() > 160) value = value.substr(0, 157) + "...";
        out += fmt::format("    {}  {}  by {}{}\n", FormatIso8601(ch.time), value, Safe(ch.actor),
                           ch.source_ip.empty() ? "" : " from " + Safe(ch.source_ip));
      }
    }
  }

  if (!r.issues.empty()) {
    out += "\n" + st.Bold("Input issues") + "\n";
    for (const ReadIssue& i : r.issues) {
      out += fmt::format("  {:<10} {}{}: {}\n", IssueKindName(i.kind), Safe(i.file),
                         i.position.empty() ? "" : " (" + i.position + ")", Safe(i.message));
    }
    if (r.issues_not_listed) out += fmt::format("  ... and {} more\n", r.issues_not_listed);
  }
  return out;
}

namespace {

// The terminal report orders findings by severity: it renders the whole result.
class TextSink final : public WholeResultSink {
 public:
  explicit TextSink(const SinkOptions& options) : options_(options) {}

 protected:
  std::string Render(const AnalysisResult& result, const ReportContext& context) override {
    return RenderTerminal(result, context, {options_.color, options_.timeline_limit});
  }

 private:
  SinkOptions options_;
};

}  // namespace

std::unique_ptr<ReportSink> MakeTextSink(const SinkOptions& options) { return std::make_unique<TextSink>(options); }

}  // namespace lir
