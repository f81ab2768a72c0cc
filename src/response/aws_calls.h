// The calls response steps make, each one line: an operation of the table, its parameters,
// the decoded result. Absent resources are told apart from failures, because "no reserved
// concurrency" or "no such inline policy" is a prior state to record, not an error.
#pragma once

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

  aws::AwsSession& session() { return session_; }

 private:
  aws::AwsSession& session_;
};

// ResourceNotFoundException (Lambda), NoSuchEntity (IAM), ResourceNotFound (CloudWatch).
bool IsNotFound(const Error& error);

// Lambda's rest-json parameters: path labels and querystring.
aws::CallParams LambdaParams(const std::string& function, const std::string& qualifier = "");

// An ARN's function name without its qualifier, and the qualifier ("" for none).
std::string UnqualifiedFunctionArn(std::string_view arn);
std::string QualifierOfArn(std::string_view arn);

}  // namespace lir
