// Findings as CSV (RFC 4180): one row per finding, for a spreadsheet or a ticket import.
// Event fields are the attacker's: a cell a spreadsheet would evaluate as a formula
// (= + - @, tab, carriage return first) is prefixed with ' so it stays text (OWASP's advice);
// a cell with ';' is quoted, so a spreadsheet whose locale separates on ';' keeps it whole;
// control characters are replaced, so the file printed to a terminal cannot drive it.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/strings.h"
#include "report/report_common.h"
#include "report/report_sink.h"

namespace lir {
namespace {

std::string Cell(std::string_view value) {
  std::string text;
  if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) text = "'";
  text += SanitizeKeepingLines(value);
  if (text.find_first_of(",;\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

class CsvSink final : public ReportSink {
 public:
  void Begin(const ReportHeader&) override {
    out_ =
        "time,severity,rule_id,title,resource,actor,access_key_id,source_ip,region,account,event_name,event_ids,"
        "events_not_listed,category,routine,mitre,note,remediation\r\n";
  }

  void OnFinding(const Finding& f) override {
    const std::string cells[] = {FormatIso8601(f.time),
                                 std::string(ToString(f.severity)),
                                 f.rule_id,
                                 f.title,
                                 f.resource,
                                 f.actor,
                                 f.access_key_id,
                                 f.source_ip,
                                 f.region,
                                 f.account,
                                 f.event_name,
                                 fmt::format("{}", fmt::join(f.event_ids, " ")),
                                 std::to_string(f.events_not_listed),
                                 f.category,
                                 f.routine ? "true" : "false",
                                 fmt::format("{}", fmt::join(f.mitre, " ")),
                                 f.note,
                                 f.remediation};
    bool first = true;
    for (const std::string& cell : cells) {
      if (!first) out_ += ',';
      first = false;
      out_ += Cell(cell);
    }
    out_ += "\r\n";
  }

  std::string Finish() override { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::unique_ptr<ReportSink> MakeCsvSink(const SinkOptions&) { return std::make_unique<CsvSink>(); }

}  // namespace lir
