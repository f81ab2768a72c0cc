// One interface for every report of an analysis, as ripgrep separates its printers from its
// searcher: the driver hands a sink the header, then each finding, each timeline event, each
// read issue, and asks it to finish. A format is one sink in one file and one line in the
// registry (report_formats.cpp); commands take their `--format` names from the registry.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/engine.h"
#include "report/incident_summary.h"
#include "report/report.h"

namespace lir {

// What every sink may read before the first item; it lives until Finish returns. `result` is the whole analysis: a sink
// that orders findings its own way (terminal, Markdown) renders from it at Finish; the
// streaming ones (JSON, CSV, JSON Lines, SARIF) use the items as they come.
struct ReportHeader {
  const ReportContext& context;
  const AnalysisResult& result;
  const IncidentSummary& summary;
};

struct SinkOptions {
  bool color = false;
  size_t timeline_limit = 200;
  // ASFF: the account and region that import the findings (their ProductArn); empty: each
  // finding's own, else its resource's.
  std::string asff_account;
  std::string asff_region;
};

class ReportSink {
 public:
  virtual ~ReportSink() = default;
  virtual void Begin(const ReportHeader& header) = 0;
  virtual void OnFinding(const Finding& /*finding*/) {}
  // `rule_ids`: the rules that flagged the event, empty for context.
  virtual void OnEvent(const Event& /*event*/, const std::vector<std::string>& /*rule_ids*/) {}
  virtual void OnIssue(const ReadIssue& /*issue*/) {}
  virtual std::string Finish() = 0;
};

// A sink that needs the whole result at once (it orders findings by severity, or counts
// before it lists): it keeps the header and renders at Finish.
class WholeResultSink : public ReportSink {
 public:
  void Begin(const ReportHeader& header) override {
    result_ = &header.result;
    context_ = &header.context;
  }
  std::string Finish() override { return Render(*result_, *context_); }

 protected:
  virtual std::string Render(const AnalysisResult& result, const ReportContext& context) = 0;

 private:
  const AnalysisResult* result_ = nullptr;
  const ReportContext* context_ = nullptr;
};

struct ReportFormat {
  std::string_view name;
  std::string_view summary;  // for --help and the man page
  std::unique_ptr<ReportSink> (*make)(const SinkOptions& options);
};

// Every format, in the order --help lists them.
std::span<const ReportFormat> ReportFormats();

// The format of that name; null if none (the command line maps `terminal` and `table` to text).
const ReportFormat* FindReportFormat(std::string_view name);

// The names, for --format's check and help: "text, json, md, ...".
std::vector<std::string> ReportFormatNames();

// Drives `sink` over `result`: Begin, findings in the result's order (time), the timeline,
// the issues, Finish.
std::string RenderWith(ReportSink& sink, const AnalysisResult& result, const ReportContext& context);

// The registry's format by name over `result`; the caller has checked the name (an unknown
// one throws std::invalid_argument).
std::string RenderReport(std::string_view format, const AnalysisResult& result, const ReportContext& context,
                         const SinkOptions& options);

}  // namespace lir
