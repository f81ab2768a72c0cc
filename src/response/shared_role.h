// Who else a deny-all on an execution role would stop: other functions using it in any
// region where Lambda runs (ListFunctions in each, concurrently), and whatever its trust
// policy lets assume it besides Lambda (other services, principals of the same account).
// Foreign accounts in the trust are not users to protect but a likely backdoor: they are
// reported apart, and the deny-all stops their sessions too.
#pragma once

#include <string>
#include <vector>

#include "response/aws_calls.h"

namespace lir {

struct RoleUsers {
  std::vector<std::string> functions;         // "billing (us-west-2)"
  std::vector<std::string> services;          // trusted services other than Lambda
  std::vector<std::string> own_principals;    // principals of the account itself (or its root) in the trust
  std::vector<std::string> foreign_accounts;  // other accounts (or "*") the trust lets in
  std::vector<std::string> unchecked;         // what could not be read, with why (a region denied, GetRole denied)
  bool home_checked = false;                  // the function's own region answered
  // Other users a deny-all would stop (functions, services, own principals).
  bool shared() const { return !functions.empty() || !services.empty() || !own_principals.empty(); }
};

// `function_arn` is excluded; `home_region` is the one the command acts on.
RoleUsers FindRoleUsers(AwsCalls& calls, const std::string& role_arn, const std::string& function_arn, const std::string& account,
                        const std::string& home_region, int jobs);

// The trust policy's parts (pure): services, own-account principals, foreign accounts.
void ClassifyTrust(const nlohmann::json& trust, const std::string& account, RoleUsers* users);

}  // namespace lir
