// `audit`'s judgement of an account inventory (pure: calls nothing). The configuration checks
// a case runs (config_analysis, runtime_support, role_policy_analysis) run on the live
// configuration, and the posture checks below add what only an account-wide read shows: code
// signing that only warns, roles trusted by more than Lambda or granting wildcard actions or
// missing the boundary the account uses, regions whose trails do not log Lambda invocations,
// short log retention, functions outside a VPC or in one subnet, async invocations with
// nowhere to fail to, layers not approved. Each finding carries its Security Hub controls, the
// `harden` fix and an aws CLI line where one call fixes it.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "analysis/config_analysis.h"
#include "analysis/finding.h"
#include "analysis/least_privilege.h"
#include "analysis/posture_inventory.h"
#include "core/aws_cli_line.h"

namespace lir {

struct PostureFinding {
  Finding finding;                    // rule_id, severity, title, description, remediation, resource, region, account
  std::string function;               // the function it concerns; empty for a role or a region
  std::vector<std::string> controls;  // Security Hub controls (check metadata)
  std::string harden;                 // the `harden --fixes` name (check metadata)
  std::string fix_command;            // aws CLI line(s), "<...>" for what the responder chooses
};

struct PostureOptions {
  AwsCliGlobals cli;                         // profile and endpoint repeated on fix lines (region: the finding's)
  std::vector<std::string> approved_layers;  // layer version ARNs; empty: not checked
  int min_log_retention_days = 90;
  // Least privilege (lambda_posture_unused_permissions): judged when asked, from the roles'
  // last-accessed reports and `trail` (nullptr: none), over the days before the read.
  bool least_privilege = false;
  const TrailUsage* trail = nullptr;
  int usage_window_days = 90;
};

struct PostureReport {
  std::string account;                // the caller's
  std::vector<std::string> accounts;  // every account read, the caller's first when read
  TimestampMs read_at = 0;
  std::vector<std::string> regions;
  size_t functions = 0, roles = 0;
  std::vector<PostureFinding> findings;  // by severity (highest first), check, resource
  std::vector<InventoryGap> gaps;        // reads that failed: checks that could not look
  std::vector<std::string> not_checked;  // checks skipped by design, with why
  std::vector<LeastPrivilege> least_privilege;  // per role judged, by role ARN
};

PostureReport AuditPosture(const AccountInventory& inventory, const PostureOptions& options);

// One report of several accounts' (`audit --accounts`): findings in the order of one account's,
// gaps and accounts in the order given, `account` the first's. `failed` are the accounts that
// could not be read at all, as gaps.
PostureReport MergePostureReports(std::vector<PostureReport> reports, std::vector<InventoryGap> failed);

// A flagged statement of a function's resource policy, or of one of its aliases' (`qualifier`).
struct QualifiedStatement {
  std::string qualifier;  // "" for the function's own policy
  FlaggedStatement flagged;
};
// Every flagged statement of the function's policies as read: public, foreign or unconditioned
// (the case's checks), and S3 sources the account does not own (when its buckets were read).
std::vector<QualifiedStatement> FlaggedFunctionStatements(const AccountInventory& inventory, const FunctionInventory& function);

// What Lambda does with a function's role (least_privilege's LambdaNeeds), from its
// configuration, invoke configs and its region's event source mappings as read.
std::set<std::string> FunctionLambdaNeeds(const AccountInventory& inventory, const FunctionInventory& function);

// Whether a trail's selectors (GetEventSelectors' answer) log Invoke of the function ARN.
bool SelectorsLogInvoke(const nlohmann::json& selectors, const std::string& function_arn);

// Whether the region's trails (RegionInventory::trails) log the function's invocations: a
// logging trail of the region whose selectors log it; unknown when a trail that may log it has
// a status or selectors that could not be read (never taken as a pass).
enum class Coverage { kLogged, kNotLogged, kUnknown };
Coverage TrailCoverage(const nlohmann::json& trails, const std::string& region, const std::string& function_arn);

}  // namespace lir
