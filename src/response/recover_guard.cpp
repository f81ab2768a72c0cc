#include "response/recover_guard.h"

#include <filesystem>
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

  // 1. The code the case flags, still deployed.
  if (FlaggedCodeSha256s(case_dir, function, analysis.findings).count(live_code)) {
    out.push_back({fmt::format("the code the case flags is still deployed (CodeSha256 {})", live_code),
                   "eradicate " + function + " --case " + case_dir + " --redeploy DIR|ZIP|git:REPO@REF"});
  }

  // 2. Live configuration that lets the attacker back in.
  FunctionEvidence evidence;
  evidence.function = function;
  evidence.function_doc = *live;
  // What cannot be read cannot be checked: each unread part is a reason of its own.
  auto unread = [&](const Error& e, const char* what) {
    out.push_back({fmt::format("{} could not be read ({}), so it was not checked", what, e.message), aws::RemedyFor(e)});
  };
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

  // 3. A URL recovery would make public again (AuthType NONE with a statement allowing anyone).
  const json policy_doc = json::parse(JStr(evidence.policy, "Policy", "{}"), nullptr, false);
  for (const JournalStep& j : journal) {
    if (j.key.rfind(contain_prefix, 0) != 0 || RoundKeyKind(j.key) != kKindUrl) continue;
    const json prior = json::parse(j.prior_state.empty() ? "{}" : j.prior_state, nullptr, false);
    if (JStr(prior, "AuthType") == "NONE" && AllowsPublicUrl(policy_doc)) {
      out.push_back({fmt::format("recovery would make the URL of {} public again (AuthType NONE, and a statement lets anyone invoke it)",
                                 function),
                     "remove the public statement (contain --steps statements), or keep the URL AWS_IAM"});
    }
  }

  // 4. The deny-all coming off while credentials issued before containment still work.
  bool deny_removed = false, sessions_revoked = false;
  for (const ResponseStep& s : plan.steps) deny_removed = deny_removed || RoundKeyKind(s.key) == kKindDenyPolicy;
  for (const JournalStep& j : journal) {
    if (j.status != StepStatus::kDone) continue;
    const std::string kind = RoundKeyKind(j.key);
    if (kind == kKindRevokeSessions || j.key.find("/" + std::string(kKindRevokeSessions)) != std::string::npos ||
        j.key.find("/recreate-role") != std::string::npos) {
      sessions_revoked = true;
    }
  }
  if (deny_removed && !sessions_revoked) {
    out.push_back({"the deny-all comes off the execution role, but its sessions issued before containment were never revoked: "
                   "credentials the attacker took work again",
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
