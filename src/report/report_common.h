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

// 32 hex digits naming one finding, the same for the same evidence on every run: its rule,
// where (account, region, resource), who, what it says (title) and what supports it (events,
// locations). Security Hub updates by it, code scanning tracks alerts by it: two findings
// must never share it.
std::string FindingFingerprint(const Finding& finding);

// "arn:aws:lambda:us-east-1:111122223333:function:x" gives us-east-1; empty for a global
// service's ARN (IAM) or anything else.
std::string RegionOfArn(std::string_view arn);

// What an ARN names, for the formats that type their resources (ASFF, OCSF).
enum class AwsResourceKind { kLambdaFunction, kIamRole, kIamUser, kCloudTrailTrail, kOther };
AwsResourceKind AwsResourceKindOf(std::string_view arn);


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
