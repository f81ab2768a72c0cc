#include "response/attacker_footholds.h"

#include <fmt/format.h>

#include "core/json_util.h"
#include "evidence/function_collector.h"

namespace lir {

using nlohmann::json;

namespace {

std::string Created(const SuspectResource& r) {
  return fmt::format("created by {} at {}; {}", r.creator, FormatIso8601(r.created_at), r.because);
}

ResponseStep DeactivateKeyStep(const StepContext& ctx, const SuspectResource& r) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindAccessKey + "/" + r.id;
  s.action = AwsCliLine("iam", "update-access-key", {{"--user-name", r.user}, {"--access-key-id", r.id}, {"--status", "Inactive"}}, ctx.cli);
  s.summary = fmt::format("access key {} of user {} ({}): -> Inactive", r.id, r.user, Created(r));
  s.read_prior = [calls = ctx.calls, r]() -> Result<json> {
    auto listed = calls->CallAll(aws::Service::kIam, "ListAccessKeys", FormParams({{"UserName", r.user}}));
    // The user is gone, and its keys with it: what eradication wanted.
    if (!listed && IsNotFound(listed.error())) return json{{"UserName", r.user}, {"AccessKeyId", r.id}, {"Status", "absent"}};
    const json keys = LIR_TRY(std::move(listed));
    for (const auto& k : JArr(keys, "AccessKeyMetadata")) {
      if (JStr(k, "AccessKeyId") == r.id) {
        return json{{"UserName", r.user}, {"AccessKeyId", r.id}, {"Status", JStr(k, "Status")}, {"CreateDate", JStr(k, "CreateDate")}};
      }
    }
    return json{{"UserName", r.user}, {"AccessKeyId", r.id}, {"Status", "absent"}};
  };
  s.apply = [calls = ctx.calls, r](const json& prior) -> Result<json> {
    if (JStr(prior, "Status") == "absent") return json{{"unchanged", "the key does not exist (any more)"}};
    if (JStr(prior, "Status") == "Inactive") return json{{"unchanged", "Inactive already"}};
    LIR_CHECK(calls->Call(aws::Service::kIam, "UpdateAccessKey", FormParams({{"UserName", r.user}, {"AccessKeyId", r.id}, {"Status", "Inactive"}})));
    return json{{"AccessKeyId", r.id}, {"Status", "Inactive"}};
  };
  return s;
}

ResponseStep DeleteLoginProfileStep(const StepContext& ctx, const SuspectResource& r) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindLoginProfile + "/" + r.id;
  s.action = AwsCliLine("iam", "delete-login-profile", {{"--user-name", r.id}}, ctx.cli);
  s.summary = fmt::format("console password of user {} ({}): deleted", r.id, Created(r));
  s.read_prior = [calls = ctx.calls, user = r.id]() -> Result<json> {
    const auto profile = LIR_TRY(calls->CallIfPresent(aws::Service::kIam, "GetLoginProfile", FormParams({{"UserName", user}})));
    return profile ? JAt(*profile, "LoginProfile") : json{{"UserName", user}, {"absent", true}};
  };
  s.apply = [calls = ctx.calls, user = r.id](const json&) -> Result<json> {
    return calls->Remove(aws::Service::kIam, "DeleteLoginProfile", FormParams({{"UserName", user}}), json{{"deleted", user}}, "no login profile");
  };
  return s;
}

ResponseStep DenyUserStep(const StepContext& ctx, const SuspectResource& r) {
  ResponseStep s;
  const json document = DenyAllDocument();
  s.key = ctx.key_prefix + kKindUserDeny + "/" + r.id;
  s.action = AwsCliLine("iam", "put-user-policy",
                        {{"--user-name", r.id}, {"--policy-name", kDenyAllPolicyName}, {"--policy-document", document.dump()}}, ctx.cli);
  s.summary = fmt::format("user {} ({}): + inline policy {} (deny everything)", r.id, Created(r), kDenyAllPolicyName);
  s.read_prior = [calls = ctx.calls, user = r.id]() -> Result<json> {
    const auto existing = LIR_TRY(calls->CallIfPresent(aws::Service::kIam, "GetUserPolicy", FormParams({{"UserName", user}, {"PolicyName", kDenyAllPolicyName}})));
    return json{{"UserName", user}, {"PolicyName", kDenyAllPolicyName},
                {"PolicyDocument", existing ? DecodePolicyDocument(JStr(*existing, "PolicyDocument")) : json()}};
  };
  s.apply = [calls = ctx.calls, user = r.id, document](const json&) -> Result<json> {
    auto put = calls->Call(aws::Service::kIam, "PutUserPolicy",
                           FormParams({{"UserName", user}, {"PolicyName", kDenyAllPolicyName}, {"PolicyDocument", document.dump()}}));
    if (!put && IsNotFound(put.error())) return json{{"unchanged", "the user does not exist (any more)"}};
    LIR_CHECK(std::move(put));
    return json{{"put", kDenyAllPolicyName}, {"UserName", user}};
  };
  return s;
}

ResponseStep DeleteLayerVersionStep(const StepContext& ctx, const SuspectResource& r, aws::AwsSession* session, EvidenceCase* evidence) {
  // arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION
  const std::string arn = r.id;
  const std::string version = arn.substr(arn.rfind(':') + 1);
  const std::string without_version = arn.substr(0, arn.rfind(':'));
  const std::string layer = without_version.substr(without_version.rfind(':') + 1);
  ResponseStep s;
  s.key = ctx.key_prefix + kKindLayerVersion + "/" + layer + "/" + version;
  s.action = AwsCliLine("lambda", "delete-layer-version", {{"--layer-name", layer}, {"--version-number", version}}, ctx.cli);
  s.summary = fmt::format("layer version {} ({}): collected into the case, then deleted", arn, Created(r));
  s.read_prior = [session, evidence, arn]() -> Result<json> {
    const std::string kept = LIR_TRY(CollectLayerVersion(*session, *evidence, arn));
    return json{{"LayerVersionArn", arn}, {"snapshot", kept}};
  };
  s.apply = [calls = ctx.calls, layer, version](const json&) -> Result<json> {
    aws::CallParams p;
    p.path = {{"LayerName", layer}, {"VersionNumber", version}};
    return calls->Remove(aws::Service::kLambda, "DeleteLayerVersion", p, json{{"deleted", layer + ":" + version}}, "deleted already");
  };
  return s;
}

}  // namespace

std::vector<ResponseStep> PlanFootholdSteps(ResponseSession& rs, const StepContext& ctx, const std::vector<SuspectResource>& resources,
                                            ResponseUi& ui) {
  std::vector<ResponseStep> steps;
  for (const SuspectResource& r : resources) {
    const bool regional = r.kind == "layer-version" || r.kind == "mapping";
    if (r.account != rs.account || (regional && r.region != rs.region)) {
      ui.Warning(fmt::format("{} {} is in account {} region {}, not the one these credentials act on: left alone", r.kind, r.id, r.account,
                             r.region));
      continue;
    }
    ui.Info(fmt::format("attacker's {} {}: {}", r.kind, r.id, Created(r)));
    if (r.kind == "access-key") {
      steps.push_back(DeactivateKeyStep(ctx, r));
    } else if (r.kind == "login-profile") {
      steps.push_back(DeleteLoginProfileStep(ctx, r));
    } else if (r.kind == "user") {
      steps.push_back(DenyUserStep(ctx, r));
    } else if (r.kind == "role") {
      ResponseStep step = InlinePolicyStep(ctx, std::string(kKindRoleDeny) + "/" + r.id, r.id, kDenyAllPolicyName, DenyAllDocument());
      step.summary = fmt::format("role {} ({}): + inline policy {} (deny everything)", r.id, Created(r), kDenyAllPolicyName);
      steps.push_back(std::move(step));
    } else if (r.kind == "layer-version") {
      if (!rs.evidence) continue;  // dry run: collected and deleted only for real
      steps.push_back(DeleteLayerVersionStep(ctx, r, rs.aws, rs.evidence.get()));
    } else if (r.kind == "mapping") {
      ResponseStep step = DisableMappingStep(ctx, r.id, "created by " + r.creator);
      step.key = ctx.key_prefix + kKindAttackerMapping + "/" + r.id;
      steps.push_back(std::move(step));
    }
  }
  if (resources.empty()) ui.Info("analysis found no key, user, login profile, role, layer or mapping created by a suspect principal");
  return steps;
}

}  // namespace lir
