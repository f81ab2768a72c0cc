// The calls response steps make, each one line: an operation of the table, its parameters,
// the decoded result. Absent resources are told apart from failures, because "no reserved
// concurrency" or "no such inline policy" is a prior state to record, not an error.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "aws/api_caller.h"
#include "aws/aws_session.h"

namespace lir {

class AwsCalls {
 public:
  explicit AwsCalls(aws::AwsSession& session) : session_(session) {}

  Result<nlohmann::json> Call(aws::Service service, std::string_view operation, const aws::CallParams& params);
  Result<nlohmann::json> CallAll(aws::Service service, std::string_view operation, const aws::CallParams& params);
  // The same in another region than the configured one (the shared-role guard asks them all).
  Result<nlohmann::json> CallAllIn(const std::string& region, aws::Service service, std::string_view operation,
                                   const aws::CallParams& params);
  // One call in another region (a trail's selectors live in its home region).
  Result<nlohmann::json> CallIn(const std::string& region, aws::Service service, std::string_view operation, const aws::CallParams& params);
  // The call, with an absent resource as nullopt instead of an error.
  Result<std::optional<nlohmann::json>> CallIfPresent(aws::Service service, std::string_view operation, const aws::CallParams& params);
  // A removal that a rerun may find done: `done` when it removed something, else
  // {"unchanged": absent_note}.
  Result<nlohmann::json> Remove(aws::Service service, std::string_view operation, const aws::CallParams& params, nlohmann::json done,
                                std::string_view absent_note);

  aws::AwsSession& session() { return session_; }

 private:
  aws::AwsSession& session_;
};

// The resource is absent (ResourceNotFoundException, NoSuchEntity, ...: see aws/aws_error).
bool IsNotFound(const Error& error);

// The query protocol's parameters (IAM, STS, CloudWatch): name=value pairs.
aws::CallParams FormParams(std::vector<std::pair<std::string, std::string>> fields);

// Lambda's rest-json parameters: path labels and querystring.
aws::CallParams LambdaParams(const std::string& function, const std::string& qualifier = "");

// An ARN's function name without its qualifier, and the qualifier ("" for none).
std::string UnqualifiedFunctionArn(std::string_view arn);
std::string QualifierOfArn(std::string_view arn);

}  // namespace lir
