// Pieces the renderers share.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "analysis/engine.h"

namespace lir {

// "HIGH    ": the severity padded to 8, in its terminal colour when `color`.
std::string SeverityLabel(Severity severity, bool color);

// Count of findings per severity, indexed by Severity.
std::array<size_t, 5> SeverityCounts(const std::vector<Finding>& findings);

// event id -> ids of the rules that flagged it.
std::map<std::string, std::vector<std::string>> RulesByEvent(const std::vector<Finding>& findings);

std::string_view IssueKindName(IssueKind kind);

// "arn:aws:sts::1:assumed-role/ROLE/session" gives ROLE; empty for any other ARN.
std::string_view AssumedRoleName(std::string_view arn);

// Findings for reading: highest severity first, then by time (the JSON keeps time order).
std::vector<const Finding*> BySeverityThenTime(const std::vector<Finding>& findings);

// Routine findings collapsed to one line per actor: "12 routine change(s) by github-deploy".
struct RoutineSummary {
  std::string actor;
  size_t findings = 0;
  std::string rules;  // the rule ids, comma-separated
};
std::vector<RoutineSummary> SummarizeRoutine(const std::vector<Finding>& findings);

}  // namespace lir
