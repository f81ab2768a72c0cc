#include "response/shared_role.h"

#include <mutex>
#include <set>

#include <fmt/format.h>

#include "aws/aws_data.h"
#include "core/json_util.h"
#include "core/task_pool.h"
#include "response/steps.h"

namespace lir {

using nlohmann::json;

namespace {


// arn:aws:iam::ACCOUNT:..., or a bare account id.
std::string AccountOf(const std::string& principal) {
  if (principal.rfind("arn:", 0) == 0) {
    size_t colons = 0, start = 0;
    for (size_t i = 0; i < principal.size(); ++i) {
      if (principal[i] != ':') continue;
      if (++colons == 4) start = i + 1;
      if (colons == 5) return principal.substr(start, i - start);
    }
    return "";
  }
  return principal;
}

void AddUnique(std::vector<std::string>* to, const std::string& value) {
  if (std::find(to->begin(), to->end(), value) == to->end()) to->push_back(value);
}

}  // namespace

void ClassifyTrust(const json& trust, const std::string& account, RoleUsers* users) {
  for (const auto& st : JArr(trust, "Statement")) {
    if (JStr(st, "Effect") != "Allow") continue;
    const json& principal = JAt(st, "Principal");
    if (principal.is_string() && principal == "*") {
      AddUnique(&users->foreign_accounts, "*");
      continue;
    }
    for (const auto& service : JStrings(JAt(principal, "Service"))) {
      if (service != "lambda.amazonaws.com") AddUnique(&users->services, service);
    }
    for (const auto& aws_principal : JStrings(JAt(principal, "AWS"))) {
      const std::string owner = AccountOf(aws_principal);
      if (aws_principal == "*" || owner != account) {
        AddUnique(&users->foreign_accounts, aws_principal);
      } else {
        AddUnique(&users->own_principals, aws_principal);
      }
    }
    for (const auto& federated : JStrings(JAt(principal, "Federated"))) AddUnique(&users->own_principals, federated);
  }
}

RoleUsers FindRoleUsers(AwsCalls& calls, const std::string& role_arn, const std::string& function_arn, const std::string& account,
                        const std::string& home_region, int jobs) {
  RoleUsers users;
  std::mutex mutex;
  {
    TaskPool pool(jobs);
    pool.Submit([&] {
      aws::CallParams p;
      p.form = {{"RoleName", role_arn.substr(role_arn.rfind('/') + 1)}};
      auto role = calls.Call(aws::Service::kIam, "GetRole", p);
      std::lock_guard lock(mutex);
      if (!role) {
        users.unchecked.push_back(fmt::format("the role's trust policy ({})", aws::RemedyFor(role.error())));
        return;
      }
      ClassifyTrust(DecodePolicyDocument(JStr(JAt(*role, "Role"), "AssumeRolePolicyDocument")), account, &users);
    });
    for (const std::string& region : aws::LambdaRegions(home_region)) {
      pool.Submit([&, region] {
        auto listed = calls.CallAllIn(region, aws::Service::kLambda, "ListFunctions", {});
        std::lock_guard lock(mutex);
        if (!listed) {
          // An opt-in region the account has not enabled rejects the credentials: nothing runs there.
          if (region != home_region && listed.error().code == ErrorCode::kUnauthenticated) return;
          users.unchecked.push_back(fmt::format("functions in {} ({})", region, aws::RemedyFor(listed.error())));
          return;
        }
        if (region == home_region) users.home_checked = true;
        for (const auto& f : JArr(*listed, "Functions")) {
          if (JStr(f, "Role") == role_arn && UnqualifiedFunctionArn(JStr(f, "FunctionArn")) != function_arn) {
            users.functions.push_back(fmt::format("{} ({})", JStr(f, "FunctionName"), region));
          }
        }
      });
    }
    pool.Wait();
  }
  std::sort(users.functions.begin(), users.functions.end());
  std::sort(users.unchecked.begin(), users.unchecked.end());
  return users;
}

}  // namespace lir
