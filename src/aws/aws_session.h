// Everything a live command needs to call AWS, built once from the AWS flags and the
// environment: resolved configuration, one HTTP transport, the retry quota, the
// credential chain (with its own STS client and metadata HTTP).
#pragma once

#include <memory>

#include "aws/aws_client.h"
#include "aws/aws_config.h"
#include "aws/credentials.h"
#include "aws/http_transport.h"
#include "aws/sts_client.h"

namespace lir::aws {

class AwsSession {
 public:
  // `env` and `wire_log` (may be null) must outlive the session.
  static Result<std::unique_ptr<AwsSession>> Create(const AwsOptions& options, const Environment& env, WireLog* wire_log);
  // The same configuration (region, endpoints) acting as a role assumed with this session's
  // credentials: another account of the organisation. The role is assumed on first use and
  // again before its credentials expire; `parent` must outlive the new session, which has
  // its own connections and retry quota (each account has its own API quotas).
  // `region` not empty: the new session acts there instead of the parent's region.
  static std::unique_ptr<AwsSession> Assumed(AwsSession& parent, StsApi::AssumeRoleRequest request, const std::string& region = "");
  // The parent's credentials in another region (a function found there); `parent` must
  // outlive it. Its own connections and retry quota: a region has its own API quotas.
  static std::unique_ptr<AwsSession> InRegion(AwsSession& parent, const std::string& region);

  const AwsConfig& config() const { return config_; }
  AwsContext context();
  Result<ResolvedCredentials> credentials() { return cache_->Get(); }
  // For unsigned downloads (presigned package URLs).
  HttpTransport& transport() { return transport_; }

 private:
  AwsSession(AwsConfig config, WireLog* wire_log);

  class TransportMetadataHttp : public MetadataHttp {
   public:
    explicit TransportMetadataHttp(HttpTransport* transport) : transport_(transport) {}
    Result<Response> Request(const std::string& method, const std::string& url,
                             const std::vector<std::pair<std::string, std::string>>& headers) override;

   private:
    HttpTransport* transport_;
  };

  AwsConfig config_;
  WireLog* wire_log_;
  HttpTransport transport_;
  HttpTransport metadata_transport_;  // short timeouts: absent endpoints must fail fast
  RetryQuota quota_;
  TransportMetadataHttp metadata_http_;
  // The first session's, shared by those made from it. It points into the first session's
  // configuration, transport and quota: the first session must outlive every other.
  std::shared_ptr<StsClient> chain_sts_;
  std::unique_ptr<CredentialCache> cache_;
};

}  // namespace lir::aws
