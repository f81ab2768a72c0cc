#include "response/step_kinds.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/strings.h"
#include "response/attacker_footholds.h"
#include "response/eradicate_steps.h"
#include "response/role_recreation.h"

namespace lir {

namespace {

using S = aws::Service;

}  // namespace

const std::vector<StepKind>& StepKinds() {
  static const std::vector<StepKind> kinds = {
      {kKindReserved, "throttle", "contain",
       "reserved concurrency 0, first of all: no new invocation runs (the prior value, or its absence, recorded)",
       "put back exactly: the value it had, or deleted if it had none",
       {{S::kLambda, "GetFunction"}, {S::kLambda, "GetFunctionConcurrency"}, {S::kLambda, "PutFunctionConcurrency"}},
       {{S::kLambda, "PutFunctionConcurrency"}},
       {{S::kLambda, "GetFunctionConcurrency"}, {S::kLambda, "PutFunctionConcurrency"}, {S::kLambda, "DeleteFunctionConcurrency"}},
       RecoverReserved},
      {kKindProvisioned, "throttle", "contain", "provisioned concurrency configs removed (each one blocks reserved 0 below it)",
       "put back with their requested values, after reserved concurrency",
       {{S::kLambda, "ListProvisionedConcurrencyConfigs"}, {S::kLambda, "GetProvisionedConcurrencyConfig"}, {S::kLambda, "ListAliases"},
        {S::kLambda, "ListVersionsByFunction"}, {S::kLambda, "DeleteProvisionedConcurrencyConfig"}},
       {{S::kLambda, "DeleteProvisionedConcurrencyConfig"}},
       {{S::kLambda, "PutProvisionedConcurrencyConfig"}},
       RecoverProvisioned},
      {kKindDestination, nullptr, "contain",
       "with --on-failure-destination: asynchronous events throttled past their retries go to your destination, on the "
       "function and on every qualifier that has its own (a foreign destination is replaced)",
       "the asynchronous settings put back as they were",
       {{S::kLambda, "GetFunctionEventInvokeConfig"}, {S::kLambda, "ListFunctionEventInvokeConfigs"}, {S::kLambda, "PutFunctionEventInvokeConfig"}},
       {{S::kLambda, "GetFunctionEventInvokeConfig"}, {S::kLambda, "PutFunctionEventInvokeConfig"}},
       {{S::kLambda, "GetFunctionEventInvokeConfig"}, {S::kLambda, "PutFunctionEventInvokeConfig"}, {S::kLambda, "DeleteFunctionEventInvokeConfig"}},
       RecoverDestination},
      {kKindMapping, "mappings", "contain",
       "every event source mapping of the function, its versions and aliases disabled, and waited for until Disabled",
       "re-enabled if it was enabled, unless a suspect principal created it",
       {{S::kLambda, "ListEventSourceMappings"}, {S::kLambda, "GetEventSourceMapping"}, {S::kLambda, "UpdateEventSourceMapping"}},
       {{S::kLambda, "GetEventSourceMapping"}, {S::kLambda, "UpdateEventSourceMapping"}},
       {{S::kLambda, "GetEventSourceMapping"}, {S::kLambda, "UpdateEventSourceMapping"}},
       RecoverMapping},
      {kKindDenyPolicy, "deny", "contain",
       "a deny-all inline policy on the execution role: stolen role credentials stop working (refused when other "
       "functions, other services or accounts of yours use the role, unless --allow-shared-role)",
       "removed if lambda-ir added it (a policy it replaced is put back); kept while another contained function uses the role",
       {{S::kLambda, "GetFunctionConfiguration"}, {S::kLambda, "ListFunctions"}, {S::kIam, "GetRole"}, {S::kIam, "GetRolePolicy"},
        {S::kIam, "PutRolePolicy"}},
       {{S::kIam, "GetRolePolicy"}, {S::kIam, "PutRolePolicy"}},
       {{S::kIam, "GetRolePolicy"}, {S::kIam, "DeleteRolePolicy"}, {S::kIam, "PutRolePolicy"}},
       RecoverDenyPolicy},
      {kKindRevokeSessions, "sessions", "contain",
       "a policy denying the role's sessions issued before now (aws:TokenIssueTime): credentials already taken stop working",
       "kept: it only stops credentials minted before containment",
       {{S::kIam, "GetRolePolicy"}, {S::kIam, "PutRolePolicy"}},
       {{S::kIam, "GetRolePolicy"}, {S::kIam, "PutRolePolicy"}},
       {},
       KeepRevocation},
      {kKindUrl, "url", "contain", "function URLs switched to AuthType AWS_IAM (after the snapshot)",
       "put back to their auth type only together with the statement that makes them public; else left AWS_IAM",
       {{S::kLambda, "ListAliases"}, {S::kLambda, "GetFunctionUrlConfig"}, {S::kLambda, "UpdateFunctionUrlConfig"}},
       {{S::kLambda, "GetFunctionUrlConfig"}, {S::kLambda, "UpdateFunctionUrlConfig"}},
       {{S::kLambda, "GetPolicy"}, {S::kLambda, "UpdateFunctionUrlConfig"}},
       RecoverUrl},
      {kKindStatement, "statements", "contain",
       "the resource-policy statements analysis flags (public, foreign account, unconditioned service) removed (after the snapshot)",
       "kept removed: they are the attacker's way in; their text is in the journal",
       {{S::kLambda, "ListAliases"}, {S::kLambda, "GetPolicy"}, {S::kLambda, "RemovePermission"}},
       {{S::kLambda, "RemovePermission"}},
       {},
       KeepStatement},
      {kKindDeleteFunction, nullptr, "eradicate", "a function collected into the case, then deleted", "not undone: eradication is the fix",
       {{S::kLambda, "GetFunctionConfiguration"}, {S::kLambda, "DeleteFunction"}},
       {{S::kLambda, "DeleteFunction"}}, {}, nullptr},
      {kKindRedeploy, nullptr, "eradicate", "known-good code deployed, its CodeSha256 checked", "not undone",
       {{S::kLambda, "GetFunctionConfiguration"}, {S::kLambda, "UpdateFunctionCode"}},
       {{S::kLambda, "UpdateFunctionCode"}}, {}, nullptr},
      {kKindRestoreConfig, nullptr, "eradicate", "a known-good configuration restored and read back", "not undone",
       {{S::kLambda, "GetFunctionConfiguration"}, {S::kLambda, "UpdateFunctionConfiguration"}},
       {{S::kLambda, "UpdateFunctionConfiguration"}}, {}, nullptr},
      {kKindRecreateRole, nullptr, "eradicate",
       "a clean execution role: the attacker's trust statements and policies left out (unless --keep), boundary, tags, "
       "description and session duration kept; $LATEST switched to it",
       "not undone",
       {{S::kLambda, "GetFunctionConfiguration"}, {S::kIam, "GetRole"}, {S::kIam, "ListRoleTags"}, {S::kIam, "ListRolePolicies"},
        {S::kIam, "GetRolePolicy"}, {S::kIam, "ListAttachedRolePolicies"}, {S::kIam, "GetPolicy"}, {S::kIam, "GetPolicyVersion"},
        {S::kIam, "CreateRole"}, {S::kIam, "PutRolePolicy"},
        {S::kIam, "AttachRolePolicy"}, {S::kLambda, "UpdateFunctionConfiguration"}},
       {{S::kIam, "CreateRole"}, {S::kIam, "PutRolePolicy"}, {S::kIam, "AttachRolePolicy"}, {S::kLambda, "UpdateFunctionConfiguration"}},
       {}, nullptr},
      {kKindPublishVersion, nullptr, "eradicate", "a version of the fixed $LATEST, for the aliases that served tainted versions",
       "not undone", {{S::kLambda, "ListVersionsByFunction"}, {S::kLambda, "PublishVersion"}}, {{S::kLambda, "PublishVersion"}}, {}, nullptr},
      {kKindAlias, nullptr, "eradicate",
       "an alias that served a tainted version (its code flagged, published since the incident began, or run with the old role) "
       "moved to the new version",
       "not undone: the journal keeps the version it served",
       {{S::kLambda, "ListAliases"}, {S::kLambda, "GetAlias"}, {S::kLambda, "UpdateAlias"}}, {{S::kLambda, "UpdateAlias"}}, {}, nullptr},
      {kKindMoveProvisioned, nullptr, "eradicate", "provisioned concurrency on a tainted version moved to the new version", "not undone",
       {{S::kLambda, "ListProvisionedConcurrencyConfigs"}, {S::kLambda, "DeleteProvisionedConcurrencyConfig"},
        {S::kLambda, "PutProvisionedConcurrencyConfig"}},
       {{S::kLambda, "DeleteProvisionedConcurrencyConfig"}, {S::kLambda, "PutProvisionedConcurrencyConfig"}}, {}, nullptr},
      {kKindDeleteOldRole, nullptr, "eradicate", "the old execution role deleted once no function in any region uses it", "not undone",
       {{S::kLambda, "ListFunctions"}, {S::kIam, "GetRole"}, {S::kIam, "ListInstanceProfilesForRole"}, {S::kIam, "ListRolePolicies"},
        {S::kIam, "ListAttachedRolePolicies"}, {S::kIam, "DeleteRolePolicy"}, {S::kIam, "DetachRolePolicy"}, {S::kIam, "DeleteRole"}},
       {{S::kIam, "DeleteRolePolicy"}, {S::kIam, "DetachRolePolicy"}, {S::kIam, "DeleteRole"}}, {}, nullptr},
      {kKindAccessKey, nullptr, "eradicate", "with --attacker-iam: an access key a suspect created made Inactive",
       "not undone: the journal keeps its status (update-access-key --status Active puts it back)",
       {{S::kIam, "ListAccessKeys"}, {S::kIam, "UpdateAccessKey"}}, {{S::kIam, "UpdateAccessKey"}}, {}, nullptr},
      {kKindLoginProfile, nullptr, "eradicate", "with --attacker-iam: a console password a suspect set deleted", "not undone",
       {{S::kIam, "GetLoginProfile"}, {S::kIam, "DeleteLoginProfile"}}, {{S::kIam, "DeleteLoginProfile"}}, {}, nullptr},
      {kKindUserDeny, nullptr, "eradicate", "with --attacker-iam: a user a suspect created given the deny-all inline policy",
       "not undone: the user is kept for the investigation", {{S::kIam, "GetUserPolicy"}, {S::kIam, "PutUserPolicy"}},
       {{S::kIam, "PutUserPolicy"}}, {}, nullptr},
      {kKindRoleDeny, nullptr, "eradicate", "with --attacker-iam: a role a suspect created given the deny-all inline policy",
       "not undone: the role is kept for the investigation", {{S::kIam, "GetRolePolicy"}, {S::kIam, "PutRolePolicy"}},
       {{S::kIam, "PutRolePolicy"}}, {}, nullptr},
      {kKindLayerVersion, nullptr, "eradicate", "with --attacker-iam: a layer version a suspect published, collected then deleted",
       "not undone", {{S::kLambda, "GetLayerVersionByArn"}, {S::kLambda, "DeleteLayerVersion"}}, {{S::kLambda, "DeleteLayerVersion"}}, {},
       nullptr},
      {kKindAttackerMapping, nullptr, "eradicate", "with --attacker-iam: an event source mapping a suspect created, disabled",
       "not undone", {{S::kLambda, "GetEventSourceMapping"}, {S::kLambda, "UpdateEventSourceMapping"}},
       {{S::kLambda, "UpdateEventSourceMapping"}}, {}, nullptr},
  };
  return kinds;
}

const StepKind* FindStepKind(std::string_view kind) {
  for (const StepKind& k : StepKinds()) {
    if (kind == k.kind) return &k;
  }
  return nullptr;
}

std::vector<std::string> ContainGroups() {
  std::vector<std::string> groups;
  for (const StepKind& k : StepKinds()) {
    if (k.group != nullptr && std::find(groups.begin(), groups.end(), k.group) == groups.end()) groups.emplace_back(k.group);
  }
  return groups;
}

Result<std::set<std::string>> ParseContainGroups(const std::string& list) {
  const std::vector<std::string> known = ContainGroups();
  std::set<std::string> groups;
  for (std::string_view raw : Split(list, ',')) {
    const std::string name(Trim(raw));
    if (name.empty()) continue;
    if (name == "all") {
      groups.insert(known.begin(), known.end());
    } else if (std::find(known.begin(), known.end(), name) != known.end()) {
      groups.insert(name);
    } else {
      return MakeError(ErrorCode::kInvalidArgument, fmt::format("--steps: unknown step '{}' ({}, all)", name, fmt::join(known, ", ")));
    }
  }
  return groups;
}

std::string ContainGroupsHelp() {
  std::string help;
  for (const std::string& group : ContainGroups()) {
    std::vector<std::string> does;
    for (const StepKind& k : StepKinds()) {
      if (k.group != nullptr && group == k.group) does.emplace_back(k.does);
    }
    help += fmt::format("\n  {}: {}", group, fmt::join(does, "; "));
  }
  return help;
}

std::pair<std::string, std::string> KindAndId(const std::string& key, const std::string& prefix) {
  const std::string rest = key.rfind(prefix, 0) == 0 ? key.substr(prefix.size()) : key;
  const size_t slash = rest.find('/');
  return {rest.substr(0, slash), slash == std::string::npos ? "" : rest.substr(slash + 1)};
}

std::string RoundKeyKind(const std::string& key) {
  const auto parts = Split(key, '/');
  if (parts.size() < 4 || parts[2].empty() || parts[2][0] != 'r') return "";
  return std::string(parts[3]);
}

}  // namespace lir
