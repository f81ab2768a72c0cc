#include "response/role_recreation.h"

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "core/json_util.h"
#include "response/eradicate_steps.h"

namespace lir {

using nlohmann::json;

namespace {

aws::CallParams Form(std::vector<std::pair<std::string, std::string>> fields) {
  aws::CallParams p;
  p.form = std::move(fields);
  return p;
}

bool IsIncidentResponsePolicy(const std::string& name) {
  return name == kDenyAllPolicyName || name == kRevokeSessionsPolicyName;
}

// Lambda refuses a role IAM has not propagated yet ("cannot be assumed by Lambda"): retry.
Result<void> SwitchRole(AwsCalls& calls, const std::string& function, const std::string& role_arn, int wait_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  while (true) {
    LIR_CHECK(WaitForFunctionUpdate(calls, function, wait_seconds));
    aws::CallParams p = LambdaParams(function);
    p.body = json{{"Role", role_arn}};
    auto r = calls.Call(aws::Service::kLambda, "UpdateFunctionConfiguration", p);
    if (r) break;
    if (r.error().service_code != "InvalidParameterValueException" || std::chrono::steady_clock::now() > deadline) {
      return tl::unexpected(r.error());
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  LIR_CHECK(WaitForFunctionUpdate(calls, function, wait_seconds));
  return {};
}

Result<void> CreateReplacement(AwsCalls& calls, const json& docs, const std::string& name) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"RoleName", name}, {"AssumeRolePolicyDocument", JAt(docs, "AssumeRolePolicyDocument").dump()},
      {"Path", JStr(docs, "Path", "/")},
      {"Description", fmt::format("Replaces {} (lambda-ir eradicate)", JStr(docs, "RoleName"))}};
  if (JInt(docs, "MaxSessionDuration", 0) > 0) fields.emplace_back("MaxSessionDuration", std::to_string(JInt(docs, "MaxSessionDuration")));
  auto created = calls.Call(aws::Service::kIam, "CreateRole", Form(fields));
  if (!created && created.error().code != ErrorCode::kConflict) return tl::unexpected(created.error());
  for (const auto& [policy, document] : JAt(docs, "Inline").items()) {
    LIR_CHECK(calls.Call(aws::Service::kIam, "PutRolePolicy",
                         Form({{"RoleName", name}, {"PolicyName", policy}, {"PolicyDocument", document.dump()}})));
  }
  for (const auto& arn : JArr(docs, "Attached")) {
    LIR_CHECK(calls.Call(aws::Service::kIam, "AttachRolePolicy", Form({{"RoleName", name}, {"PolicyArn", arn.get<std::string>()}})));
  }
  return {};
}

Result<void> DeleteRole(AwsCalls& calls, const std::string& role) {
  auto inline_names = calls.CallAll(aws::Service::kIam, "ListRolePolicies", Form({{"RoleName", role}}));
  if (!inline_names && IsNotFound(inline_names.error())) return {};  // gone already
  if (!inline_names) return tl::unexpected(inline_names.error());
  for (const auto& name : JArr(*inline_names, "PolicyNames")) {
    LIR_CHECK(calls.CallIfPresent(aws::Service::kIam, "DeleteRolePolicy", Form({{"RoleName", role}, {"PolicyName", name.get<std::string>()}})));
  }
  const json attached = LIR_TRY(calls.CallAll(aws::Service::kIam, "ListAttachedRolePolicies", Form({{"RoleName", role}})));
  for (const auto& a : JArr(attached, "AttachedPolicies")) {
    LIR_CHECK(calls.CallIfPresent(aws::Service::kIam, "DetachRolePolicy", Form({{"RoleName", role}, {"PolicyArn", JStr(a, "PolicyArn")}})));
  }
  LIR_CHECK(calls.CallIfPresent(aws::Service::kIam, "DeleteRole", Form({{"RoleName", role}})));
  return {};
}

Result<std::vector<std::string>> OtherUsers(AwsCalls& calls, const std::string& role_arn, const std::string& function) {
  const json all = LIR_TRY(calls.CallAll(aws::Service::kLambda, "ListFunctions", {}));
  std::vector<std::string> out;
  for (const auto& f : JArr(all, "Functions")) {
    if (JStr(f, "Role") == role_arn && JStr(f, "FunctionName") != function) out.push_back(JStr(f, "FunctionName"));
  }
  return out;
}

}  // namespace

Result<json> ReadRoleDocuments(AwsCalls& calls, const std::string& role) {
  const json got = LIR_TRY(calls.Call(aws::Service::kIam, "GetRole", Form({{"RoleName", role}})));
  const json& r = JAt(got, "Role");
  json docs{{"RoleName", role},
            {"Arn", JStr(r, "Arn")},
            {"Path", JStr(r, "Path", "/")},
            {"AssumeRolePolicyDocument", DecodePolicyDocument(JStr(r, "AssumeRolePolicyDocument"))},
            {"MaxSessionDuration", JInt(r, "MaxSessionDuration", 0)},
            {"Inline", json::object()},
            {"AllInlineNames", json::array()},
            {"Attached", json::array()}};
  const json names = LIR_TRY(calls.CallAll(aws::Service::kIam, "ListRolePolicies", Form({{"RoleName", role}})));
  for (const auto& n : JArr(names, "PolicyNames")) {
    const std::string name = n.get<std::string>();
    docs["AllInlineNames"].push_back(name);
    if (IsIncidentResponsePolicy(name)) continue;  // ours: the new role starts clean
    const json p = LIR_TRY(calls.Call(aws::Service::kIam, "GetRolePolicy", Form({{"RoleName", role}, {"PolicyName", name}})));
    docs["Inline"][name] = DecodePolicyDocument(JStr(p, "PolicyDocument"));
  }
  const json attached = LIR_TRY(calls.CallAll(aws::Service::kIam, "ListAttachedRolePolicies", Form({{"RoleName", role}})));
  for (const auto& a : JArr(attached, "AttachedPolicies")) docs["Attached"].push_back(JStr(a, "PolicyArn"));
  return docs;
}

std::string ReplacementRoleName(const std::string& old_role, TimestampMs now) {
  std::string stamp = FormatIso8601(now - now % 1000).substr(0, 19);
  std::erase_if(stamp, [](char c) { return c == '-' || c == ':' || c == 'T'; });
  const std::string suffix = "-ir-" + stamp;
  return old_role.substr(0, 64 - suffix.size()) + suffix;
}

ResponseStep RecreateRoleStep(const StepContext& ctx, const json& documents, bool delete_old) {
  const std::string old_role = JStr(documents, "RoleName"), new_role = JStr(documents, "NewRoleName");
  const std::string new_arn = JStr(documents, "Arn").substr(0, JStr(documents, "Arn").rfind(':') + 1) + "role" +
                              JStr(documents, "Path", "/") + new_role;
  ResponseStep s;
  s.key = ctx.key_prefix + kKindRecreateRole;
  // Several commands: each printed line is one aws CLI call.
  std::vector<std::string> lines = {AwsCliLine("iam", "create-role",
                                               {{"--role-name", new_role},
                                                {"--path", JStr(documents, "Path", "/")},
                                                {"--assume-role-policy-document", JAt(documents, "AssumeRolePolicyDocument").dump()}},
                                               ctx.cli)};
  for (const auto& [policy, document] : JAt(documents, "Inline").items()) {
    lines.push_back(AwsCliLine("iam", "put-role-policy",
                               {{"--role-name", new_role}, {"--policy-name", policy}, {"--policy-document", document.dump()}}, ctx.cli));
  }
  for (const auto& arn : JArr(documents, "Attached")) {
    lines.push_back(AwsCliLine("iam", "attach-role-policy", {{"--role-name", new_role}, {"--policy-arn", arn.get<std::string>()}}, ctx.cli));
  }
  lines.push_back(AwsCliLine("lambda", "update-function-configuration", {{"--function-name", ctx.function}, {"--role", new_arn}}, ctx.cli));
  if (delete_old) {
    for (const auto& policy : JArr(documents, "AllInlineNames")) {
      lines.push_back(AwsCliLine("iam", "delete-role-policy", {{"--role-name", old_role}, {"--policy-name", policy.get<std::string>()}}, ctx.cli));
    }
    for (const auto& arn : JArr(documents, "Attached")) {
      lines.push_back(AwsCliLine("iam", "detach-role-policy", {{"--role-name", old_role}, {"--policy-arn", arn.get<std::string>()}}, ctx.cli));
    }
    lines.push_back(AwsCliLine("iam", "delete-role", {{"--role-name", old_role}}, ctx.cli));
  }
  s.action = fmt::format("{}", fmt::join(lines, "\n"));
  s.known_prior = documents;
  s.apply = [calls = ctx.calls, function = ctx.function, delete_old, wait = ctx.wait_seconds](const json& prior) -> Result<json> {
    // From the recorded prior, so a rerun finishes the role it began.
    const std::string old_role = JStr(prior, "RoleName"), name = JStr(prior, "NewRoleName");
    LIR_CHECK(CreateReplacement(*calls, prior, name));
    const json created = LIR_TRY(calls->Call(aws::Service::kIam, "GetRole", Form({{"RoleName", name}})));
    const std::string arn = JStr(JAt(created, "Role"), "Arn");
    LIR_CHECK(SwitchRole(*calls, function, arn, wait));
    json result{{"NewRoleArn", arn}, {"OldRoleDeleted", false}};
    if (delete_old) {
      const auto others = LIR_TRY(OtherUsers(*calls, JStr(prior, "Arn"), function));
      if (others.empty()) {
        LIR_CHECK(DeleteRole(*calls, old_role));
        result["OldRoleDeleted"] = true;
      } else {
        result["OldRoleKeptFor"] = others;
      }
    }
    return result;
  };
  return s;
}

}  // namespace lir
