// How the function can be reached: its URLs (switched to AWS_IAM), the resource-policy
// statements analysis flagged (removed; not put back at recovery, since they are the
// attacker's way in), and the on-failure destination that keeps throttled async events.
#include <fmt/format.h>

#include "core/json_util.h"
#include "response/steps.h"

namespace lir {

using nlohmann::json;

namespace {

std::vector<CliArg> FunctionArgs(const StepContext& ctx, const std::string& qualifier) {
  std::vector<CliArg> args{{"--function-name", ctx.function}};
  if (!qualifier.empty()) args.push_back({"--qualifier", qualifier});
  return args;
}

Result<json> SetUrlAuthType(AwsCalls& calls, const std::string& function, const std::string& qualifier, const std::string& auth) {
  aws::CallParams p = LambdaParams(function, qualifier);
  p.body = json{{"AuthType", auth}};
  json doc = LIR_TRY(calls.Call(aws::Service::kLambda, "UpdateFunctionUrlConfig", p));
  return json{{"AuthType", JStr(doc, "AuthType")}, {"FunctionArn", JStr(doc, "FunctionArn")}};
}

// The settings PutFunctionEventInvokeConfig takes, from a Get response.
json InvokeConfigBody(const json& config) {
  json body = json::object();
  for (const char* k : {"MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig"}) {
    if (config.contains(k) && !config[k].is_null()) body[k] = config[k];
  }
  return body;
}

std::vector<CliArg> InvokeConfigArgs(const StepContext& ctx, const json& body) {
  std::vector<CliArg> args = FunctionArgs(ctx, "");
  if (body.contains("MaximumRetryAttempts")) args.push_back({"--maximum-retry-attempts", body["MaximumRetryAttempts"].dump()});
  if (body.contains("MaximumEventAgeInSeconds")) args.push_back({"--maximum-event-age-in-seconds", body["MaximumEventAgeInSeconds"].dump()});
  if (body.contains("DestinationConfig")) args.push_back({"--destination-config", body["DestinationConfig"].dump()});
  return args;
}

Result<json> PutInvokeConfig(AwsCalls& calls, const std::string& function, const json& body) {
  aws::CallParams p = LambdaParams(function);
  p.body = body;
  json doc = LIR_TRY(calls.Call(aws::Service::kLambda, "PutFunctionEventInvokeConfig", p));
  return InvokeConfigBody(doc);
}

}  // namespace

ResponseStep UrlAuthIamStep(const StepContext& ctx, const std::string& qualifier) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindUrl + "/" + (qualifier.empty() ? "$LATEST" : qualifier);
  auto args = FunctionArgs(ctx, qualifier);
  args.push_back({"--auth-type", "AWS_IAM"});
  s.action = AwsCliLine("lambda", "update-function-url-config", args, ctx.cli);
  s.read_prior = [calls = ctx.calls, function = ctx.function, qualifier]() -> Result<json> {
    json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionUrlConfig", LambdaParams(function, qualifier)));
    return json{{"Qualifier", qualifier}, {"AuthType", JStr(doc, "AuthType")}, {"FunctionUrl", JStr(doc, "FunctionUrl")}};
  };
  s.apply = [calls = ctx.calls, function = ctx.function, qualifier](const json& prior) -> Result<json> {
    if (JStr(prior, "AuthType") == "AWS_IAM") return json{{"unchanged", "AuthType was AWS_IAM already"}};
    return SetUrlAuthType(*calls, function, qualifier, "AWS_IAM");
  };
  return s;
}

ResponseStep RemoveStatementStep(const StepContext& ctx, const std::string& qualifier, const std::string& sid, const json& statement,
                                 const std::string& rule_id) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindStatement + "/" + (qualifier.empty() ? "$LATEST" : qualifier) + "/" + sid;
  auto args = FunctionArgs(ctx, qualifier);
  args.push_back({"--statement-id", sid});
  s.action = AwsCliLine("lambda", "remove-permission", args, ctx.cli);
  s.known_prior = json{{"Qualifier", qualifier}, {"Sid", sid}, {"Statement", statement}, {"Flagged", rule_id}};
  s.apply = [calls = ctx.calls, function = ctx.function, qualifier, sid](const json&) -> Result<json> {
    aws::CallParams p = LambdaParams(function, qualifier);
    p.path["StatementId"] = sid;
    return calls->Remove(aws::Service::kLambda, "RemovePermission", p, json{{"removed", sid}}, "statement absent (removed already)");
  };
  return s;
}

ResponseStep OnFailureDestinationStep(const StepContext& ctx, const std::string& destination) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindDestination;
  s.action = AwsCliLine("lambda", "put-function-event-invoke-config",
                        {{"--function-name", ctx.function},
                         {"--destination-config", json{{"OnFailure", {{"Destination", destination}}}}.dump()}},
                        ctx.cli);
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    const auto config = LIR_TRY(calls->CallIfPresent(aws::Service::kLambda, "GetFunctionEventInvokeConfig", LambdaParams(function)));
    return config ? InvokeConfigBody(*config) : json::object();  // none: recovery deletes ours
  };
  s.apply = [calls = ctx.calls, function = ctx.function, destination](const json& prior) -> Result<json> {
    json body = prior.is_object() ? prior : json::object();  // keep the retry settings and OnSuccess as they were
    body["DestinationConfig"]["OnFailure"] = {{"Destination", destination}};
    return PutInvokeConfig(*calls, function, body);
  };
  return s;
}

RecoveryPlanItem RecoverExposure(const StepContext& ctx, const std::string& kind, const std::string& id, const json& prior) {
  if (kind == kKindStatement) {
    return {false, fmt::format("statement {} not put back: analysis flagged it ({}); its text is in the journal", JStr(prior, "Sid"),
                               JStr(prior, "Flagged")),
            {}};
  }
  ResponseStep s;
  s.key = ctx.key_prefix + kind + (id.empty() ? "" : "/" + id);
  s.phase = 0;
  if (kind == kKindUrl) {
    const std::string qualifier = JStr(prior, "Qualifier"), auth = JStr(prior, "AuthType");
    if (auth.empty() || auth == "AWS_IAM") return {false, fmt::format("URL {} was AWS_IAM already", id), {}};
    auto args = FunctionArgs(ctx, qualifier);
    args.push_back({"--auth-type", auth});
    s.action = AwsCliLine("lambda", "update-function-url-config", args, ctx.cli);
    s.known_prior = json{{"AuthType", "AWS_IAM"}};
    s.apply = [calls = ctx.calls, function = ctx.function, qualifier, auth](const json&) {
      return SetUrlAuthType(*calls, function, qualifier, auth);
    };
    return {true, "", std::move(s)};
  }
  // kKindDestination: the event invoke config as it was, or none.
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    auto r = calls->Call(aws::Service::kLambda, "GetFunctionEventInvokeConfig", LambdaParams(function));
    return r ? InvokeConfigBody(*r) : json::object();
  };
  if (prior.is_object() && !prior.empty()) {
    s.action = AwsCliLine("lambda", "put-function-event-invoke-config", InvokeConfigArgs(ctx, prior), ctx.cli);
    s.apply = [calls = ctx.calls, function = ctx.function, prior](const json&) { return PutInvokeConfig(*calls, function, prior); };
  } else {
    s.action = AwsCliLine("lambda", "delete-function-event-invoke-config", FunctionArgs(ctx, ""), ctx.cli);
    s.apply = [calls = ctx.calls, function = ctx.function](const json&) -> Result<json> {
      return calls->Remove(aws::Service::kLambda, "DeleteFunctionEventInvokeConfig", LambdaParams(function),
                           json{{"deleted", "event invoke config"}}, "no event invoke config");
    };
  }
  return {true, "", std::move(s)};
}

}  // namespace lir
