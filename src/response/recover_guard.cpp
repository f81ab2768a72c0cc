#include "response/recover_guard.h"

#include <filesystem>
#include <map>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "analysis/case_analysis.h"
#include "analysis/config_analysis.h"
#include "analysis/suspect_functions.h"
#include "core/json_util.h"
#include "evidence/function_collector.h"
#include "response/step_kinds.h"
#include "sources/event.h"

namespace lir {

using nlohmann::json;

namespace {

// Live configuration that lets the attacker back in.
const std::set<std::string> kDoorRules = {"lambda_config_env_runtime_hijack", "lambda_config_layer_foreign", "lambda_config_url_public",
                                          "lambda_config_policy_public", "lambda_config_policy_foreign_account",
                                          "lambda_config_destination_foreign"};

// A statement that lets anyone call the URL without signing.
bool AllowsPublicUrl(const json& policy_doc) {
  for (const auto& st : JArr(policy_doc, "Statement")) {
    const json& principal = JAt(st, "Principal");
    const bool anyone = (principal.is_string() && principal == "*") || JStr(principal, "AWS") == "*";
    const std::string action = JAt(st, "Action").is_string() ? JStr(st, "Action") : JAt(st, "Action").dump();
    if (JStr(st, "Effect") == "Allow" && anyone && (action.find("InvokeFunctionUrl") != std::string::npos || action == "*" || action == "lambda:*")) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<RecoveryBlocker> RecoveryBlockers(ResponseSession& rs, const std::string& case_dir, const std::string& function,
                                              const std::string& contain_prefix, const RecoveryPlan& plan,
                                              const std::vector<JournalStep>& journal) {
  std::vector<RecoveryBlocker> out;
  AwsCalls& calls = *rs.calls;
  const AnalysisResult analysis = AnalyzeEvidence({case_dir});

  // The function as it is now.
  auto live = calls.Call(aws::Service::kLambda, "GetFunction", LambdaParams(function));
  if (!live) {
    out.push_back({fmt::format("the live function could not be read ({}), so it cannot be checked against the case",
                               live.error().message),
                   aws::RemedyFor(live.error())});
    return out;
  }
  const json& config = JAt(*live, "Configuration");
  const std::string live_code = JStr(config, "CodeSha256");

  // What cannot be read cannot be checked: each unread part is a reason of its own.
  auto unread = [&](const Error& e, const std::string& what) {
    out.push_back({fmt::format("{} could not be read ({}), so it was not checked", what, e.message), aws::RemedyFor(e)});
  };

  // 1. The code the case flags, still deployed: at $LATEST, or on a version an alias serves.
  const std::set<std::string> flagged = FlaggedCodeSha256s(case_dir, function, analysis.findings);
  if (flagged.count(live_code)) {
    out.push_back({fmt::format("the code the case flags is still deployed (CodeSha256 {})", live_code),
                   "eradicate " + function + " --case " + case_dir + " --redeploy DIR|ZIP|git:REPO@REF"});
  }
  json aliases = json::array();
  if (auto listed = calls.CallAll(aws::Service::kLambda, "ListAliases", LambdaParams(function)); !listed) {
    unread(listed.error(), "the aliases");
  } else {
    aliases = JArr(*listed, "Aliases");
  }
  if (!flagged.empty() && !aliases.empty()) {
    std::map<std::string, std::string> code_of;  // version -> CodeSha256
    if (auto versions = calls.CallAll(aws::Service::kLambda, "ListVersionsByFunction", LambdaParams(function)); !versions) {
      unread(versions.error(), "the versions the aliases serve");
    } else {
      for (const auto& v : JArr(*versions, "Versions")) code_of[JStr(v, "Version")] = JStr(v, "CodeSha256");
    }
    for (const auto& a : aliases) {
      std::vector<std::string> served{JStr(a, "FunctionVersion")};
      for (const auto& [weighted, _] : JAt(JAt(a, "RoutingConfig"), "AdditionalVersionWeights").items()) served.push_back(weighted);
      for (const auto& v : served) {
        if (!flagged.count(code_of[v])) continue;
        out.push_back({fmt::format("alias {} serves version {}, the code the case flags (CodeSha256 {})", JStr(a, "Name"), v, code_of[v]),
                       "eradicate " + function + " --case " + case_dir + " --redeploy ... (it moves the aliases too)"});
      }
    }
  }

  // 2. Live configuration that lets the attacker back in: the function's, and each alias's own
  //    policy and URL (an alias whose policy is the function's adds nothing).
  FunctionEvidence evidence;
  evidence.function = function;
  evidence.function_doc = *live;
  if (auto policy = calls.CallIfPresent(aws::Service::kLambda, "GetPolicy", LambdaParams(function)); !policy) {
    unread(policy.error(), "the resource policy");
  } else if (*policy) {
    evidence.policy = **policy;
  }
  if (auto url = calls.CallIfPresent(aws::Service::kLambda, "GetFunctionUrlConfig", LambdaParams(function)); !url) {
    unread(url.error(), "the function URL");
  } else if (*url) {
    evidence.url = **url;
  }
  if (auto configs = calls.CallAll(aws::Service::kLambda, "ListFunctionEventInvokeConfigs", LambdaParams(function)); !configs) {
    unread(configs.error(), "the asynchronous destinations");
  } else {
    evidence.invoke_configs = JArr(*configs, "FunctionEventInvokeConfigs");
  }
  for (const Finding& f : AnalyzeFunctionConfiguration(evidence)) {
    if (f.severity >= Severity::kHigh && kDoorRules.count(f.rule_id)) {
      out.push_back({fmt::format("live: {} ({})", f.title, f.rule_id), f.remediation});
    }
  }
  std::map<std::string, json> policy_of{{"", json::parse(JStr(evidence.policy, "Policy", "{}"), nullptr, false)}};
  for (const auto& a : aliases) {
    const std::string q = JStr(a, "Name");
    auto policy = calls.CallIfPresent(aws::Service::kLambda, "GetPolicy", LambdaParams(function, q));
    if (!policy) {
      unread(policy.error(), "the resource policy of alias " + q);
      continue;
    }
    policy_of[q] = *policy ? json::parse(JStr(**policy, "Policy", "{}"), nullptr, false) : json::object();
    if (policy_of[q] == policy_of[""]) continue;
    for (const FlaggedStatement& f : FlagPolicyStatements(JStr(*policy ? **policy : json::object(), "Policy"), rs.account)) {
      if (f.severity >= Severity::kHigh) out.push_back({fmt::format("live: alias {}: {} ({})", q, f.title, f.rule_id), f.remediation});
    }
  }

  // 3. A URL recovery would make public again (AuthType NONE and a statement of that qualifier
  //    letting anyone invoke it); a destination recovery would send events out of the account.
  for (const JournalStep& j : journal) {
    if (j.key.rfind(contain_prefix, 0) != 0 || j.prior_state.empty()) continue;
    const json prior = json::parse(j.prior_state, nullptr, false);
    const std::string kind = RoundKeyKind(j.key);
    if (kind == kKindUrl && JStr(prior, "AuthType") == "NONE") {
      const std::string q = JStr(prior, "Qualifier");
      const json& doc = policy_of.count(q) ? policy_of[q] : policy_of[""];
      if (AllowsPublicUrl(doc)) {
        out.push_back({fmt::format("recovery would make the URL of {} ({}) public again (AuthType NONE, and a statement lets anyone "
                                   "invoke it)", function, q.empty() ? "$LATEST" : q),
                       "remove the public statement (contain --steps statements), or keep the URL AWS_IAM"});
      }
    }
    if (kind == kKindDestination) {
      json as_config = prior;
      as_config["FunctionArn"] = "x:x:x:x:x:x:x:" + (JStr(prior, "Qualifier").empty() ? std::string("$LATEST") : JStr(prior, "Qualifier"));
      for (const ForeignDestination& d : FindForeignDestinations(json::object(), json::array({as_config}), rs.account)) {
        out.push_back({fmt::format("recovery would send {} of {} ({}) back to {} in account {}", d.kind, function, d.qualifier, d.arn,
                                   d.account),
                       "set a destination of your own first (aws lambda put-function-event-invoke-config), then recover"});
      }
    }
  }

  // 4. The deny-all coming off while credentials issued before containment still work: this
  //    role's sessions revoked (or the role replaced) since this containment began.
  std::string denied_role;
  TimestampMs round_start = 0;
  for (const JournalStep& j : journal) {
    if (j.key.rfind(contain_prefix, 0) != 0) continue;
    if (round_start == 0 || (j.started_at != 0 && j.started_at < round_start)) round_start = j.started_at;
    if (RoundKeyKind(j.key) == kKindDenyPolicy && !j.prior_state.empty()) {
      denied_role = JStr(json::parse(j.prior_state, nullptr, false), "RoleName");
    }
  }
  bool deny_removed = false, sessions_revoked = false;
  for (const ResponseStep& s : plan.steps) deny_removed = deny_removed || RoundKeyKind(s.key) == kKindDenyPolicy;
  for (const JournalStep& j : journal) {
    if (j.status != StepStatus::kDone || j.started_at < round_start || j.prior_state.empty()) continue;
    const json prior = json::parse(j.prior_state, nullptr, false);
    const bool revocation = j.key.find("/" + std::string(kKindRevokeSessions)) != std::string::npos && JStr(prior, "RoleName") == denied_role;
    const bool replaced = j.key.find("/recreate-role") != std::string::npos && JStr(JAt(prior, "OldRole"), "RoleName") == denied_role;
    sessions_revoked = sessions_revoked || revocation || replaced;
  }
  if (deny_removed && !sessions_revoked) {
    out.push_back({fmt::format("the deny-all comes off the execution role {}, but its sessions issued before containment were never "
                               "revoked: credentials the attacker took work again", denied_role),
                   "eradicate " + function + " --case " + case_dir + " --revoke-sessions (or --recreate-role)"});
  }

  // 5. Event source mappings a suspect principal created, about to be switched back on.
  const auto suspect_mappings = MappingsCreatedBySuspects(analysis.findings, analysis.timeline);
  for (const ResponseStep& s : plan.steps) {
    if (RoundKeyKind(s.key) != kKindMapping) continue;
    const std::string uuid = s.key.substr(s.key.rfind('/') + 1);
    for (const auto& m : suspect_mappings) {
      if (m.uuid == uuid) {
        out.push_back({fmt::format("event source mapping {} was created by {} at {} ({}): re-enabling it would feed the attacker's "
                                   "trigger", uuid, m.creator, FormatIso8601(m.created_at), m.because),
                       "delete it (aws lambda delete-event-source-mapping --uuid " + uuid + ") after review"});
      }
    }
  }
  return out;
}

}  // namespace lir
