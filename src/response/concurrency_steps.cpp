// Throttling: provisioned concurrency configs removed first (they block a reserved value
// below their sum), then reserved concurrency 0; and their exact restoration.
#include <fmt/format.h>

#include "core/json_util.h"
#include "response/steps.h"

namespace lir {

using nlohmann::json;

ResponseStep RemoveProvisionedConcurrencyStep(const StepContext& ctx, const std::string& qualifier, int requested) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindProvisioned + "/" + qualifier;
  s.action = AwsCliLine("lambda", "delete-provisioned-concurrency-config",
                        {{"--function-name", ctx.function}, {"--qualifier", qualifier}}, ctx.cli);
  s.phase = 0;
  s.known_prior = json{{"Qualifier", qualifier}, {"RequestedProvisionedConcurrentExecutions", requested}};
  s.apply = [calls = ctx.calls, function = ctx.function, qualifier](const json&) -> Result<json> {
    return calls->Remove(aws::Service::kLambda, "DeleteProvisionedConcurrencyConfig", LambdaParams(function, qualifier),
                         json{{"deleted", qualifier}}, "no provisioned concurrency config (removed already)");
  };
  return s;
}

ResponseStep ReservedConcurrencyZeroStep(const StepContext& ctx) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindReserved;
  s.action = AwsCliLine("lambda", "put-function-concurrency",
                        {{"--function-name", ctx.function}, {"--reserved-concurrent-executions", "0"}}, ctx.cli);
  s.phase = 1;
  s.after = {ctx.key_prefix + kKindProvisioned + "/"};  // a provisioned config blocks a reserved value below it
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionConcurrency", LambdaParams(function)));
    // Absent means "no reserved concurrency": recovery must delete, not put, then.
    if (doc.contains("ReservedConcurrentExecutions") && doc["ReservedConcurrentExecutions"].is_number_integer()) {
      return json{{"ReservedConcurrentExecutions", doc["ReservedConcurrentExecutions"]}};
    }
    return json::object();
  };
  s.apply = [calls = ctx.calls, function = ctx.function](const json&) -> Result<json> {
    aws::CallParams p = LambdaParams(function);
    p.body = json{{"ReservedConcurrentExecutions", 0}};
    return calls->Call(aws::Service::kLambda, "PutFunctionConcurrency", p);
  };
  return s;
}

namespace {

RecoveryPlanItem RestoreProvisioned(const StepContext& ctx, const std::string& qualifier, const json& prior) {
  const int64_t requested = JInt(prior, "RequestedProvisionedConcurrentExecutions", 0);
  ResponseStep s;
  s.key = ctx.key_prefix + kKindProvisioned + "/" + qualifier;
  s.action = AwsCliLine("lambda", "put-provisioned-concurrency-config",
                        {{"--function-name", ctx.function}, {"--qualifier", qualifier},
                         {"--provisioned-concurrent-executions", std::to_string(requested)}},
                        ctx.cli);
  s.phase = 2;
  s.after = {ctx.key_prefix + kKindReserved};  // needs the reserved value back first
  s.read_prior = [] { return Result<json>(json::object()); };  // removed by contain: nothing there
  s.apply = [calls = ctx.calls, function = ctx.function, qualifier, requested](const json&) -> Result<json> {
    aws::CallParams p = LambdaParams(function, qualifier);
    p.body = json{{"ProvisionedConcurrentExecutions", requested}};
    return calls->Call(aws::Service::kLambda, "PutProvisionedConcurrencyConfig", p);
  };
  return {true, "", std::move(s)};
}

RecoveryPlanItem RestoreReserved(const StepContext& ctx, const json& prior) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindReserved;
  s.phase = 1;
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    return calls->Call(aws::Service::kLambda, "GetFunctionConcurrency", LambdaParams(function));
  };
  if (prior.contains("ReservedConcurrentExecutions")) {
    const int64_t value = JInt(prior, "ReservedConcurrentExecutions", 0);
    s.action = AwsCliLine("lambda", "put-function-concurrency",
                          {{"--function-name", ctx.function}, {"--reserved-concurrent-executions", std::to_string(value)}}, ctx.cli);
    s.apply = [calls = ctx.calls, function = ctx.function, value](const json&) -> Result<json> {
      aws::CallParams p = LambdaParams(function);
      p.body = json{{"ReservedConcurrentExecutions", value}};
      return calls->Call(aws::Service::kLambda, "PutFunctionConcurrency", p);
    };
  } else {
    // There was no reserved value: deleting it is the restoration (putting any number is not).
    s.action = AwsCliLine("lambda", "delete-function-concurrency", {{"--function-name", ctx.function}}, ctx.cli);
    s.apply = [calls = ctx.calls, function = ctx.function](const json&) -> Result<json> {
      return calls->Remove(aws::Service::kLambda, "DeleteFunctionConcurrency", LambdaParams(function),
                           json{{"deleted", "reserved concurrency"}}, "no reserved concurrency");
    };
  }
  return {true, "", std::move(s)};
}

}  // namespace

RecoveryPlanItem RecoverConcurrency(const StepContext& ctx, const std::string& kind, const std::string& id, const json& prior) {
  return kind == kKindProvisioned ? RestoreProvisioned(ctx, id, prior) : RestoreReserved(ctx, prior);
}

}  // namespace lir
