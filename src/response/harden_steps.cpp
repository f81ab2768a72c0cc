#include "response/harden_steps.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "analysis/posture_checks.h"
#include "core/json_util.h"
#include "core/strings.h"

namespace lir {

using nlohmann::json;

namespace {

constexpr const char* kSigningDescriptionPrefix = "lambda-ir harden: Enforce, trusts ";

const json& LambdaAdvancedSelector() {
  static const json s = {{"Name", "Lambda invocations (lambda-ir harden)"},
                         {"FieldSelectors", {{{"Field", "eventCategory"}, {"Equals", {"Data"}}},
                                             {{"Field", "resources.type"}, {"Equals", {"AWS::Lambda::Function"}}}}}};
  return s;
}
const json& LambdaBasicSelector() {
  static const json s = {{"ReadWriteType", "All"},
                         {"IncludeManagementEvents", false},
                         {"DataResources", {{{"Type", "AWS::Lambda::Function"}, {"Values", {"arn:aws:lambda"}}}}}};
  return s;
}

// The selectors to put: the trail's own, plus one that logs every function's invocations.
// Basic selectors stay basic (switching to advanced would rewrite what the trail logs).
Result<json> WithLambdaSelector(const json& selectors) {
  const json& basic = JArr(selectors, "EventSelectors");
  const json& advanced = JArr(selectors, "AdvancedEventSelectors");
  if (!basic.empty() && advanced.empty()) {
    if (basic.size() >= 5) return MakeError(ErrorCode::kInvalidRequest, "the trail has 5 basic event selectors, CloudTrail's maximum");
    json out = basic;
    out.push_back(LambdaBasicSelector());
    return json{{"EventSelectors", out}};
  }
  json out = advanced;
  out.push_back(LambdaAdvancedSelector());
  return json{{"AdvancedEventSelectors", out}};
}

std::vector<CliArg> SelectorArgs(const std::string& trail, const json& put) {
  std::vector<CliArg> args{{"--trail-name", trail}};
  if (put.contains("AdvancedEventSelectors")) args.push_back({"--advanced-event-selectors", put["AdvancedEventSelectors"].dump()});
  if (put.contains("EventSelectors")) args.push_back({"--event-selectors", put["EventSelectors"].dump()});
  return args;
}

Result<json> PutSelectors(AwsCalls& calls, const std::string& home, const std::string& trail, const json& put) {
  aws::CallParams p;
  p.body = put;
  p.body["TrailName"] = trail;
  json doc = LIR_TRY(calls.CallIn(home, aws::Service::kCloudTrail, "PutEventSelectors", p));
  doc.erase("TrailARN");
  return doc;
}

AwsCliGlobals InRegion(const StepContext& ctx, const std::string& region) {
  AwsCliGlobals g = ctx.cli;
  g.region = region;
  return g;
}

// The config harden made for this signing profile, found by its description (a rerun after a
// crash between creating it and journaling it reuses it rather than making a second).
Result<std::string> FindOurSigningConfig(AwsCalls& calls, const std::string& profile_version_arn) {
  const json listed = LIR_TRY(calls.CallAll(aws::Service::kLambda, "ListCodeSigningConfigs", {}));
  for (const json& c : JArr(listed, "CodeSigningConfigs")) {
    const auto publishers = JStrings(JAt(JAt(c, "AllowedPublishers"), "SigningProfileVersionArns"));
    if (JStr(c, "Description") == kSigningDescriptionPrefix + profile_version_arn && publishers == std::vector{profile_version_arn} &&
        JStr(JAt(c, "CodeSigningPolicies"), "UntrustedArtifactOnDeployment") == "Enforce") {
      return JStr(c, "CodeSigningConfigArn");
    }
  }
  return std::string();
}

aws::CallParams SigningConfigParams(const std::string& arn) {
  aws::CallParams p;
  p.path["CodeSigningConfigArn"] = arn;
  return p;
}

}  // namespace

ResponseStep AddLambdaDataEventsStep(const StepContext& ctx, const std::string& trail_arn, const std::string& home, const json& current,
                                     const std::vector<std::string>& functions) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindDataEvents + "/" + trail_arn.substr(trail_arn.rfind('/') + 1);
  const auto planned = WithLambdaSelector(current);
  s.action = AwsCliLine("cloudtrail", "put-event-selectors", SelectorArgs(trail_arn, planned ? *planned : json::object()), InRegion(ctx, home));
  s.summary = fmt::format("trail {}: a Lambda data-event selector added, its {} other selector(s) kept", trail_arn,
                          JArr(current, "AdvancedEventSelectors").size() + JArr(current, "EventSelectors").size());
  s.phase = 2;
  s.read_prior = [calls = ctx.calls, trail_arn, home]() -> Result<json> {
    aws::CallParams p;
    p.body = json{{"TrailName", trail_arn}};
    json doc = LIR_TRY(calls->CallIn(home, aws::Service::kCloudTrail, "GetEventSelectors", p));
    json prior{{"TrailARN", trail_arn}, {"HomeRegion", home}};
    for (const char* k : {"EventSelectors", "AdvancedEventSelectors"}) {
      if (!JArr(doc, k).empty()) prior[k] = doc[k];
    }
    return prior;
  };
  s.apply = [calls = ctx.calls, trail_arn, home, functions](const json& prior) -> Result<json> {
    // Logging them all already (an earlier run, or someone meanwhile): nothing to add.
    const bool all = std::all_of(functions.begin(), functions.end(), [&](const std::string& arn) { return SelectorsLogInvoke(prior, arn); });
    if (all) return json{{"unchanged", "the trail logs these functions' invocations already"}};
    const json put = LIR_TRY(WithLambdaSelector(prior));
    return PutSelectors(*calls, home, trail_arn, put);
  };
  return s;
}

ResponseStep CreateSigningConfigStep(const StepContext& ctx, const std::string& profile_version_arn) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindSigningConfig;
  const json publishers = {{"SigningProfileVersionArns", {profile_version_arn}}};
  s.action = AwsCliLine("lambda", "create-code-signing-config",
                        {{"--description", kSigningDescriptionPrefix + profile_version_arn},
                         {"--allowed-publishers", publishers.dump()},
                         {"--code-signing-policies", "UntrustedArtifactOnDeployment=Enforce"}},
                        ctx.cli);
  s.summary = fmt::format("code signing config (Enforce) trusting {}: created, or reused if an earlier run made it", profile_version_arn);
  s.phase = 1;
  // Whether the config existed before this run: after a crash between creating it and
  // journaling it, the rerun finds it and must still count it as this round's (undo deletes it).
  s.read_prior = [calls = ctx.calls, profile_version_arn]() -> Result<json> {
    const std::string existing = LIR_TRY(FindOurSigningConfig(*calls, profile_version_arn));
    return json{{"CodeSigningConfigArn", existing}};
  };
  s.apply = [calls = ctx.calls, profile_version_arn, publishers](const json& prior) -> Result<json> {
    const std::string existing = LIR_TRY(FindOurSigningConfig(*calls, profile_version_arn));
    const bool ours = JStr(prior, "CodeSigningConfigArn").empty();
    if (!existing.empty()) return json{{"CodeSigningConfigArn", existing}, {"created", ours}};
    aws::CallParams p;
    p.body = json{{"Description", kSigningDescriptionPrefix + profile_version_arn},
                  {"AllowedPublishers", publishers},
                  {"CodeSigningPolicies", {{"UntrustedArtifactOnDeployment", "Enforce"}}}};
    const json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "CreateCodeSigningConfig", p));
    return json{{"CodeSigningConfigArn", JStr(JAt(doc, "CodeSigningConfig"), "CodeSigningConfigArn")}, {"created", true},
                {"ProfileVersionArn", profile_version_arn}};
  };
  return s;
}

ResponseStep AttachSigningConfigStep(const StepContext& ctx, const std::string& config_key, const std::string& profile,
                                     const std::string& before) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindCodeSigning;
  // The config's ARN as a shell finds it: by the description the step above gave it.
  const std::string find = AwsCliLine(
      "lambda", "list-code-signing-configs",
      {{"--query", fmt::format("CodeSigningConfigs[?Description=='{}{}'].CodeSigningConfigArn | [0]", kSigningDescriptionPrefix, profile)},
       {"--output", "text"}},
      ctx.cli);
  s.action = AwsCliLine("lambda", "put-function-code-signing-config", {{"--function-name", ctx.function}}, ctx.cli) +
             " --code-signing-config-arn \"$(" + find + ")\"";
  s.summary = fmt::format("code signing of {}: {} -> the Enforce config (unsigned deploys now fail)", ctx.function,
                          before.empty() ? "none" : before);
  s.phase = 2;
  s.needs = {config_key};
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    const json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionCodeSigningConfig", LambdaParams(function)));
    return json{{"CodeSigningConfigArn", JStr(doc, "CodeSigningConfigArn")}};
  };
  s.apply = [calls = ctx.calls, function = ctx.function, profile](const json&) -> Result<json> {
    const std::string arn = LIR_TRY(FindOurSigningConfig(*calls, profile));
    if (arn.empty()) return MakeError(ErrorCode::kNotFound, "the Enforce code signing config harden creates is not there");
    aws::CallParams p = LambdaParams(function);
    p.body = json{{"CodeSigningConfigArn", arn}};
    const json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "PutFunctionCodeSigningConfig", p));
    return json{{"CodeSigningConfigArn", JStr(doc, "CodeSigningConfigArn")}};
  };
  return s;
}

Result<json> AddPermissionBody(const json& statement) {
  const std::string sid = JStr(statement, "Sid");
  if (sid.empty() || !IEquals(JStr(statement, "Effect"), "Allow") || !JAt(statement, "Action").is_string()) {
    return MakeError(ErrorCode::kUnsupported, "not an Allow statement of one action with a Sid");
  }
  for (const auto& [key, value] : statement.items()) {
    static const std::set<std::string> kKnown = {"Sid", "Effect", "Principal", "Action", "Resource", "Condition"};
    if (!kKnown.count(key)) return MakeError(ErrorCode::kUnsupported, fmt::format("it has a member {} AddPermission cannot set", key));
  }
  json body{{"StatementId", sid}, {"Action", JStr(statement, "Action")}};
  const json& principal = JAt(statement, "Principal");
  if (principal.is_string()) {
    body["Principal"] = principal;
  } else if (!principal.is_object() || principal.size() != 1) {
    return MakeError(ErrorCode::kUnsupported, "its principal is not one AddPermission can name");
  } else if (JAt(principal, "Service").is_string()) {
    body["Principal"] = principal["Service"];
  } else if (JAt(principal, "AWS").is_string()) {
    body["Principal"] = principal["AWS"];
  } else {
    return MakeError(ErrorCode::kUnsupported, "its principal is not one AddPermission can name");
  }
  const json conditions = JAt(statement, "Condition").is_object() ? statement["Condition"] : json::object();
  for (const auto& [op, keys] : conditions.items()) {
    if (!keys.is_object()) return MakeError(ErrorCode::kUnsupported, fmt::format("condition {} is not a map", op));
    for (const auto& [key, value] : keys.items()) {
      const std::string k = ToLower(key);
      const bool arn_op = op == "ArnLike" || op == "ArnEquals";
      if (arn_op && k == "aws:sourcearn" && value.is_string()) {
        body["SourceArn"] = value;
      } else if (op == "StringEquals" && k == "aws:sourceaccount" && value.is_string()) {
        body["SourceAccount"] = value;
      } else if (op == "StringEquals" && k == "aws:principalorgid" && value.is_string()) {
        body["PrincipalOrgID"] = value;
      } else if (op == "StringEquals" && k == "lambda:functionurlauthtype" && value.is_string()) {
        body["FunctionUrlAuthType"] = value;
      } else if (op == "StringEquals" && k == "lambda:eventsourcetoken" && value.is_string()) {
        body["EventSourceToken"] = value;
      } else if (op == "Bool" && k == "lambda:invokedviafunctionurl") {
        body["InvokedViaFunctionUrl"] = value == true || value == "true";
      } else {
        return MakeError(ErrorCode::kUnsupported, fmt::format("condition {} {} has no AddPermission parameter", op, key));
      }
    }
  }
  return body;
}

RecoveryPlanItem UndoUrlAuth(const StepContext& ctx, const std::string& id, const json& prior) {
  const std::string qualifier = JStr(prior, "Qualifier"), auth = JStr(prior, "AuthType");
  if (auth.empty() || auth == "AWS_IAM") return {false, fmt::format("URL {} was AWS_IAM already", id), {}};
  ResponseStep s;
  s.key = ctx.key_prefix + kKindUrl + "/" + id;
  s.phase = 2;  // after the statements that make it answer come back
  std::vector<CliArg> args{{"--function-name", ctx.function}};
  if (!qualifier.empty()) args.push_back({"--qualifier", qualifier});
  args.push_back({"--auth-type", auth});
  s.action = AwsCliLine("lambda", "update-function-url-config", args, ctx.cli);
  s.summary = fmt::format("URL of {} ({}): AuthType AWS_IAM -> {}, as before harden", ctx.function, id, auth);
  s.known_prior = json{{"AuthType", "AWS_IAM"}};
  s.apply = [calls = ctx.calls, function = ctx.function, qualifier, auth](const json&) -> Result<json> {
    aws::CallParams p = LambdaParams(function, qualifier);
    p.body = json{{"AuthType", auth}};
    const json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "UpdateFunctionUrlConfig", p));
    return json{{"AuthType", JStr(doc, "AuthType")}};
  };
  return {true, "", std::move(s)};
}

RecoveryPlanItem UndoStatementRemoval(const StepContext& ctx, const std::string& id, const json& prior) {
  const std::string qualifier = JStr(prior, "Qualifier");
  auto body = AddPermissionBody(JAt(prior, "Statement"));
  if (!body) return {false, fmt::format("statement {} not put back: {}; its text is in the journal", id, body.error().message), {}};
  ResponseStep s;
  s.key = ctx.key_prefix + kKindStatement + "/" + id;
  s.phase = 1;
  std::vector<CliArg> args{{"--function-name", ctx.function}};
  if (!qualifier.empty()) args.push_back({"--qualifier", qualifier});
  static const std::vector<std::pair<const char*, const char*>> kFlags = {
      {"StatementId", "--statement-id"},     {"Action", "--action"},
      {"Principal", "--principal"},          {"SourceArn", "--source-arn"},
      {"SourceAccount", "--source-account"}, {"PrincipalOrgID", "--principal-org-id"},
      {"FunctionUrlAuthType", "--function-url-auth-type"}, {"EventSourceToken", "--event-source-token"}};
  for (const auto& [member, flag] : kFlags) {
    if (body->contains(member)) args.push_back({flag, (*body)[member].get<std::string>()});
  }
  if (body->contains("InvokedViaFunctionUrl")) args.push_back({(*body)["InvokedViaFunctionUrl"] == true ? "--invoked-via-function-url" : "--no-invoked-via-function-url", std::nullopt});
  s.action = AwsCliLine("lambda", "add-permission", args, ctx.cli);
  s.summary = fmt::format("resource-policy statement {} of {}: put back as before harden", JStr(prior, "Sid"), ctx.function);
  // Whether a statement of that Sid is there now (an undo of a later round put it back first).
  s.read_prior = [calls = ctx.calls, function = ctx.function, qualifier, sid = JStr(prior, "Sid")]() -> Result<json> {
    const auto policy = LIR_TRY(calls->CallIfPresent(aws::Service::kLambda, "GetPolicy", LambdaParams(function, qualifier)));
    const json doc = policy ? json::parse(JStr(*policy, "Policy"), nullptr, false) : json();
    bool present = false;
    for (const json& st : JArr(doc, "Statement")) present = present || JStr(st, "Sid") == sid;
    return json{{"Sid", sid}, {"present", present}};
  };
  s.apply = [calls = ctx.calls, function = ctx.function, qualifier, body = *body](const json& now) -> Result<json> {
    if (JAt(now, "present") == true) return json{{"unchanged", "a statement with this Sid is there already"}};
    aws::CallParams p = LambdaParams(function, qualifier);
    p.body = body;
    auto added = calls->Call(aws::Service::kLambda, "AddPermission", p);
    if (!added && added.error().code == ErrorCode::kConflict) return json{{"unchanged", "a statement with this Sid is there already"}};
    if (!added) return tl::unexpected(added.error());
    return json{{"added", body["StatementId"]}};
  };
  return {true, "", std::move(s)};
}

namespace {

// The selectors to put back: those on the trail now without harden's, or (none left) the
// trail's selectors before harden. Null: harden's selector is not there.
json WithoutOurSelector(const json& now, const json& prior) {
  json advanced = json::array(), basic = json::array();
  bool found = false;
  for (const json& a : JArr(now, "AdvancedEventSelectors")) {
    if (a == LambdaAdvancedSelector()) found = true;
    else advanced.push_back(a);
  }
  for (const json& b : JArr(now, "EventSelectors")) {
    if (b == LambdaBasicSelector()) found = true;
    else basic.push_back(b);
  }
  if (!found) return json();
  if (!advanced.empty()) return json{{"AdvancedEventSelectors", advanced}};
  if (!basic.empty()) return json{{"EventSelectors", basic}};
  if (prior.contains("AdvancedEventSelectors")) return json{{"AdvancedEventSelectors", prior["AdvancedEventSelectors"]}};
  return json{{"EventSelectors", JArr(prior, "EventSelectors")}};
}

Result<json> ReadSelectors(AwsCalls& calls, const std::string& home, const std::string& trail) {
  aws::CallParams p;
  p.body = json{{"TrailName", trail}};
  json doc = LIR_TRY(calls.CallIn(home, aws::Service::kCloudTrail, "GetEventSelectors", p));
  doc.erase("TrailARN");
  return doc;
}

}  // namespace

RecoveryPlanItem UndoDataEvents(const StepContext& ctx, const std::string& id, const json& prior) {
  const std::string trail = JStr(prior, "TrailARN"), home = JStr(prior, "HomeRegion");
  ResponseStep s;
  s.key = ctx.key_prefix + kKindDataEvents + "/" + id;
  s.phase = 1;
  // The printed line is what the trail holds now without harden's selector (read while planning;
  // the step reads it again when it runs).
  const auto now = ReadSelectors(*ctx.calls, home, trail);
  const json planned = now ? WithoutOurSelector(*now, prior) : json();
  s.action = planned.is_null() ? fmt::format("# trail {}: harden's Lambda selector is not there{}", trail, now ? "" : " (could not read it)")
                               : AwsCliLine("cloudtrail", "put-event-selectors", SelectorArgs(trail, planned), InRegion(ctx, home));
  s.summary = fmt::format("trail {}: the Lambda data-event selector harden added taken out, its other selectors kept", trail);
  s.read_prior = [calls = ctx.calls, trail, home]() { return ReadSelectors(*calls, home, trail); };
  s.apply = [calls = ctx.calls, trail, home, prior](const json& now) -> Result<json> {
    const json put = WithoutOurSelector(now, prior);
    if (put.is_null()) return json{{"unchanged", "harden's selector is not on the trail (taken out already)"}};
    return PutSelectors(*calls, home, trail, put);
  };
  return {true, "", std::move(s)};
}

RecoveryPlanItem UndoCodeSigning(const StepContext& ctx, const json& prior, const json& result) {
  const std::string before = JStr(prior, "CodeSigningConfigArn");
  const std::string ours = JStr(result, "CodeSigningConfigArn");  // empty after an interrupted run: not known
  ResponseStep s;
  s.key = ctx.key_prefix + kKindCodeSigning;
  s.phase = 1;
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    const json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionCodeSigningConfig", LambdaParams(function)));
    return json{{"CodeSigningConfigArn", JStr(doc, "CodeSigningConfigArn")}};
  };
  auto replaced = [ours](const json& now) {
    const std::string attached = JStr(now, "CodeSigningConfigArn");
    return !ours.empty() && attached != ours;
  };
  if (before.empty()) {
    s.action = AwsCliLine("lambda", "delete-function-code-signing-config", {{"--function-name", ctx.function}}, ctx.cli);
    s.summary = fmt::format("code signing of {}: detached (it had none before harden)", ctx.function);
    s.apply = [calls = ctx.calls, function = ctx.function, replaced](const json& now) -> Result<json> {
      if (replaced(now)) return json{{"unchanged", "another config was attached since harden: kept"}};
      return calls->Remove(aws::Service::kLambda, "DeleteFunctionCodeSigningConfig", LambdaParams(function), json{{"detached", true}},
                           "no code signing config attached");
    };
  } else {
    s.action = AwsCliLine("lambda", "put-function-code-signing-config",
                          {{"--function-name", ctx.function}, {"--code-signing-config-arn", before}}, ctx.cli);
    s.summary = fmt::format("code signing of {}: {} again, as before harden", ctx.function, before);
    s.apply = [calls = ctx.calls, function = ctx.function, before, replaced](const json& now) -> Result<json> {
      if (replaced(now)) return json{{"unchanged", "another config was attached since harden: kept"}};
      aws::CallParams p = LambdaParams(function);
      p.body = json{{"CodeSigningConfigArn", before}};
      const json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "PutFunctionCodeSigningConfig", p));
      return json{{"CodeSigningConfigArn", JStr(doc, "CodeSigningConfigArn")}};
    };
  }
  return {true, "", std::move(s)};
}

RecoveryPlanItem UndoSigningConfig(const StepContext& ctx, const std::string&, const json& result) {
  const std::string arn = JStr(result, "CodeSigningConfigArn");
  if (arn.empty() || result.value("created", false) == false) {
    return {false, "the code signing config was there before this harden run: kept", {}};
  }
  ResponseStep s;
  s.key = ctx.key_prefix + kKindSigningConfig;
  s.phase = 3;  // once no function uses it (the plan waits for their detaching)
  s.action = AwsCliLine("lambda", "delete-code-signing-config", {{"--code-signing-config-arn", arn}}, ctx.cli);
  s.summary = fmt::format("code signing config {}: deleted (harden created it)", arn);
  s.known_prior = json::object();
  s.apply = [calls = ctx.calls, arn](const json&) -> Result<json> {
    return calls->Remove(aws::Service::kLambda, "DeleteCodeSigningConfig", SigningConfigParams(arn), json{{"deleted", arn}},
                         "code signing config absent (deleted already)");
  };
  return {true, "", std::move(s)};
}

}  // namespace lir
