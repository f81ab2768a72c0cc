#include "response/contain_plan.h"

#include <fmt/format.h>

#include <mutex>
#include <set>

#include "analysis/config_analysis.h"
#include "core/json_util.h"
#include "core/strings.h"
#include "core/task_pool.h"
#include "sources/event.h"

namespace lir {

using nlohmann::json;

Result<void> ParseContainSteps(const std::string& list, ContainOptions* o) {
  o->throttle = o->mappings = o->deny = o->url = o->statements = o->sessions = false;
  for (std::string_view raw : Split(list, ',')) {
    const std::string name(Trim(raw));
    if (name == "all") {
      o->throttle = o->mappings = o->deny = o->url = o->statements = o->sessions = true;
    } else if (name == "throttle") {
      o->throttle = true;
    } else if (name == "mappings") {
      o->mappings = true;
    } else if (name == "deny") {
      o->deny = true;
    } else if (name == "url") {
      o->url = true;
    } else if (name == "statements") {
      o->statements = true;
    } else if (name == "sessions") {
      o->sessions = true;
    } else if (!name.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("--steps: unknown step '{}' (throttle, mappings, deny, url, statements, sessions, all)", name));
    }
  }
  return {};
}

std::string ContainPrefix(const std::string& function, int round) { return fmt::format("contain/{}/r{}/", function, round); }
std::string RecoverPrefix(const std::string& function, int round) { return fmt::format("recover/{}/r{}/", function, round); }

int ContainmentRound(Journal* journal, const std::string& function) {
  if (journal == nullptr) return 1;
  int round = 1;
  while (true) {
    auto marker = journal->Find(RecoverPrefix(function, round) + "complete");
    if (!marker || !*marker || (*marker)->status != StepStatus::kDone) return round;
    ++round;
  }
}

namespace {

// The asynchronous-invocation warning, with the function's own numbers.
std::string AsyncWarning(const json& invoke_config, const json& function_config, const std::string& destination) {
  const int64_t age = JInt(invoke_config, "MaximumEventAgeInSeconds", 21600);
  const int64_t retries = JInt(invoke_config, "MaximumRetryAttempts", 2);
  std::string kept_by = JStr(JAt(JAt(invoke_config, "DestinationConfig"), "OnFailure"), "Destination");
  if (kept_by.empty()) kept_by = JStr(JAt(function_config, "DeadLetterConfig"), "TargetArn");
  if (!destination.empty()) kept_by = destination;
  std::string text = fmt::format(
      "asynchronous invocations (S3, SNS, EventBridge, ...) throttled at concurrency 0 are retried for up to {} s ({:.1f} h, "
      "MaximumEventAgeInSeconds) and then dropped; MaximumRetryAttempts {} applies to function errors only.",
      age, static_cast<double>(age) / 3600.0, retries);
  if (kept_by.empty()) {
    text += " This function has no on-failure destination or dead-letter queue: those events will be lost. Rerun with "
            "--on-failure-destination ARN (SQS queue, SNS topic, S3 bucket or function) to keep them.";
  } else {
    text += fmt::format(" Expired events go to {}.", kept_by);
  }
  return text;
}

}  // namespace

Result<ContainPlan> PlanContainment(const StepContext& ctx, const ContainOptions& options, const std::vector<JournalStep>& recorded,
                                    TimestampMs now) {
  AwsCalls& calls = *ctx.calls;
  const json config = LIR_TRY(calls.Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(ctx.function)));
  ContainPlan plan;
  plan.function_arn = UnqualifiedFunctionArn(JStr(config, "FunctionArn"));
  plan.role_arn = JStr(config, "Role");
  plan.role_name = plan.role_arn.substr(plan.role_arn.rfind('/') + 1);
  const std::string account(AccountFromArnOrId(plan.function_arn));

  // The reads are independent: run them together.
  json aliases, versions, provisioned, mappings, functions, invoke_config;
  std::map<std::string, json> policies;  // qualifier ("" = unqualified) -> GetPolicy
  std::mutex mutex;
  std::vector<Error> errors;
  {
    TaskPool pool(options.jobs);
    auto read = [&](json* into, const char* op, aws::CallParams params, bool paginated, bool absent_ok) {
      pool.Submit([&, into, op, params, paginated, absent_ok] {
        auto r = paginated ? calls.CallAll(aws::Service::kLambda, op, params) : calls.Call(aws::Service::kLambda, op, params);
        std::lock_guard lock(mutex);
        if (r) {
          *into = std::move(*r);
        } else if (!(absent_ok && IsNotFound(r.error()))) {
          Error e = r.error();
          e.message = fmt::format("{}: {}", op, e.message);
          errors.push_back(std::move(e));
        }
      });
    };
    read(&aliases, "ListAliases", LambdaParams(ctx.function), true, false);
    if (options.deny) read(&versions, "ListVersionsByFunction", LambdaParams(ctx.function), true, false);
    if (options.throttle) read(&provisioned, "ListProvisionedConcurrencyConfigs", LambdaParams(ctx.function), true, false);
    if (options.mappings) read(&mappings, "ListEventSourceMappings", {}, true, false);
    if (options.deny || options.sessions) read(&functions, "ListFunctions", {}, true, false);
    if (options.throttle) read(&invoke_config, "GetFunctionEventInvokeConfig", LambdaParams(ctx.function), false, true);
    pool.Wait();
  }
  if (!errors.empty()) return tl::unexpected(errors.front());
  std::vector<std::string> qualifiers{""};
  for (const auto& a : JArr(aliases, "Aliases")) qualifiers.push_back(JStr(a, "Name"));
  if (options.statements) {
    for (const std::string& q : qualifiers) {
      auto policy = LIR_TRY(calls.CallIfPresent(aws::Service::kLambda, "GetPolicy", LambdaParams(ctx.function, q)));
      if (policy) policies[q] = std::move(*policy);
    }
  }

  std::set<std::string> planned;
  auto add = [&](ResponseStep step) {
    planned.insert(step.key);
    plan.steps.push_back(std::move(step));
  };
  if (options.throttle) {
    for (const auto& p : JArr(provisioned, "ProvisionedConcurrencyConfigs")) {
      add(RemoveProvisionedConcurrencyStep(ctx, QualifierOfArn(JStr(p, "FunctionArn")),
                                           static_cast<int>(JInt(p, "RequestedProvisionedConcurrentExecutions", 0))));
    }
    add(ReservedConcurrencyZeroStep(ctx));
    plan.warnings.push_back(AsyncWarning(invoke_config, config, options.on_failure_destination));
    if (!options.on_failure_destination.empty()) add(OnFailureDestinationStep(ctx, options.on_failure_destination));
  }
  if (options.mappings) {
    for (const auto& m : JArr(mappings, "EventSourceMappings")) {
      if (UnqualifiedFunctionArn(JStr(m, "FunctionArn")) == plan.function_arn) add(DisableMappingStep(ctx, JStr(m, "UUID")));
    }
  }
  if (options.deny || options.sessions) {
    for (const auto& f : JArr(functions, "Functions")) {
      if (JStr(f, "Role") == plan.role_arn && UnqualifiedFunctionArn(JStr(f, "FunctionArn")) != plan.function_arn) {
        plan.role_shared_with.push_back(JStr(f, "FunctionName"));
      }
    }
    if (options.deny) {
      add(InlinePolicyStep(ctx, kKindDenyPolicy, plan.role_name, options.deny_policy_name, DenyAllDocument()));
      // A published version keeps the role it was published with: the deny does not reach it.
      for (const auto& v : JArr(versions, "Versions")) {
        if (JStr(v, "Version") != "$LATEST" && !JStr(v, "Role").empty() && JStr(v, "Role") != plan.role_arn) {
          plan.warnings.push_back(fmt::format("version {} runs with role {}, which the deny-all policy does not cover (reserved "
                                              "concurrency 0 throttles it all the same); contain that role's other users or "
                                              "deny it by hand",
                                              JStr(v, "Version"), JStr(v, "Role")));
        }
      }
    }
    if (options.sessions) add(InlinePolicyStep(ctx, kKindRevokeSessions, plan.role_name, kRevokeSessionsPolicyName, RevokeOlderSessionsDocument(now)));
  }
  if (options.url) {
    for (const std::string& q : qualifiers) {
      const auto url = LIR_TRY(calls.CallIfPresent(aws::Service::kLambda, "GetFunctionUrlConfig", LambdaParams(ctx.function, q)));
      if (url && JStr(*url, "AuthType") != "AWS_IAM") add(UrlAuthIamStep(ctx, q));
    }
  }
  for (const auto& [q, policy] : policies) {
    for (const FlaggedStatement& f : FlagPolicyStatements(JStr(policy, "Policy"), account)) {
      if (f.sid == "(no Sid)") continue;  // RemovePermission needs a statement id
      // An alias's own statements name it in their Resource; others are not its to remove.
      if (!q.empty() && JStr(f.statement, "Resource") != plan.function_arn + ":" + q) continue;
      if (!planned.count(ctx.key_prefix + kKindStatement + "/" + (q.empty() ? "$LATEST" : q) + "/" + f.sid)) {
        add(RemoveStatementStep(ctx, q, f.sid, f.statement, f.rule_id));
      }
    }
  }
  // This round's steps whose target is gone now (a deleted config, a removed statement):
  // finished ones are reported as such, a crashed run's are completed from their prior.
  for (const JournalStep& j : recorded) {
    if (planned.count(j.key) || j.prior_state.empty()) continue;
    const json prior = json::parse(j.prior_state, nullptr, false);
    const std::string rest = j.key.substr(ctx.key_prefix.size());
    if (rest.rfind(std::string(kKindProvisioned) + "/", 0) == 0) {
      add(RemoveProvisionedConcurrencyStep(ctx, JStr(prior, "Qualifier"), static_cast<int>(JInt(prior, "RequestedProvisionedConcurrentExecutions", 0))));
    } else if (rest.rfind(std::string(kKindStatement) + "/", 0) == 0) {
      add(RemoveStatementStep(ctx, JStr(prior, "Qualifier"), JStr(prior, "Sid"), JAt(prior, "Statement"), JStr(prior, "Flagged")));
    }
  }
  return plan;
}

}  // namespace lir
