// Renders an analysis: terminal, JSON (docs/analyze-json.md) and Markdown. Each renderer
// only formats; it never changes what was found.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/engine.h"

namespace lir {

// A case's integrity as `verify` proves it, for the reports that show it (HTML).
struct CaseIntegrity {
  std::string dir;
  bool ok = false;
  size_t artifacts = 0;
  size_t custody_lines = 0;
  std::string head;
  std::vector<std::string> problems;  // "kind path: message"
};

struct ReportContext {
  std::string version;
  std::vector<std::string> inputs;
  ScanOptions options;
  TimestampMs generated_at = 0;
  size_t rules_loaded = 0;
  bool show_routine = false;  // --all: routine findings in full instead of one line per actor
  std::vector<CaseIntegrity> cases;  // filled for the formats that show it (html)
  std::string case_dir;              // the one case analysed (its next steps act in it); empty otherwise
};

struct TerminalOptions {
  bool color = false;
  size_t timeline_limit = 200;  // rows shown; the JSON has them all
};

std::string RenderJson(const AnalysisResult& result, const ReportContext& context);
std::string RenderMarkdown(const AnalysisResult& result, const ReportContext& context);
std::string RenderTerminal(const AnalysisResult& result, const ReportContext& context,
                           const TerminalOptions& options);

}  // namespace lir
