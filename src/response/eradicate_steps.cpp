#include "response/eradicate_steps.h"

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "core/hashing.h"
#include "core/json_util.h"
#include "response/journal.h"

namespace lir {

using nlohmann::json;

Result<json> WaitForFunctionUpdate(AwsCalls& calls, const std::string& function, int wait_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  auto pause = std::chrono::milliseconds(200);
  while (true) {
    json config = LIR_TRY(calls.Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(function)));
    const std::string status = JStr(config, "LastUpdateStatus", "Successful");
    if (status == "Failed") {
      return MakeError(ErrorCode::kUnavailable, fmt::format("the update of {} failed: {} {}", function, JStr(config, "LastUpdateStatusReasonCode"),
                                                            JStr(config, "LastUpdateStatusReason")));
    }
    if (status != "InProgress") return config;
    if (std::chrono::steady_clock::now() + pause > deadline) {
      return MakeError(ErrorCode::kUnavailable, fmt::format("{} is still updating after {} s; run the command again to go on", function, wait_seconds));
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(2000));
  }
}

ResponseStep DeleteFunctionStep(const StepContext& ctx, const std::string& name, const std::function<Result<std::string>()>& preserve) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindDeleteFunction + "/" + name;
  s.action = AwsCliLine("lambda", "delete-function", {{"--function-name", name}}, ctx.cli);
  s.summary = fmt::format("function {}: collected into the case, then deleted", name);
  s.read_prior = [calls = ctx.calls, name, preserve]() -> Result<json> {
    const std::string snapshot = LIR_TRY(preserve());
    json config = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(name)));
    return json{{"FunctionArn", JStr(config, "FunctionArn")}, {"CodeSha256", JStr(config, "CodeSha256")}, {"Role", JStr(config, "Role")},
                {"snapshot", snapshot}};
  };
  s.apply = [calls = ctx.calls, name](const json&) -> Result<json> {
    return calls->Remove(aws::Service::kLambda, "DeleteFunction", LambdaParams(name), json{{"deleted", name}},
                         "function absent (deleted already)");
  };
  return s;
}

ResponseStep RedeployStep(const StepContext& ctx, std::string zip, const std::string& zip_path) {
  const std::string expected = LambdaCodeSha256(zip);
  ResponseStep s;
  s.key = ctx.key_prefix + kKindRedeploy + "/" + Sha256Hex(zip).substr(0, 16);
  s.action = AwsCliLine("lambda", "update-function-code", {{"--function-name", ctx.function}, {"--zip-file", "fileb://" + zip_path}}, ctx.cli);
  s.summary = fmt::format("code of {}: -> the known-good package (CodeSha256 {}, checked after the update)", ctx.function, expected);
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    json config = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(function)));
    return json{{"CodeSha256", JStr(config, "CodeSha256")}, {"CodeSize", JAt(config, "CodeSize")}, {"RevisionId", JStr(config, "RevisionId")}};
  };
  s.apply = [calls = ctx.calls, function = ctx.function, zip = std::move(zip), expected, wait = ctx.wait_seconds](const json&) -> Result<json> {
    LIR_CHECK(WaitForFunctionUpdate(*calls, function, wait));  // an update in progress refuses another
    aws::CallParams p = LambdaParams(function);
    p.body = json{{"ZipFile", Base64Encode(zip)}};
    LIR_CHECK(calls->Call(aws::Service::kLambda, "UpdateFunctionCode", p));
    const json config = LIR_TRY(WaitForFunctionUpdate(*calls, function, wait));
    const std::string deployed = JStr(config, "CodeSha256");
    if (deployed != expected) {
      return MakeError(ErrorCode::kCorruptInput, fmt::format("{} reports CodeSha256 {} after the update, but the package's is {}: the "
                                                             "deployed code is not the known-good package", function, deployed, expected));
    }
    return json{{"CodeSha256", deployed}, {"verified", true}};
  };
  return s;
}

ResponseStep PublishVersionStep(const StepContext& ctx, const std::vector<std::string>& needs, const std::string& why) {
  ResponseStep s;
  std::string digest;
  for (const auto& n : needs) digest += n + "\n";
  s.key = ctx.key_prefix + kKindPublishVersion + "/" + Sha256Hex(digest).substr(0, 16);
  s.action = AwsCliLine("lambda", "publish-version", {{"--function-name", ctx.function}, {"--description", why}}, ctx.cli);
  s.summary = fmt::format("{}: a new version of the fixed $LATEST, for the aliases to move to", ctx.function);
  s.phase = 3;
  s.needs = needs;
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    const json versions = LIR_TRY(calls->CallAll(aws::Service::kLambda, "ListVersionsByFunction", LambdaParams(function)));
    json known = json::array();
    for (const auto& v : JArr(versions, "Versions")) known.push_back(JStr(v, "Version"));
    return json{{"Versions", known}};
  };
  s.apply = [calls = ctx.calls, function = ctx.function, why, wait = ctx.wait_seconds](const json&) -> Result<json> {
    LIR_CHECK(WaitForFunctionUpdate(*calls, function, wait));
    aws::CallParams p = LambdaParams(function);
    p.body = json{{"Description", why}};
    const json v = LIR_TRY(calls->Call(aws::Service::kLambda, "PublishVersion", p));
    return json{{"Version", JStr(v, "Version")}, {"CodeSha256", JStr(v, "CodeSha256")}, {"Role", JStr(v, "Role")}};
  };
  return s;
}

PublishedVersion PublishedVersionIn(Journal* journal, const std::string& publish_key) {
  return [journal, publish_key]() -> Result<std::string> {
    auto step = journal ? journal->Find(publish_key) : Result<std::optional<JournalStep>>(std::nullopt);
    if (!step || !*step || (*step)->status != StepStatus::kDone) return MakeError(ErrorCode::kInternal, "the new version is not published");
    return JStr(json::parse((*step)->result, nullptr, false), "Version");
  };
}

namespace {

// The new version as the aws CLI gets it in a shell: publishing again publishes nothing new
// (Lambda returns the version already made when code and configuration are unchanged).
std::string PublishedVersionWord(const StepContext& ctx) {
  return "$(" + AwsCliLine("lambda", "publish-version", {{"--function-name", ctx.function}, {"--query", "Version"}, {"--output", "text"}}, ctx.cli) + ")";
}

}  // namespace

ResponseStep RepointAliasStep(const StepContext& ctx, const std::string& alias, const std::string& from_version, const std::string& publish_key,
                              const PublishedVersion& published) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindAlias + "/" + alias;
  s.action = AwsCliLine("lambda", "update-alias",
                        {{"--function-name", ctx.function}, {"--name", alias}, {"--routing-config", R"({"AdditionalVersionWeights":{}})"}},
                        ctx.cli) +
             " --function-version \"" + PublishedVersionWord(ctx) + "\"";
  s.summary = fmt::format("alias {} of {}: version {} (tainted) -> the new version", alias, ctx.function, from_version);
  s.phase = 4;
  s.needs = {publish_key};
  s.read_prior = [calls = ctx.calls, function = ctx.function, alias]() -> Result<json> {
    aws::CallParams p = LambdaParams(function);
    p.path["Name"] = alias;
    const json a = LIR_TRY(calls->Call(aws::Service::kLambda, "GetAlias", p));
    return json{{"Name", alias}, {"FunctionVersion", JStr(a, "FunctionVersion")}, {"RoutingConfig", JAt(a, "RoutingConfig")}};
  };
  s.apply = [calls = ctx.calls, function = ctx.function, alias, published](const json&) -> Result<json> {
    const std::string version = LIR_TRY(published());
    aws::CallParams p = LambdaParams(function);
    p.path["Name"] = alias;
    p.body = json{{"FunctionVersion", version}, {"RoutingConfig", {{"AdditionalVersionWeights", json::object()}}}};
    const json a = LIR_TRY(calls->Call(aws::Service::kLambda, "UpdateAlias", p));
    return json{{"Name", alias}, {"FunctionVersion", JStr(a, "FunctionVersion")}};
  };
  return s;
}

ResponseStep MoveProvisionedStep(const StepContext& ctx, const std::string& from_version, int requested, const std::string& publish_key,
                                 const PublishedVersion& published) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindMoveProvisioned + "/" + from_version;
  s.action = AwsCliLine("lambda", "delete-provisioned-concurrency-config", {{"--function-name", ctx.function}, {"--qualifier", from_version}},
                        ctx.cli) +
             "\n" +
             AwsCliLine("lambda", "put-provisioned-concurrency-config",
                        {{"--function-name", ctx.function}, {"--provisioned-concurrent-executions", std::to_string(requested)}}, ctx.cli) +
             " --qualifier \"" + PublishedVersionWord(ctx) + "\"";
  s.summary = fmt::format("provisioned concurrency {} of {}: version {} (tainted) -> the new version", requested, ctx.function, from_version);
  s.phase = 4;
  s.needs = {publish_key};
  s.known_prior = json{{"Qualifier", from_version}, {"RequestedProvisionedConcurrentExecutions", requested}};
  s.apply = [calls = ctx.calls, function = ctx.function, from_version, requested, published](const json&) -> Result<json> {
    const std::string version = LIR_TRY(published());
    LIR_CHECK(calls->Remove(aws::Service::kLambda, "DeleteProvisionedConcurrencyConfig", LambdaParams(function, from_version),
                            json{{"deleted", from_version}}, "removed already"));
    aws::CallParams p = LambdaParams(function, version);
    p.body = json{{"ProvisionedConcurrentExecutions", requested}};
    LIR_CHECK(calls->Call(aws::Service::kLambda, "PutProvisionedConcurrencyConfig", p));
    return json{{"from", from_version}, {"to", version}, {"ProvisionedConcurrentExecutions", requested}};
  };
  return s;
}

json RestorableConfiguration(const json& configuration) {
  const json& c = configuration.contains("Configuration") ? configuration["Configuration"] : configuration;
  json target = json::object();
  for (const char* k : {"Handler", "Runtime", "Timeout", "MemorySize"}) {
    if (c.contains(k) && !c[k].is_null()) target[k] = c[k];
  }
  json layers = json::array();
  for (const auto& layer : JArr(c, "Layers")) layers.push_back(layer.is_string() ? layer : JAt(layer, "Arn"));
  target["Layers"] = layers;
  // Absent variables mean none: the attacker's additions must go too.
  const json& variables = JAt(JAt(c, "Environment"), "Variables");
  target["Environment"] = {{"Variables", variables.is_object() ? variables : json::object()}};
  return target;
}

namespace {

// The configuration with environment values left out (a digest of a short password is as
// good as the password): what the journal keeps. The values are in the case's snapshot.
json WithoutSecrets(json config) {
  json& variables = config["Environment"]["Variables"];
  if (variables.is_object()) {
    for (auto it = variables.begin(); it != variables.end(); ++it) it.value() = "(value in the case snapshot)";
  }
  return config;
}

}  // namespace

std::string RestoreDigest(const json& target, const std::string& source) {
  return Sha256Hex(source + "\n" + WithoutSecrets(target).dump()).substr(0, 16);
}

ResponseStep RestoreConfigStep(const StepContext& ctx, const json& target, const std::string& environment_path, const std::string& source) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindRestoreConfig + "/" + RestoreDigest(target, source);
  std::vector<CliArg> args{{"--function-name", ctx.function}};
  if (target.contains("Handler")) args.push_back({"--handler", JStr(target, "Handler")});
  if (target.contains("Runtime")) args.push_back({"--runtime", JStr(target, "Runtime")});
  if (target.contains("Timeout")) args.push_back({"--timeout", target["Timeout"].dump()});
  if (target.contains("MemorySize")) args.push_back({"--memory-size", target["MemorySize"].dump()});
  args.push_back({"--layers", target["Layers"].dump()});  // JSON list: also says "no layers" when empty
  args.push_back({"--environment", "file://" + environment_path});
  s.action = AwsCliLine("lambda", "update-function-configuration", args, ctx.cli);
  s.summary = fmt::format("configuration of {}: -> the known-good one (handler, runtime, limits, layers, {} environment variables)",
                          ctx.function, JAt(JAt(target, "Environment"), "Variables").size());
  s.phase = 1;
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    json config = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(function)));
    return WithoutSecrets(RestorableConfiguration(config));
  };
  s.apply = [calls = ctx.calls, function = ctx.function, target, wait = ctx.wait_seconds](const json&) -> Result<json> {
    LIR_CHECK(WaitForFunctionUpdate(*calls, function, wait));
    aws::CallParams p = LambdaParams(function);
    p.body = target;
    LIR_CHECK(calls->Call(aws::Service::kLambda, "UpdateFunctionConfiguration", p));
    const json now = RestorableConfiguration(LIR_TRY(WaitForFunctionUpdate(*calls, function, wait)));
    if (now != target) {
      return MakeError(ErrorCode::kUnavailable, fmt::format("{}: the configuration read back differs from the one restored", function));
    }
    return json{{"restored", WithoutSecrets(now)}, {"verified", true}};
  };
  return s;
}

}  // namespace lir
