// Renders an analysis: terminal, JSON (docs/analyze-json.md) and Markdown. Each renderer
// only formats; it never changes what was found.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/engine.h"

namespace lir {

struct ReportContext {
  std::string version;
  std::vector<std::string> inputs;
  ScanOptions options;
  TimestampMs generated_at = 0;
  size_t rules_loaded = 0;
  bool show_routine = false;  // --all: routine findings in full instead of one line per actor
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
