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

std::vector<CliArg> InvokeConfigArgs(const StepContext& ctx, const std::string& qualifier, const json& body) {
  std::vector<CliArg> args = FunctionArgs(ctx, qualifier);
  if (body.contains("MaximumRetryAttempts")) args.push_back({"--maximum-retry-attempts", body["MaximumRetryAttempts"].dump()});
  if (body.contains("MaximumEventAgeInSeconds")) args.push_back({"--maximum-event-age-in-seconds", body["MaximumEventAgeInSeconds"].dump()});
  if (body.contains("DestinationConfig")) args.push_back({"--destination-config", body["DestinationConfig"].dump()});
  return args;
}

Result<json> PutInvokeConfig(AwsCalls& calls, const std::string& function, const std::string& qualifier, const json& body) {
  aws::CallParams p = LambdaParams(function, qualifier);
  p.body = body;
  json doc = LIR_TRY(calls.Call(aws::Service::kLambda, "PutFunctionEventInvokeConfig", p));
  return InvokeConfigBody(doc);
}

}  // namespace

ResponseStep UrlAuthIamStep(const StepContext& ctx, const std::string& qualifier, const std::string& auth_before) {
  ResponseStep s;
  const std::string label = qualifier.empty() ? "$LATEST" : qualifier;
  s.key = ctx.key_prefix + kKindUrl + "/" + label;
  auto args = FunctionArgs(ctx, qualifier);
  args.push_back({"--auth-type", "AWS_IAM"});
  s.action = AwsCliLine("lambda", "update-function-url-config", args, ctx.cli);
  s.summary = fmt::format("URL of {} ({}): AuthType {} -> AWS_IAM", ctx.function, label, auth_before);
  s.phase = 3;
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
  const std::string label = qualifier.empty() ? "$LATEST" : qualifier;
  s.key = ctx.key_prefix + kKindStatement + "/" + label + "/" + sid;
  auto args = FunctionArgs(ctx, qualifier);
  args.push_back({"--statement-id", sid});
  s.action = AwsCliLine("lambda", "remove-permission", args, ctx.cli);
  s.summary = fmt::format("resource-policy statement {} of {} ({}): removed ({})", sid, ctx.function, label, rule_id);
  s.phase = 3;
  s.known_prior = json{{"Qualifier", qualifier}, {"Sid", sid}, {"Statement", statement}, {"Flagged", rule_id}};
  s.apply = [calls = ctx.calls, function = ctx.function, qualifier, sid](const json&) -> Result<json> {
    aws::CallParams p = LambdaParams(function, qualifier);
    p.path["StatementId"] = sid;
    return calls->Remove(aws::Service::kLambda, "RemovePermission", p, json{{"removed", sid}}, "statement absent (removed already)");
  };
  return s;
}

ResponseStep OnFailureDestinationStep(const StepContext& ctx, const std::string& qualifier, const std::string& destination,
                                      const json& current) {
  const std::string label = qualifier.empty() ? "$LATEST" : qualifier;
  json body = current.is_object() ? InvokeConfigBody(current) : json::object();  // retries and OnSuccess kept as they are
  body["DestinationConfig"]["OnFailure"] = {{"Destination", destination}};
  ResponseStep s;
  s.key = ctx.key_prefix + kKindDestination + (qualifier.empty() ? "" : "/" + qualifier);
  s.action = AwsCliLine("lambda", "put-function-event-invoke-config", InvokeConfigArgs(ctx, qualifier, body), ctx.cli);
  s.summary = fmt::format("on-failure destination of {} ({}): {} -> {}", ctx.function, label,
                          JStr(JAt(JAt(current, "DestinationConfig"), "OnFailure"), "Destination", "none"), destination);
  s.phase = 2;
  s.read_prior = [calls = ctx.calls, function = ctx.function, qualifier]() -> Result<json> {
    const auto config = LIR_TRY(calls->CallIfPresent(aws::Service::kLambda, "GetFunctionEventInvokeConfig", LambdaParams(function, qualifier)));
    json prior = config ? InvokeConfigBody(*config) : json::object();  // none: recovery deletes ours
    prior["Qualifier"] = qualifier;
    return prior;
  };
  s.apply = [calls = ctx.calls, function = ctx.function, qualifier, destination](const json& prior) -> Result<json> {
    json put = InvokeConfigBody(prior);  // as recorded: what was there, with our destination only
    put["DestinationConfig"]["OnFailure"] = {{"Destination", destination}};
    return PutInvokeConfig(*calls, function, qualifier, put);
  };
  return s;
}

RecoveryPlanItem KeepStatement(const StepContext&, const std::string&, const json& prior) {
  return {false, fmt::format("statement {} not put back: analysis flagged it ({}); its text is in the journal", JStr(prior, "Sid"),
                             JStr(prior, "Flagged")),
          {}};
}

namespace {

// A statement that lets anyone call the function's URL without signing: the other half of a
// public URL (AuthType NONE alone answers 403).
bool AllowsPublicUrl(const json& policy_doc) {
  for (const auto& st : JArr(policy_doc, "Statement")) {
    const json& principal = JAt(st, "Principal");
    const bool anyone = (principal.is_string() && principal == "*") || JStr(principal, "AWS") == "*";
    const json& action = JAt(st, "Action");
    const bool url = action == "lambda:InvokeFunctionUrl" || action == "lambda:*" || action == "*" ||
                     (action.is_array() && std::find(action.begin(), action.end(), "lambda:InvokeFunctionUrl") != action.end());
    if (JStr(st, "Effect") == "Allow" && anyone && url) return true;
  }
  return false;
}

}  // namespace

RecoveryPlanItem RecoverUrl(const StepContext& ctx, const std::string& id, const json& prior) {
  const std::string qualifier = JStr(prior, "Qualifier"), auth = JStr(prior, "AuthType");
  if (auth.empty() || auth == "AWS_IAM") return {false, fmt::format("URL {} was AWS_IAM already", id), {}};
  ResponseStep s;
  s.key = ctx.key_prefix + kKindUrl + "/" + id;
  s.phase = 0;
  auto args = FunctionArgs(ctx, qualifier);
  args.push_back({"--auth-type", auth});
  s.action = AwsCliLine("lambda", "update-function-url-config", args, ctx.cli);
  s.summary = fmt::format("URL of {} ({}): AuthType AWS_IAM -> {}, only if its public statement is still there", ctx.function, id, auth);
  s.known_prior = json{{"AuthType", "AWS_IAM"}};
  s.apply = [calls = ctx.calls, function = ctx.function, qualifier, auth](const json&) -> Result<json> {
    if (auth == "NONE") {
      // AuthType NONE without the statement that allows it is neither the prior state nor
      // closed: the URL and its statement come back as a pair, or the URL stays AWS_IAM.
      auto policy = LIR_TRY(calls->CallIfPresent(aws::Service::kLambda, "GetPolicy", LambdaParams(function, qualifier)));
      const json doc = policy ? json::parse(JStr(*policy, "Policy"), nullptr, false) : json();
      if (!AllowsPublicUrl(doc)) {
        return json{{"unchanged", "left AWS_IAM: the statement that made the URL public is gone (removed as flagged); put both "
                                  "back by hand if the URL must be public"}};
      }
    }
    return SetUrlAuthType(*calls, function, qualifier, auth);
  };
  return {true, "", std::move(s)};
}

RecoveryPlanItem RecoverDestination(const StepContext& ctx, const std::string& id, const json& prior) {
  const std::string qualifier = JStr(prior, "Qualifier", id);
  json settings = InvokeConfigBody(prior);
  ResponseStep s;
  s.key = ctx.key_prefix + kKindDestination + (id.empty() ? "" : "/" + id);
  s.phase = 0;
  s.read_prior = [calls = ctx.calls, function = ctx.function, qualifier]() -> Result<json> {
    const auto r = LIR_TRY(calls->CallIfPresent(aws::Service::kLambda, "GetFunctionEventInvokeConfig", LambdaParams(function, qualifier)));
    return r ? InvokeConfigBody(*r) : json::object();
  };
  const std::string label = qualifier.empty() ? "$LATEST" : qualifier;
  if (!settings.empty()) {
    s.action = AwsCliLine("lambda", "put-function-event-invoke-config", InvokeConfigArgs(ctx, qualifier, settings), ctx.cli);
    s.summary = fmt::format("asynchronous settings of {} ({}): put back as before", ctx.function, label);
    s.apply = [calls = ctx.calls, function = ctx.function, qualifier, settings](const json&) {
      return PutInvokeConfig(*calls, function, qualifier, settings);
    };
  } else {
    s.action = AwsCliLine("lambda", "delete-function-event-invoke-config", FunctionArgs(ctx, qualifier), ctx.cli);
    s.summary = fmt::format("asynchronous settings of {} ({}): removed (there were none before)", ctx.function, label);
    s.apply = [calls = ctx.calls, function = ctx.function, qualifier](const json&) -> Result<json> {
      return calls->Remove(aws::Service::kLambda, "DeleteFunctionEventInvokeConfig", LambdaParams(function, qualifier),
                           json{{"deleted", "event invoke config"}}, "no event invoke config");
    };
  }
  return {true, "", std::move(s)};
}

}  // namespace lir
