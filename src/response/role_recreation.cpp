#include "response/role_recreation.h"

#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/json_util.h"
#include "response/eradicate_steps.h"
#include "response/shared_role.h"
#include "sources/event.h"

namespace lir {

using nlohmann::json;

namespace {


bool IsIncidentResponsePolicy(const std::string& name) {
  return name == kDenyAllPolicyName || name == kRevokeSessionsPolicyName;
}

bool Kept(const std::vector<std::string>& keep, const std::string& what) {
  return std::find(keep.begin(), keep.end(), what) != keep.end();
}


// Who a trust statement lets in from outside the account ("" when nobody).
std::string ForeignPrincipal(const json& statement, const std::string& account) {
  const json& principal = JAt(statement, "Principal");
  if (principal.is_string() && principal == "*") return "*";
  for (const auto& p : JStrings(JAt(principal, "AWS"))) {
    const std::string owner(AccountFromArnOrId(p));
    if (p == "*" || owner != account) return p;
  }
  return "";
}

// Administrator rights: "*" (or every IAM action) on every resource.
bool GrantsAdmin(const json& document) {
  json statements = JAt(document, "Statement");
  if (statements.is_object()) statements = json::array({statements});
  for (const auto& st : statements.is_array() ? statements : json::array()) {
    if (JStr(st, "Effect") != "Allow") continue;
    const auto actions = JStrings(JAt(st, "Action"));
    const auto resources = JStrings(JAt(st, "Resource"));
    const bool everything = std::find(resources.begin(), resources.end(), "*") != resources.end();
    for (const auto& a : actions) {
      if (everything && (a == "*" || a == "iam:*")) return true;
    }
  }
  return false;
}

bool AdminManagedPolicy(const std::string& arn) {
  for (const char* name : {"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"}) {
    if (arn.ends_with(std::string(":policy/") + name)) return true;
  }
  return false;
}

}  // namespace

Result<void> SwitchFunctionRole(AwsCalls& calls, const std::string& function, const std::string& role_arn, int wait_seconds) {
  // Lambda refuses a role IAM has not propagated yet ("cannot be assumed by Lambda"): retry.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  while (true) {
    LIR_CHECK(WaitForFunctionUpdate(calls, function, wait_seconds));
    aws::CallParams p = LambdaParams(function);
    p.body = json{{"Role", role_arn}};
    auto r = calls.Call(aws::Service::kLambda, "UpdateFunctionConfiguration", p);
    if (r) break;
    if (r.error().code != ErrorCode::kInvalidRequest || std::chrono::steady_clock::now() > deadline) return tl::unexpected(r.error());
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  LIR_CHECK(WaitForFunctionUpdate(calls, function, wait_seconds));
  return {};
}

Result<void> CreateRoleFromDocuments(AwsCalls& calls, const json& docs, const std::string& name,
                                     const std::function<Result<void>()>& accept_existing) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"RoleName", name}, {"AssumeRolePolicyDocument", JAt(docs, "AssumeRolePolicyDocument").dump()}, {"Path", JStr(docs, "Path", "/")}};
  if (!JStr(docs, "Description").empty()) fields.emplace_back("Description", JStr(docs, "Description"));
  if (JInt(docs, "MaxSessionDuration", 0) > 0) fields.emplace_back("MaxSessionDuration", std::to_string(JInt(docs, "MaxSessionDuration")));
  if (!JStr(docs, "PermissionsBoundary").empty()) fields.emplace_back("PermissionsBoundary", JStr(docs, "PermissionsBoundary"));
  int i = 0;
  for (const auto& tag : JArr(docs, "Tags")) {
    ++i;
    fields.emplace_back(fmt::format("Tags.member.{}.Key", i), JStr(tag, "Key"));
    fields.emplace_back(fmt::format("Tags.member.{}.Value", i), JStr(tag, "Value"));
  }
  auto created = calls.Call(aws::Service::kIam, "CreateRole", FormParams(fields));
  if (!created && created.error().code != ErrorCode::kConflict) return tl::unexpected(created.error());  // a rerun: it exists
  if (!created && accept_existing) LIR_CHECK(accept_existing());  // before anything is put on it
  for (const auto& [policy, document] : JAt(docs, "Inline").items()) {
    LIR_CHECK(calls.Call(aws::Service::kIam, "PutRolePolicy",
                         FormParams({{"RoleName", name}, {"PolicyName", policy}, {"PolicyDocument", document.dump()}})));
  }
  for (const auto& arn : JArr(docs, "Attached")) {
    LIR_CHECK(calls.Call(aws::Service::kIam, "AttachRolePolicy", FormParams({{"RoleName", name}, {"PolicyArn", arn.get<std::string>()}})));
  }
  return {};
}

Result<void> DeleteRoleAndPolicies(AwsCalls& calls, const std::string& role) {
  auto inline_names = calls.CallAll(aws::Service::kIam, "ListRolePolicies", FormParams({{"RoleName", role}}));
  if (!inline_names && IsNotFound(inline_names.error())) return {};  // gone already
  if (!inline_names) return tl::unexpected(inline_names.error());
  for (const auto& name : JArr(*inline_names, "PolicyNames")) {
    LIR_CHECK(calls.CallIfPresent(aws::Service::kIam, "DeleteRolePolicy", FormParams({{"RoleName", role}, {"PolicyName", name.get<std::string>()}})));
  }
  const json attached = LIR_TRY(calls.CallAll(aws::Service::kIam, "ListAttachedRolePolicies", FormParams({{"RoleName", role}})));
  for (const auto& a : JArr(attached, "AttachedPolicies")) {
    LIR_CHECK(calls.CallIfPresent(aws::Service::kIam, "DetachRolePolicy", FormParams({{"RoleName", role}, {"PolicyArn", JStr(a, "PolicyArn")}})));
  }
  LIR_CHECK(calls.CallIfPresent(aws::Service::kIam, "DeleteRole", FormParams({{"RoleName", role}})));
  return {};
}

namespace {

std::string NewRoleArn(const json& docs) {
  const std::string old_arn = JStr(JAt(docs, "OldRole"), "Arn", JStr(docs, "Arn"));
  return old_arn.substr(0, old_arn.rfind(':') + 1) + "role" + JStr(docs, "Path", "/") + JStr(docs, "NewRoleName");
}

}  // namespace

Result<json> ReadRoleDocuments(AwsCalls& calls, const std::string& role) {
  const json got = LIR_TRY(calls.Call(aws::Service::kIam, "GetRole", FormParams({{"RoleName", role}})));
  const json& r = JAt(got, "Role");
  json docs{{"RoleName", role},
            {"Arn", JStr(r, "Arn")},
            {"Path", JStr(r, "Path", "/")},
            {"Description", JStr(r, "Description")},
            {"AssumeRolePolicyDocument", DecodePolicyDocument(JStr(r, "AssumeRolePolicyDocument"))},
            {"MaxSessionDuration", JInt(r, "MaxSessionDuration", 0)},
            {"PermissionsBoundary", JStr(JAt(r, "PermissionsBoundary"), "PermissionsBoundaryArn")},
            {"Tags", json::array()},
            {"Inline", json::object()},
            {"AllInlineNames", json::array()},
            {"Attached", json::array()}};
  const json tags = LIR_TRY(calls.CallAll(aws::Service::kIam, "ListRoleTags", FormParams({{"RoleName", role}})));
  for (const auto& t : JArr(tags, "Tags")) docs["Tags"].push_back({{"Key", JStr(t, "Key")}, {"Value", JStr(t, "Value")}});
  const json names = LIR_TRY(calls.CallAll(aws::Service::kIam, "ListRolePolicies", FormParams({{"RoleName", role}})));
  for (const auto& n : JArr(names, "PolicyNames")) {
    const std::string name = n.is_string() ? n.get<std::string>() : "";
    if (name.empty()) continue;
    docs["AllInlineNames"].push_back(name);
    if (IsIncidentResponsePolicy(name)) continue;  // ours: the new role starts clean
    const json p = LIR_TRY(calls.Call(aws::Service::kIam, "GetRolePolicy", FormParams({{"RoleName", role}, {"PolicyName", name}})));
    docs["Inline"][name] = DecodePolicyDocument(JStr(p, "PolicyDocument"));
  }
  const json attached = LIR_TRY(calls.CallAll(aws::Service::kIam, "ListAttachedRolePolicies", FormParams({{"RoleName", role}})));
  docs["AttachedDocuments"] = json::object();
  for (const auto& a : JArr(attached, "AttachedPolicies")) {
    const std::string arn = JStr(a, "PolicyArn");
    docs["Attached"].push_back(arn);
    // What it grants: an administrator policy is left out of the new role like the attacker's.
    const json policy = LIR_TRY(calls.Call(aws::Service::kIam, "GetPolicy", FormParams({{"PolicyArn", arn}})));
    const std::string version = JStr(JAt(policy, "Policy"), "DefaultVersionId");
    if (version.empty()) continue;
    const json v = LIR_TRY(calls.Call(aws::Service::kIam, "GetPolicyVersion", FormParams({{"PolicyArn", arn}, {"VersionId", version}})));
    docs["AttachedDocuments"][arn] = DecodePolicyDocument(JStr(JAt(v, "PolicyVersion"), "Document"));
  }
  return docs;
}

CleanRole CleanRoleDocuments(const json& documents, const std::string& account, const RoleTampering& tampering,
                             const std::vector<std::string>& keep) {
  CleanRole clean{documents, {}};
  json& docs = clean.documents;
  auto because = [&](const std::string& key) {
    auto it = tampering.because.find(key);
    return it == tampering.because.end() ? std::string() : " (" + it->second + ")";
  };
  // Trust: no statement that lets in another account or anyone.
  json trust = JAt(documents, "AssumeRolePolicyDocument");
  json statements = json::array();
  for (const auto& st : JArr(trust, "Statement")) {
    const std::string foreign = ForeignPrincipal(st, account);
    const std::string sid = JStr(st, "Sid");
    const bool kept = Kept(keep, sid) || (!foreign.empty() && (Kept(keep, std::string(AccountFromArnOrId(foreign))) || Kept(keep, foreign)));
    if (!foreign.empty() && !kept) {
      clean.left_out.push_back(fmt::format("trust statement {}letting in {}{}: outside account {}", sid.empty() ? "" : sid + " ", foreign,
                                           tampering.trust_changed ? because("trust") : "", account));
      continue;
    }
    // A suspect rewrote the trust: principals of the account itself may be theirs too.
    const auto own = JStrings(JAt(JAt(st, "Principal"), "AWS"));
    const auto federated = JStrings(JAt(JAt(st, "Principal"), "Federated"));
    if (tampering.trust_changed && (!own.empty() || !federated.empty()) && !kept) {
      clean.left_out.push_back(fmt::format("trust statement {}letting in {}: the trust was rewritten by a suspect principal{}",
                                           sid.empty() ? "" : sid + " ", own.empty() ? federated.front() : own.front(), because("trust")));
      continue;
    }
    statements.push_back(st);
  }
  if (trust.is_object()) trust["Statement"] = statements;
  docs["AssumeRolePolicyDocument"] = trust;
  // Policies the suspects put or attached, or that grant administrator rights.
  json inline_docs = json::object();
  for (const auto& [name, document] : JAt(documents, "Inline").items()) {
    const bool by_suspect = tampering.inline_policies.count(name) > 0;
    if ((by_suspect || GrantsAdmin(document)) && !Kept(keep, name)) {
      clean.left_out.push_back(fmt::format("inline policy {}: {}{}", name, by_suspect ? "put by a suspect principal" : "grants administrator rights",
                                           because(name)));
      continue;
    }
    inline_docs[name] = document;
  }
  docs["Inline"] = inline_docs;
  json attached = json::array();
  for (const auto& a : JArr(documents, "Attached")) {
    const std::string arn = a.get<std::string>();
    const bool by_suspect = tampering.attached_policies.count(arn) > 0;
    if ((by_suspect || AdminManagedPolicy(arn) || GrantsAdmin(JAt(JAt(documents, "AttachedDocuments"), arn))) && !Kept(keep, arn)) {
      clean.left_out.push_back(fmt::format("attached policy {}: {}{}", arn, by_suspect ? "attached by a suspect principal" : "grants administrator rights",
                                           because(arn)));
      continue;
    }
    attached.push_back(arn);
  }
  docs["Attached"] = attached;
  return clean;
}

std::string ReplacementRoleName(const std::string& old_role, TimestampMs now) {
  std::string stamp = FormatIso8601(now - now % 1000).substr(0, 19);
  std::erase_if(stamp, [](char c) { return c == '-' || c == ':' || c == 'T'; });
  const std::string suffix = "-ir-" + stamp;
  return old_role.substr(0, 64 - suffix.size()) + suffix;
}

ResponseStep RecreateRoleStep(const StepContext& ctx, const json& documents) {
  const std::string old_role = JStr(JAt(documents, "OldRole"), "RoleName"), new_role = JStr(documents, "NewRoleName");
  const std::string new_arn = NewRoleArn(documents);
  ResponseStep s;
  s.key = ctx.key_prefix + kKindRecreateRole;
  std::vector<CliArg> create = {{"--role-name", new_role},
                                {"--path", JStr(documents, "Path", "/")},
                                {"--assume-role-policy-document", JAt(documents, "AssumeRolePolicyDocument").dump()}};
  if (!JStr(documents, "Description").empty()) create.push_back({"--description", JStr(documents, "Description")});
  if (JInt(documents, "MaxSessionDuration", 0) > 0) create.push_back({"--max-session-duration", std::to_string(JInt(documents, "MaxSessionDuration"))});
  if (!JStr(documents, "PermissionsBoundary").empty()) create.push_back({"--permissions-boundary", JStr(documents, "PermissionsBoundary")});
  if (!JArr(documents, "Tags").empty()) create.push_back({"--tags", JAt(documents, "Tags").dump()});
  // Several commands: each printed line is one aws CLI call.
  std::vector<std::string> lines = {AwsCliLine("iam", "create-role", create, ctx.cli)};
  for (const auto& [policy, document] : JAt(documents, "Inline").items()) {
    lines.push_back(AwsCliLine("iam", "put-role-policy",
                               {{"--role-name", new_role}, {"--policy-name", policy}, {"--policy-document", document.dump()}}, ctx.cli));
  }
  for (const auto& arn : JArr(documents, "Attached")) {
    lines.push_back(AwsCliLine("iam", "attach-role-policy", {{"--role-name", new_role}, {"--policy-arn", arn.get<std::string>()}}, ctx.cli));
  }
  lines.push_back(AwsCliLine("lambda", "update-function-configuration", {{"--function-name", ctx.function}, {"--role", new_arn}}, ctx.cli));
  s.action = fmt::format("{}", fmt::join(lines, "\n"));
  s.summary = fmt::format("execution role of {}: {} -> {} (a clean copy)", ctx.function, old_role, new_role);
  s.phase = 2;
  s.known_prior = documents;
  s.apply = [calls = ctx.calls, function = ctx.function, wait = ctx.wait_seconds](const json& prior) -> Result<json> {
    // From the recorded prior, so a rerun finishes the role it began.
    const std::string name = JStr(prior, "NewRoleName");
    LIR_CHECK(CreateRoleFromDocuments(*calls, prior, name));
    const json created = LIR_TRY(calls->Call(aws::Service::kIam, "GetRole", FormParams({{"RoleName", name}})));
    const std::string arn = JStr(JAt(created, "Role"), "Arn");
    LIR_CHECK(SwitchFunctionRole(*calls, function, arn, wait));
    return json{{"NewRoleArn", arn}};
  };
  return s;
}

ResponseStep DeleteOldRoleStep(const StepContext& ctx, const json& old_role) {
  const std::string role = JStr(old_role, "RoleName");
  ResponseStep s;
  s.key = ctx.key_prefix + kKindDeleteOldRole;
  std::vector<std::string> lines;
  for (const auto& policy : JArr(old_role, "AllInlineNames")) {
    lines.push_back(AwsCliLine("iam", "delete-role-policy", {{"--role-name", role}, {"--policy-name", policy.get<std::string>()}}, ctx.cli));
  }
  for (const auto& arn : JArr(old_role, "Attached")) {
    lines.push_back(AwsCliLine("iam", "detach-role-policy", {{"--role-name", role}, {"--policy-arn", arn.get<std::string>()}}, ctx.cli));
  }
  lines.push_back(AwsCliLine("iam", "delete-role", {{"--role-name", role}}, ctx.cli));
  s.action = fmt::format("{}", fmt::join(lines, "\n"));
  s.summary = fmt::format("old execution role {}: deleted once no function uses it (its credentials die with it)", role);
  s.phase = 5;
  s.known_prior = old_role;  // every document of it, as it was
  s.apply = [calls = ctx.calls, role, arn = JStr(old_role, "Arn"), account = ctx.account, region = ctx.region](const json&) -> Result<json> {
    // Everything that could still use it is checked before anything of it is touched.
    const RoleUsers users = FindRoleUsers(*calls, arn, "", account, region, 8);
    std::vector<std::string> users_left;
    for (const auto& f : users.functions) users_left.push_back("function " + f);
    for (const auto& svc : users.services) users_left.push_back("service " + svc);
    for (const auto& p : users.own_principals) users_left.push_back(p);
    const json profiles = LIR_TRY(calls->CallAll(aws::Service::kIam, "ListInstanceProfilesForRole", FormParams({{"RoleName", role}})));
    for (const auto& p : JArr(profiles, "InstanceProfiles")) users_left.push_back("instance profile " + JStr(p, "InstanceProfileName"));
    if (!users_left.empty()) return json{{"unchanged", fmt::format("kept: still used by {}", fmt::join(users_left, ", "))}};
    if (!users.unchecked.empty()) {
      Error e{ErrorCode::kPermissionDenied, fmt::format("role {} kept: who else uses it could not be checked: {}", role, fmt::join(users.unchecked, "; "))};
      return tl::unexpected(std::move(e));
    }
    LIR_CHECK(DeleteRoleAndPolicies(*calls, role));
    return json{{"deleted", role}};
  };
  return s;
}

}  // namespace lir
