// STS: who am I, and temporary credentials for the credential chain.
#pragma once

#include <string>

#include "aws/aws_client.h"
#include "aws/credentials.h"

namespace lir::aws {

struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
};

class StsClient : public StsApi {
 public:
  explicit StsClient(AwsContext context) : client_(Service::kSts, Protocol::kQuery, std::move(context)) {}

  Result<CallerIdentity> GetCallerIdentity();
  Result<TemporaryCredentials> AssumeRole(const Credentials& source, const AssumeRoleRequest& request) override;
  Result<TemporaryCredentials> AssumeRoleWithWebIdentity(const std::string& role_arn, const std::string& session_name,
                                                         const std::string& token, const std::string& region) override;
  const AwsClient& client() const { return client_; }

 private:
  AwsClient client_;
};

}  // namespace lir::aws
