// Inline policies on the execution role: the deny-all (removed at recovery only if we
// added it, else the policy it replaced is put back) and the revocation of sessions
// issued before containment (kept at recovery: it only stops credentials minted earlier).
#include <fmt/format.h>

#include "core/json_util.h"
#include "core/strings.h"
#include "response/steps.h"

namespace lir {

using nlohmann::json;

namespace {

aws::CallParams RolePolicyParams(const std::string& role, const std::string& policy) {
  aws::CallParams p;
  p.form = {{"RoleName", role}, {"PolicyName", policy}};
  return p;
}

Result<json> PutRolePolicy(AwsCalls& calls, const std::string& role, const std::string& policy, const json& document) {
  aws::CallParams p = RolePolicyParams(role, policy);
  p.form.emplace_back("PolicyDocument", document.dump());
  LIR_CHECK(calls.Call(aws::Service::kIam, "PutRolePolicy", p));
  return json{{"put", policy}, {"RoleName", role}};
}

}  // namespace

json DecodePolicyDocument(const std::string& text) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) doc = json::parse(UrlDecode(text), nullptr, false);
  return doc.is_discarded() ? json(text) : doc;
}

json DenyAllDocument() {
  return json{{"Version", "2012-10-17"},
              {"Statement", json::array({json{{"Sid", "IncidentResponseDenyAll"}, {"Effect", "Deny"}, {"Action", "*"}, {"Resource", "*"}}})}};
}

json RevokeOlderSessionsDocument(TimestampMs issued_before) {
  return json{{"Version", "2012-10-17"},
              {"Statement", json::array({json{{"Sid", "IncidentResponseRevokeOlderSessions"},
                                              {"Effect", "Deny"},
                                              {"Action", "*"},
                                              {"Resource", "*"},
                                              {"Condition", {{"DateLessThan", {{"aws:TokenIssueTime", FormatIso8601(issued_before)}}}}}}})}};
}

ResponseStep InlinePolicyStep(const StepContext& ctx, const std::string& kind, const std::string& role, const std::string& policy_name,
                              const json& document) {
  ResponseStep s;
  s.key = ctx.key_prefix + kind;
  s.action = AwsCliLine("iam", "put-role-policy",
                        {{"--role-name", role}, {"--policy-name", policy_name}, {"--policy-document", document.dump()}}, ctx.cli);
  s.summary = fmt::format("execution role {} of {}: + inline policy {} ({})", role, ctx.function, policy_name,
                          kind == kKindDenyPolicy ? "deny everything" : "deny sessions issued before now");
  s.phase = 2;
  // The same-named policy this replaces, if any: recovery puts it back rather than deleting.
  s.read_prior = [calls = ctx.calls, role, policy_name, document]() -> Result<json> {
    json prior{{"RoleName", role}, {"PolicyName", policy_name}, {"PolicyDocument", nullptr}};
    const auto existing = LIR_TRY(calls->CallIfPresent(aws::Service::kIam, "GetRolePolicy", RolePolicyParams(role, policy_name)));
    if (existing) prior["PolicyDocument"] = DecodePolicyDocument(JStr(*existing, "PolicyDocument"));
    // Ours already, from another function's containment on a shared role: nothing to put back
    // (the last recovery of that role removes it).
    if (prior["PolicyDocument"] == document) {
      prior["PolicyDocument"] = nullptr;
      prior["AlreadyInPlace"] = true;
    }
    return prior;
  };
  s.apply = [calls = ctx.calls, role, policy_name, document](const json&) { return PutRolePolicy(*calls, role, policy_name, document); };
  return s;
}

RecoveryPlanItem KeepRevocation(const StepContext&, const std::string&, const json& prior) {
  return {false, fmt::format("{} on role {} kept: it denies only sessions issued before containment", JStr(prior, "PolicyName"),
                             JStr(prior, "RoleName")),
          {}};
}

RecoveryPlanItem RecoverDenyPolicy(const StepContext& ctx, const std::string&, const json& prior) {
  const std::string role = JStr(prior, "RoleName"), policy = JStr(prior, "PolicyName");
  ResponseStep s;
  s.key = ctx.key_prefix + kKindDenyPolicy;
  s.phase = 0;
  s.read_prior = [calls = ctx.calls, role, policy]() -> Result<json> {
    const auto existing = LIR_TRY(calls->CallIfPresent(aws::Service::kIam, "GetRolePolicy", RolePolicyParams(role, policy)));
    return json{{"RoleName", role},
                {"PolicyName", policy},
                {"PolicyDocument", existing ? DecodePolicyDocument(JStr(*existing, "PolicyDocument")) : json()}};
  };
  const json& replaced = JAt(prior, "PolicyDocument");
  if (replaced.is_null()) {
    // We added it: removing it is the restoration.
    s.action = AwsCliLine("iam", "delete-role-policy", {{"--role-name", role}, {"--policy-name", policy}}, ctx.cli);
    s.summary = fmt::format("execution role {}: - inline policy {}", role, policy);
    s.apply = [calls = ctx.calls, role, policy](const json&) -> Result<json> {
      return calls->Remove(aws::Service::kIam, "DeleteRolePolicy", RolePolicyParams(role, policy),
                           json{{"deleted", policy}, {"RoleName", role}}, "no such inline policy");
    };
  } else {
    s.action = AwsCliLine("iam", "put-role-policy",
                          {{"--role-name", role}, {"--policy-name", policy}, {"--policy-document", replaced.dump()}}, ctx.cli);
    s.summary = fmt::format("execution role {}: inline policy {} put back as it was before containment", role, policy);
    s.apply = [calls = ctx.calls, role, policy, replaced](const json&) { return PutRolePolicy(*calls, role, policy, replaced); };
  }
  return {true, "", std::move(s)};
}

}  // namespace lir
