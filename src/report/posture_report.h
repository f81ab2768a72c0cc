// Renders `audit`'s posture report: terminal (findings by severity with their fix, then what
// could not be checked and the permission that would let it) and JSON (docs/audit.md).
#pragma once

#include <string>

#include "analysis/engine.h"
#include "analysis/posture_checks.h"

namespace lir {

std::string RenderPostureJson(const PostureReport& report, const std::string& version);
std::string RenderPostureTerminal(const PostureReport& report, bool color);

// The posture as an analysis, for the report formats every command shares (SARIF, CSV):
// each finding with its fix line after its remediation, each failed read as an issue.
AnalysisResult PostureAsAnalysis(const PostureReport& report);

}  // namespace lir
