#include "response/permission_check.h"

#include <fmt/format.h>

#include "aws/aws_error.h"
#include "core/json_util.h"

namespace lir {

using nlohmann::json;

std::string PolicySourceOf(AwsCalls& calls, const std::string& caller_arn) {
  // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
  const size_t marker = caller_arn.find(":assumed-role/");
  if (marker == std::string::npos) return caller_arn;
  const std::string prefix = caller_arn.substr(0, marker);  // arn:aws:sts::ACCOUNT
  const std::string rest = caller_arn.substr(marker + 14);
  const std::string role = rest.substr(0, rest.find('/'));
  aws::CallParams p;
  p.form = {{"RoleName", role}};
  if (auto got = calls.Call(aws::Service::kIam, "GetRole", p)) {
    const std::string arn = JStr(JAt(*got, "Role"), "Arn");
    if (!arn.empty()) return arn;  // with its path, which the session ARN does not show
  }
  std::string role_arn = prefix + ":role/" + role;
  role_arn.replace(role_arn.find(":sts:"), 5, ":iam:");
  return role_arn;
}

std::map<std::string, ActionVerdict> SimulateActions(AwsCalls& calls, const std::string& policy_source,
                                                     const std::vector<std::string>& actions) {
  std::map<std::string, ActionVerdict> out;
  if (actions.empty()) return out;
  aws::CallParams p;
  p.form = {{"PolicySourceArn", policy_source}};
  for (size_t i = 0; i < actions.size(); ++i) p.form.emplace_back(fmt::format("ActionNames.member.{}", i + 1), actions[i]);
  auto simulated = calls.CallAll(aws::Service::kIam, "SimulatePrincipalPolicy", p);
  if (!simulated) {
    const std::string why = fmt::format("not simulated: {} ({})", simulated.error().message, aws::RemedyFor(simulated.error()));
    for (const auto& a : actions) out[a] = {Verdict::kUnknown, why};
    return out;
  }
  for (const auto& a : actions) out[a] = {Verdict::kUnknown, "the simulator did not answer for it"};
  for (const auto& r : JArr(*simulated, "EvaluationResults")) {
    const std::string decision = JStr(r, "EvalDecision");
    out[JStr(r, "EvalActionName")] = decision == "allowed" ? ActionVerdict{Verdict::kAllowed, ""} : ActionVerdict{Verdict::kDenied, decision};
  }
  return out;
}

}  // namespace lir
