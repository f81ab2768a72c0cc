#include "response/own_role.h"

#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/json_util.h"
#include "response/eradicate_steps.h"

namespace lir {

using nlohmann::json;

namespace {

std::string RoleArnFor(const json& docs) {
  const std::string old_arn = JStr(JAt(docs, "OldRole"), "Arn");
  return old_arn.substr(0, old_arn.rfind(':') + 1) + "role" + JStr(docs, "Path", "/") + JStr(docs, "NewRoleName");
}

std::string TagValue(const json& tags, const std::string& key) {
  for (const json& t : tags.is_array() ? tags : json::array()) {
    if (JStr(t, "Key") == key) return JStr(t, "Value");
  }
  return "";
}

}  // namespace

Result<void> CheckOwnRole(AwsCalls& calls, const json& docs, const std::string& function_arn) {
  const std::string name = JStr(docs, "NewRoleName");
  const json got = LIR_TRY(calls.Call(aws::Service::kIam, "GetRole", FormParams({{"RoleName", name}})));
  const json& role = JAt(got, "Role");
  const json tags = LIR_TRY(calls.CallAll(aws::Service::kIam, "ListRoleTags", FormParams({{"RoleName", name}})));
  std::vector<std::string> differs;
  if (DecodePolicyDocument(JStr(role, "AssumeRolePolicyDocument")) != JAt(docs, "AssumeRolePolicyDocument")) differs.push_back("its trust");
  if (TagValue(JAt(tags, "Tags"), kOwnRoleTag) != function_arn) differs.push_back(fmt::format("its {} tag", kOwnRoleTag));
  const json names = LIR_TRY(calls.CallAll(aws::Service::kIam, "ListRolePolicies", FormParams({{"RoleName", name}})));
  for (const json& n : JArr(names, "PolicyNames")) {
    if (!JAt(docs, "Inline").contains(n.get<std::string>())) differs.push_back("inline policy " + n.get<std::string>());
  }
  const json attached = LIR_TRY(calls.CallAll(aws::Service::kIam, "ListAttachedRolePolicies", FormParams({{"RoleName", name}})));
  for (const json& a : JArr(attached, "AttachedPolicies")) {
    const json& ours = JAt(docs, "Attached");
    if (std::find(ours.begin(), ours.end(), JStr(a, "PolicyArn")) == ours.end()) differs.push_back("attached " + JStr(a, "PolicyArn"));
  }
  if (differs.empty()) return {};
  return MakeError(ErrorCode::kConflict, fmt::format("role {} exists and is not the one harden makes ({} differ): the function was left on "
                                                     "its role; delete or rename that role, or move the function by hand",
                                                     name, fmt::join(differs, ", ")));
}

std::string OwnRoleName(const std::string& function) {
  constexpr std::string_view kSuffix = "-own-role";
  return function.substr(0, 64 - kSuffix.size()) + std::string(kSuffix);
}

json LambdaOnlyTrust() {
  return json{{"Version", "2012-10-17"},
              {"Statement", {{{"Effect", "Allow"}, {"Principal", {{"Service", "lambda.amazonaws.com"}}}, {"Action", "sts:AssumeRole"}}}}};
}

OwnRoleDocuments PlanOwnRoleDocuments(const json& old_documents, const std::string& function_arn, const std::optional<LeastPrivilege>& least,
                                      const RoleTampering& tampering) {
  const std::string function = function_arn.substr(function_arn.rfind(':') + 1);
  OwnRoleDocuments out;
  json& d = out.documents;
  d = json{{"Path", JStr(old_documents, "Path", "/")},
           {"Description", fmt::format("Execution role of {} alone (lambda-ir harden own-role, from {})", function, JStr(old_documents, "RoleName"))},
           {"AssumeRolePolicyDocument", LambdaOnlyTrust()},
           {"MaxSessionDuration", JInt(old_documents, "MaxSessionDuration", 0)},
           {"PermissionsBoundary", JStr(old_documents, "PermissionsBoundary")},
           {"Tags", json::array()},
           {"Inline", json::object()},
           {"Attached", json::array()},
           {"NewRoleName", OwnRoleName(function)},
           {"OldRole", old_documents},
           {"LeftOut", json::array()}};
  for (const json& t : JArr(old_documents, "Tags")) {
    if (JStr(t, "Key") != kOwnRoleTag) d["Tags"].push_back(t);
  }
  d["Tags"].push_back({{"Key", kOwnRoleTag}, {"Value", function_arn}});
  if (least) {
    d["Basis"] = "least-privilege";
    if (!JAt(least->policy, "Statement").empty()) d["Inline"][kLeastPrivilegePolicyName] = least->policy;
    out.notes.push_back(fmt::format("{}: the new role's policy is what its use needs ({}): review it; anything it did not use in the window "
                                    "(a yearly job, a rare error path) will be denied",
                                    function, fmt::join(least->sources, "; ")));
    return out;
  }
  d["Basis"] = "copy";
  std::vector<std::string> left_out;
  auto because = [&](const std::string& key) {
    auto it = tampering.because.find(key);
    return it == tampering.because.end() ? std::string() : " " + it->second;
  };
  for (const auto& [name, document] : JAt(old_documents, "Inline").items()) {
    if (tampering.inline_policies.count(name)) {
      left_out.push_back(fmt::format("inline policy {} (put by a suspect principal{})", name, because(name)));
    } else {
      d["Inline"][name] = document;
    }
  }
  for (const json& a : JArr(old_documents, "Attached")) {
    const std::string arn = a.get<std::string>();
    if (tampering.attached_policies.count(arn)) {
      left_out.push_back(fmt::format("attached policy {} (attached by a suspect principal{})", arn, because(arn)));
    } else {
      d["Attached"].push_back(arn);
    }
  }
  d["LeftOut"] = left_out;
  out.notes.push_back(fmt::format("{}: no witness of its use (IAM's last-accessed report or --cloudtrail): the new role copies the old "
                                  "one's grants{}; review them",
                                  function, left_out.empty() ? "" : fmt::format(" without {}", fmt::join(left_out, "; "))));
  return out;
}

bool SameButRole(const json& version, const json& latest) {
  auto comparable = [](json c) {
    for (const char* volatile_key : {"Role", "Version", "FunctionArn", "Description", "LastModified", "RevisionId", "State", "StateReason",
                                     "StateReasonCode", "LastUpdateStatus", "LastUpdateStatusReason", "LastUpdateStatusReasonCode",
                                     "MasterArn", "ResponseMetadata", "RuntimeVersionConfig"}) {
      c.erase(volatile_key);
    }
    // SnapStart optimises published versions only; the setting (ApplyOn) is compared.
    if (c.contains("SnapStart") && c["SnapStart"].is_object()) c["SnapStart"].erase("OptimizationStatus");
    return c;
  };
  return version.is_object() && latest.is_object() && comparable(version) == comparable(latest);
}

ResponseStep OwnRoleStep(const StepContext& ctx, const json& documents) {
  ResponseStep s = RecreateRoleStep(ctx, documents);  // its aws CLI lines: create, put, attach, switch
  const std::string new_role = JStr(documents, "NewRoleName"), old_role = JStr(JAt(documents, "OldRole"), "RoleName");
  s.key = ctx.key_prefix + kKindOwnRole;
  s.summary = fmt::format("execution role of {}: {} (shared or broader than its use) -> {} ({})", ctx.function, old_role, new_role,
                          JStr(documents, "Basis") == "copy" ? "a copy of the grants" : "the least-privilege policy");
  s.phase = 2;
  s.apply = [calls = ctx.calls, function = ctx.function, wait = ctx.wait_seconds](const json& prior) -> Result<json> {
    // From the recorded prior, so a rerun finishes the role it began.
    const std::string name = JStr(prior, "NewRoleName");
    const json current = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(function)));
    const std::string function_arn = JStr(current, "FunctionArn");
    // One of that name (a rerun's, or someone else's) is checked before anything is put on it.
    LIR_CHECK(CreateRoleFromDocuments(*calls, prior, name, [&] { return CheckOwnRole(*calls, prior, function_arn); }));
    const std::string arn = RoleArnFor(prior);
    if (JStr(current, "Role") == arn) return json{{"NewRoleArn", arn}, {"unchanged", "on its own role already"}};
    LIR_CHECK(SwitchFunctionRole(*calls, function, arn, wait));
    return json{{"NewRoleArn", arn}, {"OldRoleArn", JStr(JAt(prior, "OldRole"), "Arn")}};
  };
  return s;
}

ResponseStep PublishOwnRoleVersionStep(const StepContext& ctx, const std::string& own_role_key, const std::string& code_sha256) {
  ResponseStep s;
  const std::string why = "lambda-ir harden: $LATEST on its own role";
  s.key = ctx.key_prefix + kKindPublishVersion + "/own-role";
  s.action = AwsCliLine("lambda", "publish-version",
                        {{"--function-name", ctx.function}, {"--description", why}, {"--code-sha256", code_sha256}}, ctx.cli);
  s.summary = fmt::format("{}: a version of $LATEST on its own role, for its aliases to move to", ctx.function);
  s.phase = 3;
  if (!own_role_key.empty()) s.needs = {own_role_key};
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    const json versions = LIR_TRY(calls->CallAll(aws::Service::kLambda, "ListVersionsByFunction", LambdaParams(function)));
    json known = json::array();
    for (const auto& v : JArr(versions, "Versions")) known.push_back(JStr(v, "Version"));
    return json{{"Versions", known}};
  };
  s.apply = [calls = ctx.calls, function = ctx.function, why, code_sha256, wait = ctx.wait_seconds](const json&) -> Result<json> {
    LIR_CHECK(WaitForFunctionUpdate(*calls, function, wait));
    aws::CallParams p = LambdaParams(function);
    // Lambda refuses it if $LATEST's code changed since the plan (a deploy, or an attacker).
    p.body = json{{"Description", why}, {"CodeSha256", code_sha256}};
    const json v = LIR_TRY(calls->Call(aws::Service::kLambda, "PublishVersion", p));
    return json{{"Version", JStr(v, "Version")}, {"CodeSha256", JStr(v, "CodeSha256")}, {"Role", JStr(v, "Role")}};
  };
  return s;
}

ResponseStep MoveAliasStep(const StepContext& ctx, const std::string& alias, const json& served, const std::string& publish_key,
                           const std::function<Result<std::string>()>& published) {
  const std::string from = JStr(served, "Version");
  ResponseStep s = RepointAliasStep(ctx, alias, from, publish_key, published);
  s.summary = fmt::format("alias {} of {}: version {} (old role) -> the version on its own role", alias, ctx.function, from);
  s.apply = [calls = ctx.calls, function = ctx.function, alias, served, published, move = s.apply](const json& prior) -> Result<json> {
    // The alias moves only to what it ran, on the new role: settings changed since the plan stop it.
    const std::string version = LIR_TRY(published());
    const json now = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(function, version)));
    if (!SameButRole(now, served)) {
      return MakeError(ErrorCode::kConflict, fmt::format("version {} of {} is not version {} but for the role ($LATEST changed since the plan): "
                                                         "alias {} left on {}; run harden again",
                                                         version, function, JStr(served, "Version"), alias, JStr(served, "Version")));
    }
    return move(prior);
  };
  return s;
}

RecoveryPlanItem UndoOwnRole(const StepContext& ctx, const json& prior) {
  const std::string new_role = JStr(prior, "NewRoleName"), old_arn = JStr(JAt(prior, "OldRole"), "Arn");
  const std::string new_arn = RoleArnFor(prior);
  if (new_role.empty() || old_arn.empty()) return {false, fmt::format("own role of {}: the journal lacks the roles' names", ctx.function), {}};
  ResponseStep s;
  s.key = ctx.key_prefix + kKindOwnRole;
  s.phase = 3;  // after the aliases are back on the old role's versions
  s.action = AwsCliLine("lambda", "update-function-configuration", {{"--function-name", ctx.function}, {"--role", old_arn}}, ctx.cli);
  for (const auto& [policy, _] : JAt(prior, "Inline").items()) {
    s.action += "\n" + AwsCliLine("iam", "delete-role-policy", {{"--role-name", new_role}, {"--policy-name", policy}}, ctx.cli);
  }
  for (const json& arn : JArr(prior, "Attached")) {
    s.action += "\n" + AwsCliLine("iam", "detach-role-policy", {{"--role-name", new_role}, {"--policy-arn", arn.get<std::string>()}}, ctx.cli);
  }
  s.action += "\n" + AwsCliLine("iam", "delete-role", {{"--role-name", new_role}}, ctx.cli);
  s.summary = fmt::format("execution role of {}: {} -> {} as before harden, {} deleted", ctx.function, new_role,
                          JStr(JAt(prior, "OldRole"), "RoleName"), new_role);
  s.known_prior = json{{"Role", new_arn}};
  s.apply = [calls = ctx.calls, function = ctx.function, new_role, new_arn, old_arn, wait = ctx.wait_seconds](const json&) -> Result<json> {
    const json current = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(function)));
    const std::string role = JStr(current, "Role");
    if (role != new_arn && role != old_arn) {
      return json{{"unchanged", fmt::format("its role is {} now, not {}: left as it is, and {} kept", role, new_role, new_role)}};
    }
    if (role == new_arn) LIR_CHECK(SwitchFunctionRole(*calls, function, old_arn, wait));
    // An alias still serving a version on the new role would stop working without it.
    const json versions = LIR_TRY(calls->CallAll(aws::Service::kLambda, "ListVersionsByFunction", LambdaParams(function)));
    const json aliases = LIR_TRY(calls->CallAll(aws::Service::kLambda, "ListAliases", LambdaParams(function)));
    std::set<std::string> on_new_role;
    for (const json& v : JArr(versions, "Versions")) {
      if (JStr(v, "Role") == new_arn) on_new_role.insert(JStr(v, "Version"));
    }
    for (const json& a : JArr(aliases, "Aliases")) {
      std::vector<std::string> served = {JStr(a, "FunctionVersion")};
      for (const auto& [weighted, _] : JAt(JAt(a, "RoutingConfig"), "AdditionalVersionWeights").items()) served.push_back(weighted);
      for (const std::string& v : served) {
        if (on_new_role.count(v)) {
          return json{{"Role", old_arn}, {"unchanged", fmt::format("{} kept: alias {} serves version {} on it", new_role, JStr(a, "Name"), v)}};
        }
      }
    }
    LIR_CHECK(DeleteRoleAndPolicies(*calls, new_role));
    return json{{"Role", old_arn}, {"deleted", new_role}};
  };
  return {true, "", std::move(s)};
}

RecoveryPlanItem UndoAliasMove(const StepContext& ctx, const std::string& alias, const json& prior, const json& result,
                               const std::string& published) {
  // A run stopped before recording where it moved the alias moved it to the version it published.
  const std::string before = JStr(prior, "FunctionVersion"), moved_to = JStr(result, "FunctionVersion", published);
  if (before.empty() || moved_to.empty()) return {false, fmt::format("alias {} of {}: the journal lacks its versions", alias, ctx.function), {}};
  ResponseStep s;
  s.key = ctx.key_prefix + kKindAlias + "/" + alias;
  s.phase = 1;
  const json routing = JAt(prior, "RoutingConfig").is_object() ? JAt(prior, "RoutingConfig") : json{{"AdditionalVersionWeights", json::object()}};
  s.action = AwsCliLine("lambda", "update-alias",
                        {{"--function-name", ctx.function}, {"--name", alias}, {"--function-version", before}, {"--routing-config", routing.dump()}},
                        ctx.cli);
  s.summary = fmt::format("alias {} of {}: version {} -> {}, as before harden", alias, ctx.function, moved_to, before);
  s.known_prior = json{{"FunctionVersion", moved_to}};
  s.apply = [calls = ctx.calls, function = ctx.function, alias, before, moved_to, routing](const json&) -> Result<json> {
    aws::CallParams p = LambdaParams(function);
    p.path["Name"] = alias;
    const json now = LIR_TRY(calls->Call(aws::Service::kLambda, "GetAlias", p));
    if (JStr(now, "FunctionVersion") != moved_to) {
      return json{{"unchanged", fmt::format("it serves version {} now, not {}: left as it is", JStr(now, "FunctionVersion"), moved_to)}};
    }
    p.body = json{{"FunctionVersion", before}, {"RoutingConfig", routing}};
    const json a = LIR_TRY(calls->Call(aws::Service::kLambda, "UpdateAlias", p));
    return json{{"FunctionVersion", JStr(a, "FunctionVersion")}};
  };
  return {true, "", std::move(s)};
}

RecoveryPlanItem UndoPublishedVersion(const StepContext& ctx, const json& prior, const json& result) {
  const std::string version = JStr(result, "Version");
  if (version.empty() || version == "$LATEST") return {false, fmt::format("{}: no version was published", ctx.function), {}};
  const json& before = JAt(prior, "Versions");
  if (std::find(before.begin(), before.end(), version) != before.end()) {
    return {false, fmt::format("version {} of {} existed before harden (Lambda returned it for the unchanged function): kept", version, ctx.function), {}};
  }
  ResponseStep s;
  s.key = ctx.key_prefix + kKindPublishVersion + "/" + version;
  s.phase = 2;
  s.action = AwsCliLine("lambda", "delete-function", {{"--function-name", ctx.function}, {"--qualifier", version}}, ctx.cli);
  s.summary = fmt::format("version {} of {} (published by harden under the new role): deleted", version, ctx.function);
  s.known_prior = json{{"Version", version}};
  s.apply = [calls = ctx.calls, function = ctx.function, version](const json&) -> Result<json> {
    const json aliases = LIR_TRY(calls->CallAll(aws::Service::kLambda, "ListAliases", LambdaParams(function)));
    for (const json& a : JArr(aliases, "Aliases")) {
      const bool weighted = JAt(JAt(a, "RoutingConfig"), "AdditionalVersionWeights").contains(version);
      if (JStr(a, "FunctionVersion") == version || weighted) {
        return json{{"unchanged", fmt::format("alias {} serves it: kept", JStr(a, "Name"))}};
      }
    }
    return calls->Remove(aws::Service::kLambda, "DeleteFunction", LambdaParams(function, version), json{{"deleted", version}},
                         "deleted already");
  };
  return {true, "", std::move(s)};
}

}  // namespace lir
