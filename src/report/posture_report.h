// Renders `audit`'s posture report: terminal (findings by severity with their fix, then what
// could not be checked and the permission that would let it) and JSON (docs/audit.md).
#pragma once

#include <string>

#include "analysis/posture_checks.h"

namespace lir {

std::string RenderPostureJson(const PostureReport& report, const std::string& version);
std::string RenderPostureTerminal(const PostureReport& report, bool color);

}  // namespace lir
