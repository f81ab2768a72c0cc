// Pieces the renderers share.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "analysis/engine.h"

namespace lir {

// Count of findings per severity, indexed by Severity.
std::array<size_t, 5> SeverityCounts(const std::vector<Finding>& findings);

// event id -> ids of the rules that flagged it.
std::map<std::string, std::vector<std::string>> RulesByEvent(const std::vector<Finding>& findings);

std::string_view IssueKindName(IssueKind kind);

}  // namespace lir
