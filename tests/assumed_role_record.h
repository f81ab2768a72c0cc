// A CloudTrail record of a call made by a role's session (what a Lambda function's code does
// with its execution role), in account 123456789012, us-east-1: for the least-privilege tests.
#pragma once

#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace lir::test {

// `role` may carry a path ("app/pay-role"): the issuer ARN has it, the session ARN does not.
inline nlohmann::json AssumedRoleRecord(const std::string& time, const std::string& source, const std::string& name, const std::string& role,
                                        const std::string& session, const std::string& error = "") {
  const std::string role_name = role.substr(role.rfind('/') == std::string::npos ? 0 : role.rfind('/') + 1);
  nlohmann::json r = {
      {"eventVersion", "1.09"},
      {"eventTime", time},
      {"eventSource", source},
      {"eventName", name},
      {"awsRegion", "us-east-1"},
      {"recipientAccountId", "123456789012"},
      {"readOnly", name.rfind("Describe", 0) == 0 || name.rfind("Get", 0) == 0 || name.rfind("List", 0) == 0},
      {"eventID", fmt::format("{}-{}-{}", name, session, time)},
      {"userIdentity",
       {{"type", "AssumedRole"},
        {"arn", fmt::format("arn:aws:sts::123456789012:assumed-role/{}/{}", role_name, session)},
        {"sessionContext", {{"sessionIssuer", {{"type", "Role"}, {"arn", "arn:aws:iam::123456789012:role/" + role}}}}}}}};
  if (!error.empty()) r["errorCode"] = error;
  return r;
}

}  // namespace lir::test
