// The credential chain, in the AWS CLI's order (botocore's method names in brackets):
// environment [env], a profile that assumes a role [assume-role], web identity
// [assume-role-with-web-identity], the credentials file [shared-credentials-file],
// credential_process [custom-process], the config file [config-file], the container
// endpoint [container-role], instance metadata with IMDSv2 [iam-role]. STS, HTTP and
// process execution are injected so the chain is tested without a network.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/aws_config.h"
#include "aws/sigv4.h"
#include "core/result.h"
#include "core/time.h"

namespace lir::aws {

struct TemporaryCredentials {
  Credentials keys;
  std::optional<TimestampMs> expiration;
};

// What the chain needs from STS.
class StsApi {
 public:
  virtual ~StsApi() = default;
  struct AssumeRoleRequest {
    std::string role_arn, session_name, external_id;
    int duration_seconds = 3600;
    std::string region;
  };
  virtual Result<TemporaryCredentials> AssumeRole(const Credentials& source, const AssumeRoleRequest& request) = 0;
  virtual Result<TemporaryCredentials> AssumeRoleWithWebIdentity(const std::string& role_arn,
                                                                 const std::string& session_name,
                                                                 const std::string& token,
                                                                 const std::string& region) = 0;
};

// What the chain needs from HTTP (container and instance metadata endpoints).
class MetadataHttp {
 public:
  virtual ~MetadataHttp() = default;
  struct Response {
    int status = 0;
    std::string body;
  };
  virtual Result<Response> Request(const std::string& method, const std::string& url,
                                   const std::vector<std::pair<std::string, std::string>>& headers) = 0;
};

// Runs credential_process: argv (no shell), returns stdout.
using ProcessRunner = std::function<Result<std::string>(const std::vector<std::string>& argv)>;

struct ChainDependencies {
  StsApi* sts = nullptr;
  MetadataHttp* http = nullptr;
  ProcessRunner run_process;
  std::function<TimestampMs()> now = NowMs;
};

struct ResolvedCredentials {
  TemporaryCredentials credentials;
  std::string method;  // botocore's name for the source
  std::string detail;  // where: profile, file, URL (never a secret)
};

Result<ResolvedCredentials> ResolveCredentials(const AwsConfig& config, const ChainDependencies& deps);

// Splits a credential_process command line the way botocore does (POSIX shlex, no shell).
Result<std::vector<std::string>> SplitCommandLine(const std::string& command);

// Runs a program without a shell and returns its stdout (bounded); the real ProcessRunner.
Result<std::string> RunProcess(const std::vector<std::string>& argv);

// Keeps credentials and resolves them again shortly before they expire. Thread-safe.
class CredentialCache {
 public:
  using Resolver = std::function<Result<ResolvedCredentials>()>;
  // The chain of `config`.
  CredentialCache(const AwsConfig& config, const ChainDependencies& deps);
  // Any other source (a role assumed into another account).
  CredentialCache(Resolver resolve, std::function<TimestampMs()> now);
  Result<ResolvedCredentials> Get();

 private:
  Resolver resolve_;
  std::function<TimestampMs()> now_;
  std::mutex mutex_;
  std::optional<ResolvedCredentials> cached_;
};

}  // namespace lir::aws
