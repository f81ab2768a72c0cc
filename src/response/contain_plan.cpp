#include "response/contain_plan.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <mutex>

#include "analysis/config_analysis.h"
#include "core/json_util.h"
#include "core/task_pool.h"
#include "sources/event.h"

namespace lir {

using nlohmann::json;

std::string ContainPrefix(const std::string& function, int round) { return fmt::format("contain/{}/r{}/", function, round); }
std::string RecoverPrefix(const std::string& function, int round) { return fmt::format("recover/{}/r{}/", function, round); }
std::string SnapshotKey(const StepContext& ctx) { return ctx.key_prefix + "snapshot"; }

int LatestContainRound(Journal* journal, const std::string& function) {
  if (journal == nullptr) return 0;
  const std::string prefix = "contain/" + function + "/r";
  auto steps = journal->Steps(prefix);
  int latest = 0;
  for (const auto& s : steps ? *steps : std::vector<JournalStep>{}) {
    const std::string rest = s.key.substr(prefix.size());
    latest = std::max(latest, std::atoi(rest.substr(0, rest.find('/')).c_str()));
  }
  return latest;
}

int NextContainRound(Journal* journal, const std::string& function) {
  const int latest = LatestContainRound(journal, function);
  if (latest == 0) return 1;
  auto recovery = journal->Steps(RecoverPrefix(function, latest));
  return recovery && !recovery->empty() ? latest + 1 : latest;
}

void CarryUnrestoredPriors(Journal& journal, const std::string& function, int round, std::vector<ResponseStep>* steps) {
  if (round <= 1) return;
  const std::string now = ContainPrefix(function, round), before = ContainPrefix(function, round - 1);
  const std::string undone = RecoverPrefix(function, round - 1);
  for (ResponseStep& s : *steps) {
    if (!s.journaled || s.key.rfind(now, 0) != 0) continue;
    const std::string rest = s.key.substr(now.size());
    auto old = journal.Find(before + rest);
    if (!old || !*old || (*old)->status != StepStatus::kDone || (*old)->prior_state.empty()) continue;
    auto restored = journal.Find(undone + rest);
    if (restored && *restored && (*restored)->status == StepStatus::kDone) continue;
    s.known_prior = json::parse((*old)->prior_state, nullptr, false);
    s.read_prior = nullptr;
  }
}

ResponseStep FailedPlanTask(const StepContext& ctx, const std::string& what, const std::string& summary, const Error& error) {
  ResponseStep s;
  s.key = ctx.key_prefix + "plan/" + what;
  s.summary = summary;
  s.journaled = false;
  s.apply = [error](const json&) -> Result<json> { return tl::unexpected(error); };
  return s;
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

std::string QualifierOfInvokeConfig(const json& config) {
  const std::string q = QualifierOfArn(JStr(config, "FunctionArn"));
  return q == "$LATEST" ? "" : q;
}

// arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME when the function itself could not be read.
std::string FallbackFunctionArn(const StepContext& ctx) {
  const std::string partition = ctx.region.rfind("cn-", 0) == 0 ? "aws-cn" : ctx.region.rfind("us-gov-", 0) == 0 ? "aws-us-gov" : "aws";
  return fmt::format("arn:{}:lambda:{}:{}:function:{}", partition, ctx.region, ctx.account, ctx.function);
}

// The provisioned configs' removals (best-effort: reserved 0 is tried anyway, and only a
// provisioned config would refuse it), and any a crashed run made before recording its result.
std::vector<ResponseStep> ProvisionedRemovals(FunctionContainment* fc) {
  const StepContext& ctx = fc->ctx;
  std::vector<ResponseStep> steps;
  std::set<std::string> planned;
  // The snapshot's own list: what it stores is what was there before any removal.
  auto provisioned = fc->snapshot->ProvisionedConfigs();
  if (provisioned) {
    for (const auto& p : JArr(*provisioned, "ProvisionedConcurrencyConfigs")) {
      ResponseStep step = RemoveProvisionedConcurrencyStep(ctx, QualifierOfArn(JStr(p, "FunctionArn")),
                                                           static_cast<int>(JInt(p, "RequestedProvisionedConcurrentExecutions", 0)));
      planned.insert(step.key);
      steps.push_back(std::move(step));
    }
  } else if (provisioned.error().code == ErrorCode::kUnsupported) {
    // An endpoint without provisioned concurrency (an emulator): there is none to block reserved 0.
    fc->warnings.Add(fmt::format("{}: provisioned concurrency not checked", aws::RemedyFor(provisioned.error())));
  } else if (!IsNotFound(provisioned.error())) {
    fc->provisioned_listed = false;
    fc->provisioned_problem = fmt::format("{} ({})", provisioned.error().message, aws::RemedyFor(provisioned.error()));
    // Unlisted, a provisioned config may still block reserved 0: every alias and version is
    // a place it can be, and removing one that is absent changes nothing.
    std::vector<std::string> qualifiers;
    auto aliases = ctx.calls->CallAll(aws::Service::kLambda, "ListAliases", LambdaParams(ctx.function));
    auto versions = ctx.calls->CallAll(aws::Service::kLambda, "ListVersionsByFunction", LambdaParams(ctx.function));
    for (const auto& a : aliases ? JArr(*aliases, "Aliases") : json::array()) qualifiers.push_back(JStr(a, "Name"));
    for (const auto& v : versions ? JArr(*versions, "Versions") : json::array()) {
      if (JStr(v, "Version") != "$LATEST") qualifiers.push_back(JStr(v, "Version"));
    }
    fc->warnings.Add(fmt::format("provisioned concurrency of {} not listed: {}; reserved concurrency 0 is tried anyway, and any "
                                 "provisioned config on its {} aliases and versions removed if it blocks it",
                                 ctx.function, fc->provisioned_problem, qualifiers.size()));
    for (const auto& q : qualifiers) {
      ResponseStep step = RemoveUnlistedProvisionedConcurrencyStep(ctx, q);
      planned.insert(step.key);
      steps.push_back(std::move(step));
    }
  }
  for (const JournalStep& j : fc->recorded) {
    if (planned.count(j.key) || j.prior_state.empty()) continue;
    if (KindAndId(j.key, ctx.key_prefix).first != kKindProvisioned) continue;
    const json prior = json::parse(j.prior_state, nullptr, false);
    steps.push_back(RemoveProvisionedConcurrencyStep(ctx, JStr(prior, "Qualifier"),
                                                     static_cast<int>(JInt(prior, "RequestedProvisionedConcurrentExecutions", 0))));
  }
  return steps;
}

}  // namespace

void PlanThrottle(FunctionContainment* fc, const ContainOptions& options, std::function<void(std::vector<ResponseStep>)> add_later) {
  const StepContext& ctx = fc->ctx;
  auto snapshot = fc->snapshot;
  // The snapshot: no change, but what evidence-rewriting steps wait for.
  ResponseStep snap;
  snap.key = SnapshotKey(ctx);
  snap.summary = fmt::format("configuration snapshot of {} into the case", ctx.function);
  snap.journaled = false;
  snap.apply = [snapshot, function = ctx.function](const json&) -> Result<json> {
    if (!snapshot->stores()) return json{{"unchanged", "the case holds a snapshot of " + function + " from before"}};
    LIR_CHECK(snapshot->Configuration());
    return json{{"artifacts", snapshot->Outcome().artifacts.size()}};
  };
  if (!options.groups.count("throttle")) {
    fc->throttle.push_back(std::move(snap));
    return;
  }
  // In this order, so that one after another (--jobs 1) the throttle still comes first.
  fc->throttle.push_back(ReservedConcurrencyZeroStep(ctx, [snapshot] { return snapshot->Function(); }));
  if (!add_later) {
    for (auto& step : ProvisionedRemovals(fc)) fc->throttle.push_back(std::move(step));
    fc->throttle.push_back(std::move(snap));
    return;
  }
  // Its key falls under the reserved step's retry_after: a blocked reserved 0 waits for it.
  ResponseStep list;
  list.key = ctx.key_prefix + kKindProvisioned + "-list";
  // No summary: a read, not worth a line of its own (its failure is a warning).
  list.journaled = false;
  list.apply = [fc, add_later](const json&) -> Result<json> {
    auto steps = ProvisionedRemovals(fc);
    const size_t n = steps.size();
    add_later(std::move(steps));
    return json{{"configs", n}};
  };
  fc->throttle.push_back(std::move(list));
  fc->throttle.push_back(std::move(snap));
}

void PlanRest(FunctionContainment* fc, const ContainOptions& options, const std::set<std::string>& contained, TimestampMs now) {
  StepContext& ctx = fc->ctx;
  AwsCalls& calls = *ctx.calls;
  const auto& groups = options.groups;
  const std::string snapshot_key = SnapshotKey(ctx);
  const bool want_destination = !options.on_failure_destination.empty();
  auto add = [&](ResponseStep step) { fc->rest.push_back(std::move(step)); };
  auto add_packages = [&] {
    ResponseStep packages;
    packages.key = ctx.key_prefix + "packages";
    packages.summary = fmt::format("deployment and layer packages of {} into the case", ctx.function);
    packages.journaled = false;
    packages.after = {snapshot_key};
    packages.apply = [snapshot = fc->snapshot](const json&) -> Result<json> {
      snapshot->Packages();
      return json{{"packages", "kept"}};
    };
    add(std::move(packages));
  };
  if (fc->snapshot->stores() && options.packages) add_packages();

  // The function itself: the snapshot's own GetFunction (read once), else its configuration.
  json config;
  Result<json> function = fc->snapshot->Function();
  Error config_error{ErrorCode::kInternal, ""};
  if (function) {
    config = JAt(*function, "Configuration");
  } else {
    auto direct = calls.Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(ctx.function));
    if (direct) {
      config = *direct;
    } else {
      config_error = direct.error();
    }
  }
  fc->function_arn = config.is_object() ? UnqualifiedFunctionArn(JStr(config, "FunctionArn")) : FallbackFunctionArn(ctx);
  fc->role_arn = JStr(config, "Role");

  // The other reads are independent: run them together.
  json aliases, versions, mappings, invoke_config, invoke_configs;
  std::optional<Error> aliases_error, mappings_error, invoke_configs_error;
  RoleUsers users;
  std::map<std::string, Result<std::optional<json>>> urls, policies;  // qualifier -> answer
  std::mutex mutex;
  const bool want_role = (groups.count("deny") || groups.count("sessions")) && !fc->role_arn.empty();
  {
    TaskPool pool(options.jobs);
    auto read = [&](json* into, std::optional<Error>* failed, const char* op, aws::CallParams params) {
      pool.Submit([&, into, failed, op, params] {
        auto r = calls.CallAll(aws::Service::kLambda, op, params);
        std::lock_guard lock(mutex);
        if (r) {
          *into = std::move(*r);
        } else if (failed != nullptr) {
          *failed = r.error();
        } else {
          // Only a warning depends on it: said, and the rest goes on.
          fc->warnings.Add(fmt::format("{} ({}): its check was skipped", r.error().message, aws::RemedyFor(r.error())));
        }
      });
    };
    read(&aliases, &aliases_error, "ListAliases", LambdaParams(ctx.function));
    if (groups.count("deny")) read(&versions, nullptr, "ListVersionsByFunction", LambdaParams(ctx.function));
    if (groups.count("mappings")) read(&mappings, &mappings_error, "ListEventSourceMappings", {});
    read(&invoke_configs, &invoke_configs_error, "ListFunctionEventInvokeConfigs", LambdaParams(ctx.function));
    pool.Submit([&] {
      auto r = calls.CallIfPresent(aws::Service::kLambda, "GetFunctionEventInvokeConfig", LambdaParams(ctx.function));
      std::lock_guard lock(mutex);
      if (r && *r) invoke_config = **r;
      if (!r) fc->warnings.Add(fmt::format("{} ({}): the asynchronous settings below are the defaults", r.error().message, aws::RemedyFor(r.error())));
    });
    if (want_role) {
      pool.Submit([&] {
        RoleUsers found = FindRoleUsers(calls, fc->role_arn, fc->function_arn, ctx.account, ctx.region, options.jobs);
        std::lock_guard lock(mutex);
        users = std::move(found);
      });
    }
    pool.Wait();
    // Per qualifier: the URL and the resource policy.
    std::vector<std::string> qualifiers{""};
    for (const auto& a : JArr(aliases, "Aliases")) qualifiers.push_back(JStr(a, "Name"));
    for (const std::string& q : qualifiers) {
      if (groups.count("url")) {
        pool.Submit([&, q] {
          auto r = calls.CallIfPresent(aws::Service::kLambda, "GetFunctionUrlConfig", LambdaParams(ctx.function, q));
          std::lock_guard lock(mutex);
          urls.emplace(q, std::move(r));
        });
      }
      if (groups.count("statements")) {
        pool.Submit([&, q] {
          auto r = calls.CallIfPresent(aws::Service::kLambda, "GetPolicy", LambdaParams(ctx.function, q));
          std::lock_guard lock(mutex);
          policies.emplace(q, std::move(r));
        });
      }
    }
    pool.Wait();
  }
  auto label = [](const std::string& q) { return q.empty() ? std::string("$LATEST") : q; };
  if (aliases_error && (groups.count("url") || groups.count("statements"))) {
    add(FailedPlanTask(ctx, "aliases", fmt::format("aliases of {} (their URLs and policies)", ctx.function), *aliases_error));
  }

  if (groups.count("throttle")) fc->warnings.Add(AsyncWarning(invoke_config, config, options.on_failure_destination));
  // Every qualifier's destinations: a foreign one receives the events throttled now.
  json all_configs = JArr(invoke_configs, "FunctionEventInvokeConfigs");
  if (invoke_configs_error && invoke_config.is_object()) all_configs.push_back(invoke_config);
  for (const ForeignDestination& d : FindForeignDestinations(config, all_configs, ctx.account)) {
    fc->warnings.Add(fmt::format(
        "{} of {} ({}) sends results to {} in account {}{}", d.kind, ctx.function, d.qualifier, d.arn, d.account,
        d.kind == "OnSuccess" ? "" :
        want_destination ? ": replaced by --on-failure-destination while contained" :
                           ": every event throttled now goes there once its retries run out. Rerun with --on-failure-destination "
                           "ARN (a queue or topic of this account) to replace it while the function is contained"));
  }

  if (groups.count("mappings")) {
    if (mappings_error) {
      add(FailedPlanTask(ctx, "mappings", fmt::format("event source mappings of {}: -> Disabled", ctx.function), *mappings_error));
    } else {
      for (const auto& m : JArr(mappings, "EventSourceMappings")) {
        if (UnqualifiedFunctionArn(JStr(m, "FunctionArn")) != fc->function_arn) continue;
        ResponseStep step = DisableMappingStep(ctx, JStr(m, "UUID"), JStr(m, "EventSourceArn"), JStr(m, "State"));
        step.after = {snapshot_key};  // the snapshot lists the mappings as they were
        add(std::move(step));
      }
    }
  }

  for (const char* group : {"deny", "sessions"}) {
    if (!groups.count(group)) continue;
    const bool deny = std::string(group) == "deny";
    const std::string what = deny ? "deny-all policy on the execution role of " + ctx.function
                                  : "revocation of older sessions of the execution role of " + ctx.function;
    if (fc->role_arn.empty()) {
      add(FailedPlanTask(ctx, group, what, config_error.message.empty() ? Error{ErrorCode::kCorruptInput, "the function names no role"} : config_error));
      continue;
    }
    const std::string role = fc->role_arn.substr(fc->role_arn.rfind('/') + 1);
    ResponseStep step = deny ? InlinePolicyStep(ctx, kKindDenyPolicy, role, options.deny_policy_name, DenyAllDocument())
                             : InlinePolicyStep(ctx, kKindRevokeSessions, role, kRevokeSessionsPolicyName, RevokeOlderSessionsDocument(now));
    step.after = {snapshot_key};  // the snapshot reads the role's policies before ours lands
    std::vector<std::string> others;
    for (const auto& f : users.functions) {
      if (!contained.count(f)) others.push_back("function " + f);
    }
    for (const auto& s : users.services) others.push_back("service " + s);
    for (const auto& p : users.own_principals) others.push_back(p);
    if (!options.allow_shared_role) {
      if (!others.empty()) {
        step.held_back = fmt::format("role {} is also used by {}: the {} would stop them too. Rerun with --allow-shared-role to "
                                     "put it anyway, or eradicate --recreate-role to give {} a role of its own",
                                     role, fmt::join(others, ", "), deny ? "deny-all" : "revocation", ctx.function);
      } else if (!users.home_checked) {
        step.held_back = fmt::format("who else uses role {} could not be checked ({}); rerun with --allow-shared-role to put "
                                     "it anyway",
                                     role, fmt::join(users.unchecked, "; "));
      }
    }
    if (step.held_back.empty() && !users.unchecked.empty()) {
      fc->warnings.Add(fmt::format("role {}: not checked for other users: {}", role, fmt::join(users.unchecked, "; ")));
    }
    if (deny && !users.foreign_accounts.empty()) {
      fc->warnings.Add(fmt::format("role {} trusts {} outside account {}: likely the attacker's way back in; the deny-all "
                                         "stops their sessions too; eradicate --recreate-role leaves that trust out",
                                         role, fmt::join(users.foreign_accounts, ", "), ctx.account));
    }
    if (deny) {
      // A published version keeps the role it was published with: the deny does not reach it.
      for (const auto& v : JArr(versions, "Versions")) {
        if (JStr(v, "Version") != "$LATEST" && !JStr(v, "Role").empty() && JStr(v, "Role") != fc->role_arn) {
          fc->warnings.Add(fmt::format("version {} runs with role {}, which the deny-all policy does not cover (reserved "
                                             "concurrency 0 throttles it all the same); contain that role's other users or deny "
                                             "it by hand",
                                             JStr(v, "Version"), JStr(v, "Role")));
        }
      }
    }
    add(std::move(step));
  }

  for (auto& [q, url] : urls) {
    if (!url) {
      add(FailedPlanTask(ctx, "url/" + label(q), fmt::format("URL of {} ({}): -> AWS_IAM", ctx.function, label(q)), url.error()));
    } else if (*url && JStr(**url, "AuthType") != "AWS_IAM") {
      ResponseStep step = UrlAuthIamStep(ctx, q, JStr(**url, "AuthType"));
      step.needs = {snapshot_key};  // rewrites evidence: only once the snapshot holds it
      add(std::move(step));
    }
  }
  std::set<std::string> planned;
  for (auto& [q, policy] : policies) {
    if (!policy) {
      add(FailedPlanTask(ctx, "statements/" + label(q), fmt::format("flagged statements of {} ({}): removed", ctx.function, label(q)),
                         policy.error()));
      continue;
    }
    if (!*policy) continue;
    for (const FlaggedStatement& f : FlagPolicyStatements(JStr(**policy, "Policy"), ctx.account)) {
      if (f.sid == "(no Sid)") continue;  // RemovePermission needs a statement id
      // An alias's own statements name it in their Resource; others are not its to remove.
      if (!q.empty() && JStr(f.statement, "Resource") != fc->function_arn + ":" + q) continue;
      ResponseStep step = RemoveStatementStep(ctx, q, f.sid, f.statement, f.rule_id);
      if (!planned.insert(step.key).second) continue;
      step.needs = {snapshot_key};
      add(std::move(step));
    }
  }
  // A removal a crashed run made before recording its result: completed from the journal.
  for (const JournalStep& j : fc->recorded) {
    if (planned.count(j.key) || j.prior_state.empty() || KindAndId(j.key, ctx.key_prefix).first != kKindStatement) continue;
    const json prior = json::parse(j.prior_state, nullptr, false);
    ResponseStep step = RemoveStatementStep(ctx, JStr(prior, "Qualifier"), JStr(prior, "Sid"), JAt(prior, "Statement"), JStr(prior, "Flagged"));
    step.needs = {snapshot_key};
    add(std::move(step));
  }

  if (want_destination) {
    // The function's own settings and every qualifier's that has its own.
    std::map<std::string, json> current{{"", invoke_config}};
    for (const auto& c : JArr(invoke_configs, "FunctionEventInvokeConfigs")) current[QualifierOfInvokeConfig(c)] = c;
    if (invoke_configs_error) {
      fc->warnings.Add(fmt::format("asynchronous settings of {}'s aliases not listed ({}): only $LATEST gets the on-failure "
                                         "destination", ctx.function, aws::RemedyFor(*invoke_configs_error)));
    }
    for (const auto& [q, c] : current) {
      ResponseStep step = OnFailureDestinationStep(ctx, q, options.on_failure_destination, c);
      step.needs = {snapshot_key};
      add(std::move(step));
    }
  }
}

}  // namespace lir
