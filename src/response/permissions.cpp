#include "response/permissions.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "evidence/function_collector.h"
#include "response/account_inventory.h"
#include "response/monitor.h"
#include "response/step_kinds.h"

namespace lir {

namespace {

using S = aws::Service;

// Authorisations that are no API call: creating a role with tags needs iam:TagRole, and
// pointing a function at a role needs iam:PassRole on it.
const std::vector<std::string> kRoleSwitchActions = {"iam:PassRole", "iam:TagRole"};

std::set<std::string> Actions(const std::vector<OperationRef>& ops) {
  std::set<std::string> out;
  for (const auto& op : ops) {
    const std::string action = aws::IamActionOf(op.service, op.name);
    if (!action.empty() && action != "sts:GetCallerIdentity") out.insert(action);  // needs no permission
  }
  return out;
}

std::string CamelCase(const std::string& text) {
  std::string out;
  bool up = true;
  for (char c : text) {
    if (c == '-' || c == '_' || c == ' ') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

void AddKinds(const std::string& command, const std::set<std::string>& groups, bool recovery, std::vector<PolicyStatement>* out) {
  for (const StepKind& k : StepKinds()) {
    if (command != k.command) continue;
    if (k.group != nullptr && !groups.empty() && !groups.count(k.group)) continue;
    const auto& ops = recovery ? k.recovery_operations : k.operations;
    if (ops.empty()) continue;
    const std::string name = k.group != nullptr ? k.group : k.kind;
    const std::string sid = fmt::format("LambdaIr{}{}", CamelCase(recovery ? "recover" : command), CamelCase(name));
    auto existing = std::find_if(out->begin(), out->end(), [&](const PolicyStatement& s) { return s.sid == sid; });
    if (existing == out->end()) {
      out->push_back({sid, recovery ? std::string(k.recovery) : std::string(k.does), Actions(ops)});
    } else {
      for (auto& a : Actions(ops)) existing->actions.insert(a);
    }
  }
}

}  // namespace

const std::vector<std::string>& CommandsWithPermissions() {
  static const std::vector<std::string> commands = {"whoami", "audit", "harden", "collect", "investigate", "contain", "eradicate", "recover", "monitor",
                                                    "security-hub", "accounts", "athena"};
  return commands;
}

Result<std::vector<PolicyStatement>> CommandPolicy(const std::string& command, const std::set<std::string>& contain_groups) {
  std::vector<PolicyStatement> out;
  const PolicyStatement kSecurityHubStatement{"LambdaIrSecurityHub", "--to-security-hub: the findings imported as ASFF",
                                             Actions({{S::kSecurityHub, "BatchImportFindings"}})};
  const PolicyStatement snapshot{"LambdaIrSnapshot", "the configuration snapshot taken before anything changes", Actions(SnapshotOperations())};
  if (command == "security-hub") {  // --to-security-hub, on audit and investigate: asked for apart
    out.push_back(kSecurityHubStatement);
    return out;
  }
  if (command == "accounts") {  // --accounts, on audit, collect, investigate, contain: asked for apart (each account's role needs the command's)
    out.push_back({"LambdaIrAccounts", "--accounts: the organisation's accounts (all), and the role assumed in each",
                   Actions({{S::kOrganizations, "ListAccounts"}, {S::kSts, "AssumeRole"}})});
    out.push_back({"LambdaIrLocate", "--accounts, --regions of collect, investigate, contain: the function searched by name",
                   Actions({{S::kLambda, "GetFunctionConfiguration"}})});
    out.push_back({"LambdaIrRegions", "--regions all: the regions each account has enabled (the caller's, and each role's)",
                   Actions({{S::kEc2, "DescribeRegions"}})});
    return out;
  }
  if (command == "athena") {  // analyze --athena: the query, and what Athena itself reads and writes as the caller
    out.push_back({"LambdaIrAthena", "analyze --athena: the records query started, waited for (stopped at --athena-timeout) and its pages read",
                   Actions({{S::kAthena, "StartQueryExecution"}, {S::kAthena, "GetQueryExecution"},
                            {S::kAthena, "GetQueryResults"}, {S::kAthena, "StopQueryExecution"}})});
    out.push_back({"LambdaIrAthenaData",
                   "Athena reads the table's definition and the trail's objects, and writes the results, as the caller "
                   "(scope the s3 actions to the trail bucket and the output location, kms to their keys)",
                   {"glue:GetDatabase", "glue:GetTable", "glue:GetPartitions", "s3:GetBucketLocation", "s3:ListBucket",
                    "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
                    "kms:Decrypt", "kms:GenerateDataKey"}});
    return out;
  }
  if (command == "whoami") {
    return out;  // GetCallerIdentity needs no permission
  }
  if (command == "audit") {
    out.push_back({"LambdaIrAudit", "audit's reads: functions, policies, URLs, code signing, roles, trails, log groups",
                   Actions(InventoryOperations())});
    out.push_back({"LambdaIrRegions", "audit --regions all: the regions the account has enabled", Actions({{S::kEc2, "DescribeRegions"}})});
    out.push_back({"LambdaIrAuditUsage", "audit --least-privilege: IAM's last-accessed report of each execution role, the event sources Lambda polls",
                   Actions(LastAccessedOperations())});
    return out;
  }
  if (command == "harden") {
    out.push_back({"LambdaIrAudit", "the read harden plans from (audit's)", Actions(InventoryOperations())});
    out.push_back({"LambdaIrHarden", "the fixes and their undoing",
                   Actions({{S::kLambda, "GetFunctionUrlConfig"}, {S::kLambda, "UpdateFunctionUrlConfig"}, {S::kLambda, "RemovePermission"},
                            {S::kLambda, "AddPermission"}, {S::kLambda, "GetFunctionEventInvokeConfig"},
                            {S::kLambda, "PutFunctionEventInvokeConfig"}, {S::kLambda, "DeleteFunctionEventInvokeConfig"},
                            {S::kLambda, "ListCodeSigningConfigs"}, {S::kLambda, "CreateCodeSigningConfig"},
                            {S::kLambda, "DeleteCodeSigningConfig"}, {S::kLambda, "PutFunctionCodeSigningConfig"},
                            {S::kLambda, "DeleteFunctionCodeSigningConfig"}, {S::kCloudTrail, "PutEventSelectors"},
                            {S::kSigner, "GetSigningProfile"}, {S::kSigner, "PutSigningProfile"}})});
    out.push_back({"LambdaIrHardenUsage", "own-role: the witnesses of each role's use", Actions(LastAccessedOperations())});
    out.push_back({"LambdaIrHardenOwnRole", "own-role: the function's own role, its aliases moved, and their undoing",
                   Actions({{S::kIam, "ListRoleTags"}, {S::kIam, "CreateRole"}, {S::kIam, "PutRolePolicy"},
                            {S::kIam, "AttachRolePolicy"}, {S::kIam, "DeleteRolePolicy"}, {S::kIam, "DetachRolePolicy"},
                            {S::kIam, "DeleteRole"}, {S::kLambda, "GetFunctionConfiguration"}, {S::kLambda, "UpdateFunctionConfiguration"},
                            {S::kLambda, "ListVersionsByFunction"}, {S::kLambda, "ListAliases"}, {S::kLambda, "GetAlias"},
                            {S::kLambda, "PublishVersion"}, {S::kLambda, "UpdateAlias"}, {S::kLambda, "DeleteFunction"}})});
    out.back().actions.insert(kRoleSwitchActions.begin(), kRoleSwitchActions.end());
    return out;
  }
  if (command == "collect" || command == "investigate") {
    out.push_back(snapshot);
    out.push_back({"LambdaIrCollect", "logs, metrics and CloudTrail of the window", Actions(CollectionOperations())});
    return out;
  }
  if (command == "contain") {
    out.push_back(snapshot);
    out.push_back({"LambdaIrContainPlan", "reads that plan containment and its warnings; the policy simulator behind --check",
                   Actions({{S::kLambda, "GetFunction"}, {S::kLambda, "GetFunctionConfiguration"}, {S::kLambda, "ListAliases"},
                            {S::kLambda, "ListVersionsByFunction"}, {S::kLambda, "GetFunctionEventInvokeConfig"},
                            {S::kLambda, "ListFunctionEventInvokeConfigs"}, {S::kIam, "GetRole"}, {S::kIam, "SimulatePrincipalPolicy"}})});
    AddKinds("contain", contain_groups, /*recovery=*/false, &out);
    return out;
  }
  if (command == "recover") {
    out.push_back({"LambdaIrRecoverCheck", "the live function checked against the case before it runs again",
                   Actions({{S::kLambda, "GetFunction"}, {S::kLambda, "GetPolicy"}, {S::kLambda, "GetFunctionUrlConfig"},
                            {S::kLambda, "ListFunctionEventInvokeConfigs"}})});
    AddKinds("contain", {}, /*recovery=*/true, &out);
    out.push_back({"LambdaIrRecoverMonitor", "--monitor: alarms against the function's baseline", Actions(MonitorOperations())});
    return out;
  }
  if (command == "eradicate") {
    out.push_back(snapshot);
    out.push_back({"LambdaIrEradicatePlan", "reads that plan eradication: the function, its versions, aliases and provisioned configs",
                   Actions({{S::kLambda, "GetFunctionConfiguration"}, {S::kLambda, "ListVersionsByFunction"}, {S::kLambda, "ListAliases"},
                            {S::kLambda, "ListProvisionedConcurrencyConfigs"}})});
    AddKinds("eradicate", {}, /*recovery=*/false, &out);
    for (PolicyStatement& s : out) {
      if (s.actions.count("iam:CreateRole")) s.actions.insert(kRoleSwitchActions.begin(), kRoleSwitchActions.end());
    }
    out.push_back({"LambdaIrEradicateRevokeSessions", "--revoke-sessions", Actions({{S::kIam, "GetRolePolicy"}, {S::kIam, "PutRolePolicy"}})});
    return out;
  }
  if (command == "monitor") {
    out.push_back({"LambdaIrMonitor", "monitor list and cleanup of the alarms recover --monitor made",
                   Actions({{S::kCloudWatch, "DescribeAlarms"}, {S::kCloudWatch, "ListTagsForResource"}, {S::kCloudWatch, "DeleteAlarms"}})});
    return out;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("permissions: no such command '{}' ({})", command, fmt::join(CommandsWithPermissions(), ", ")));
}

nlohmann::json PolicyDocument(const std::vector<PolicyStatement>& statements) {
  nlohmann::json doc{{"Version", "2012-10-17"}, {"Statement", nlohmann::json::array()}};
  for (const auto& s : statements) {
    if (s.actions.empty()) continue;
    doc["Statement"].push_back({{"Sid", s.sid}, {"Effect", "Allow"}, {"Action", s.actions}, {"Resource", "*"}});
  }
  return doc;
}

}  // namespace lir
