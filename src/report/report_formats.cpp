// The registry of report formats: adding one is its sink's file and one line here.
#include <stdexcept>

#include "report/report_common.h"
#include "report/report_sink.h"

namespace lir {

std::unique_ptr<ReportSink> MakeTextSink(const SinkOptions& options);
std::unique_ptr<ReportSink> MakeJsonSink(const SinkOptions& options);
std::unique_ptr<ReportSink> MakeMarkdownSink(const SinkOptions& options);
std::unique_ptr<ReportSink> MakeSarifSink(const SinkOptions& options);
std::unique_ptr<ReportSink> MakeCsvSink(const SinkOptions& options);
std::unique_ptr<ReportSink> MakeTimelineJsonlSink(const SinkOptions& options);
std::unique_ptr<ReportSink> MakeAsffSink(const SinkOptions& options);
std::unique_ptr<ReportSink> MakeHtmlSink(const SinkOptions& options);
std::unique_ptr<ReportSink> MakeOcsfSink(const SinkOptions& options);

namespace {

constexpr ReportFormat kFormats[] = {
    {"text", "for reading in a terminal (colour only on a TTY); `terminal` and `table` are synonyms", &MakeTextSink},
    {"json", "the full analysis (docs/analyze-json.md)", &MakeJsonSink},
    {"md", "Markdown, for a ticket or a wiki", &MakeMarkdownSink},
    {"html", "one self-contained page (no fetches): summary, activity chart, filterable findings, history, case integrity",
     &MakeHtmlSink},
    {"sarif", "SARIF 2.1.0 for code-scanning tools: packages and logs with file and line, CloudTrail as resources",
     &MakeSarifSink},
    {"csv", "one row per finding (RFC 4180), cells that a spreadsheet would run as a formula prefixed with '",
     &MakeCsvSink},
    {"timeline-jsonl", "JSON Lines for Timesketch: the timeline's events and the findings, with message, datetime "
                       "and timestamp_desc",
     &MakeTimelineJsonlSink},
    {"asff", "AWS Security Finding Format: the list Security Hub's BatchImportFindings takes (--to-security-hub sends it)",
     &MakeAsffSink},
    {"ocsf", "OCSF 1.3.0 Detection Findings (class 2004), one per line, for Security Lake and SIEMs", &MakeOcsfSink},
};

}  // namespace

std::span<const ReportFormat> ReportFormats() { return kFormats; }

const ReportFormat* FindReportFormat(std::string_view name) {
  for (const ReportFormat& f : kFormats) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<std::string> ReportFormatNames() {
  std::vector<std::string> names;
  for (const ReportFormat& f : kFormats) names.emplace_back(f.name);
  return names;
}

std::string RenderWith(ReportSink& sink, const AnalysisResult& result, const ReportContext& context) {
  const IncidentSummary summary = SummarizeIncident(result, context.case_dir);
  const ReportHeader header{context, result, summary};  // lives until Finish: sinks may keep it
  sink.Begin(header);
  for (const Finding& f : result.findings) sink.OnFinding(f);
  const auto rules_by_event = RulesByEvent(result.findings);
  const std::vector<std::string> none;
  for (const Event& e : result.timeline) {
    auto rules = rules_by_event.find(e.event_id);
    sink.OnEvent(e, rules == rules_by_event.end() ? none : rules->second);
  }
  for (const ReadIssue& i : result.issues) sink.OnIssue(i);
  return sink.Finish();
}

std::string RenderReport(std::string_view format, const AnalysisResult& result, const ReportContext& context,
                         const SinkOptions& options) {
  const ReportFormat* f = FindReportFormat(format);
  if (f == nullptr) throw std::invalid_argument("unknown report format " + std::string(format));  // a caller's bug
  auto sink = f->make(options);
  return RenderWith(*sink, result, context);
}

}  // namespace lir
