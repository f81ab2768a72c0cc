// Throttling: reserved concurrency 0 first (a provisioned config that blocks it is removed,
// then it is applied again), provisioned configs removed; and their exact restoration.
#include <fmt/format.h>

#include "core/json_util.h"
#include "response/steps.h"

namespace lir {

using nlohmann::json;

bool BlockedByProvisionedConcurrency(const Error& error) {
  // Lambda: InvalidParameterValueException "... is less than the function's provisioned concurrency ..." or
  // "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution".
  return (error.code == ErrorCode::kInvalidRequest || error.code == ErrorCode::kConflict) &&
         (error.message.find("rovisioned") != std::string::npos);
}

ResponseStep RemoveProvisionedConcurrencyStep(const StepContext& ctx, const std::string& qualifier, int requested) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindProvisioned + "/" + qualifier;
  s.action = AwsCliLine("lambda", "delete-provisioned-concurrency-config",
                        {{"--function-name", ctx.function}, {"--qualifier", qualifier}}, ctx.cli);
  s.summary = fmt::format("provisioned concurrency of {}:{}: {} -> removed", ctx.function, qualifier, requested);
  s.phase = 0;
  s.known_prior = json{{"Qualifier", qualifier}, {"RequestedProvisionedConcurrentExecutions", requested}};
  s.apply = [calls = ctx.calls, function = ctx.function, qualifier](const json&) -> Result<json> {
    return calls->Remove(aws::Service::kLambda, "DeleteProvisionedConcurrencyConfig", LambdaParams(function, qualifier),
                         json{{"deleted", qualifier}}, "no provisioned concurrency config (removed already)");
  };
  return s;
}

ResponseStep RemoveUnlistedProvisionedConcurrencyStep(const StepContext& ctx, const std::string& qualifier) {
  ResponseStep s = RemoveProvisionedConcurrencyStep(ctx, qualifier, 0);
  s.summary = fmt::format("provisioned concurrency of {}:{}, if any: -> removed", ctx.function, qualifier);
  s.known_prior = nullptr;
  s.read_prior = [calls = ctx.calls, function = ctx.function, qualifier]() -> Result<json> {
    auto got = calls->CallIfPresent(aws::Service::kLambda, "GetProvisionedConcurrencyConfig", LambdaParams(function, qualifier));
    if (!got) return json{{"Qualifier", qualifier}, {"Unknown", got.error().message}};
    if (!*got) return json{{"Qualifier", qualifier}, {"Absent", true}};
    return json{{"Qualifier", qualifier}, {"RequestedProvisionedConcurrentExecutions", JInt(**got, "RequestedProvisionedConcurrentExecutions", 0)}};
  };
  const auto remove = s.apply;
  s.apply = [remove](const json& prior) -> Result<json> {
    if (prior.contains("Absent")) return json{{"unchanged", "no provisioned concurrency config"}};
    return remove(prior);
  };
  return s;
}

ResponseStep ReservedConcurrencyZeroStep(const StepContext& ctx, std::function<Result<json>()> read_function) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindReserved;
  s.action = AwsCliLine("lambda", "put-function-concurrency",
                        {{"--function-name", ctx.function}, {"--reserved-concurrent-executions", "0"}}, ctx.cli);
  s.summary = fmt::format("reserved concurrency of {}: -> 0", ctx.function);
  s.describe = [function = ctx.function](const json& prior) {
    const json& value = JAt(prior, "ReservedConcurrentExecutions");
    return fmt::format("reserved concurrency of {}: {} -> 0", function,
                       prior.contains("Unknown") ? "(unreadable)" : value.is_number() ? value.dump() : "none");
  };
  // Printed after the provisioned removals (by hand, in that order, they work); run first.
  s.phase = 1;
  s.retry_after = {ctx.key_prefix + kKindProvisioned};  // the removals, and the task that lists them
  s.blocked_by = BlockedByProvisionedConcurrency;
  s.read_prior = [calls = ctx.calls, function = ctx.function, read_function]() -> Result<json> {
    // GetFunction's Concurrency is the snapshot's own answer: absent means "no reserved
    // concurrency" (recovery deletes, not puts, then).
    auto concurrency = [](const json& doc) {
      const json& value = JAt(doc, "ReservedConcurrentExecutions");
      return value.is_number_integer() ? json{{"ReservedConcurrentExecutions", value}} : json::object();
    };
    auto got = read_function ? read_function() : Result<json>(tl::unexpected(Error{ErrorCode::kInternal, "no reader"}));
    if (got) return concurrency(JAt(*got, "Concurrency"));
    auto direct = calls->Call(aws::Service::kLambda, "GetFunctionConcurrency", LambdaParams(function));
    if (direct) return concurrency(*direct);
    // Unreadable: throttle all the same (stopping the function comes first); recovery will
    // not guess the value.
    return json{{"Unknown", fmt::format("{}; {}", got.error().message, direct.error().message)},
                {"MissingPermissions", json::array({got.error().iam_action, direct.error().iam_action})}};
  };
  s.apply = [calls = ctx.calls, function = ctx.function](const json&) -> Result<json> {
    aws::CallParams p = LambdaParams(function);
    p.body = json{{"ReservedConcurrentExecutions", 0}};
    return calls->Call(aws::Service::kLambda, "PutFunctionConcurrency", p);
  };
  return s;
}

RecoveryPlanItem RecoverProvisioned(const StepContext& ctx, const std::string& qualifier, const json& prior) {
  if (prior.contains("Absent")) return {false, fmt::format("{}:{} had no provisioned concurrency: nothing to put back", ctx.function, qualifier), {}};
  if (prior.contains("Unknown")) {
    return {false,
            fmt::format("provisioned concurrency of {}:{} not put back: its value could not be read before it was removed ({}); set it "
                        "from your deployment's configuration",
                        ctx.function, qualifier, JStr(prior, "Unknown")),
            {}};
  }
  const int64_t requested = JInt(prior, "RequestedProvisionedConcurrentExecutions", 0);
  ResponseStep s;
  s.key = ctx.key_prefix + kKindProvisioned + "/" + qualifier;
  s.action = AwsCliLine("lambda", "put-provisioned-concurrency-config",
                        {{"--function-name", ctx.function}, {"--qualifier", qualifier},
                         {"--provisioned-concurrent-executions", std::to_string(requested)}},
                        ctx.cli);
  s.summary = fmt::format("provisioned concurrency of {}:{}: -> {}", ctx.function, qualifier, requested);
  s.phase = 2;
  s.needs = {ctx.key_prefix + kKindReserved};  // needs the reserved value back first
  s.read_prior = [] { return Result<json>(json::object()); };  // removed by contain: nothing there
  s.apply = [calls = ctx.calls, function = ctx.function, qualifier, requested](const json&) -> Result<json> {
    aws::CallParams p = LambdaParams(function, qualifier);
    p.body = json{{"ProvisionedConcurrentExecutions", requested}};
    return calls->Call(aws::Service::kLambda, "PutProvisionedConcurrencyConfig", p);
  };
  return {true, "", std::move(s)};
}

RecoveryPlanItem RecoverReserved(const StepContext& ctx, const std::string&, const json& prior) {
  if (prior.contains("Unknown")) {
    return {false,
            fmt::format("reserved concurrency of {} left at 0: its value before containment could not be read ({}); set it by hand "
                        "(aws lambda put-function-concurrency, or delete-function-concurrency if it had none)",
                        ctx.function, JStr(prior, "Unknown")),
            {}};
  }
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
    s.summary = fmt::format("reserved concurrency of {}: 0 -> {}", ctx.function, value);
    s.apply = [calls = ctx.calls, function = ctx.function, value](const json&) -> Result<json> {
      aws::CallParams p = LambdaParams(function);
      p.body = json{{"ReservedConcurrentExecutions", value}};
      return calls->Call(aws::Service::kLambda, "PutFunctionConcurrency", p);
    };
  } else {
    // There was no reserved value: deleting it is the restoration (putting any number is not).
    s.action = AwsCliLine("lambda", "delete-function-concurrency", {{"--function-name", ctx.function}}, ctx.cli);
    s.summary = fmt::format("reserved concurrency of {}: 0 -> none (unreserved, as before)", ctx.function);
    s.apply = [calls = ctx.calls, function = ctx.function](const json&) -> Result<json> {
      return calls->Remove(aws::Service::kLambda, "DeleteFunctionConcurrency", LambdaParams(function),
                           json{{"deleted", "reserved concurrency"}}, "no reserved concurrency");
    };
  }
  return {true, "", std::move(s)};
}

}  // namespace lir
