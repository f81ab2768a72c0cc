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

}  // namespace lir
