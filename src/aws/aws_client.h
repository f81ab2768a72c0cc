// The part every service client shares: endpoint and region, credentials, signing,
// retries (standard mode) and error parsing for one service. Service clients build the
// protocol's request and parse its response; this sends it.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aws/aws_config.h"
#include "aws/aws_error.h"
#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/http_transport.h"
#include "aws/retry.h"
#include "aws/wire_log.h"

namespace lir::aws {

// What a live command shares across its clients.
struct AwsContext {
  const AwsConfig* config = nullptr;
  CredentialCache* credentials = nullptr;
  HttpTransport* transport = nullptr;
  RetryQuota* quota = nullptr;
  RetryClock clock = RetryClock::Real();
  WireLog* wire_log = nullptr;  // --debug
  std::string user_agent = "lambda-ir";
  std::string region_override;  // call this region instead of the configured one (IAM's events live in us-east-1)
};

struct ApiRequest {
  std::string operation;  // for logs and errors
  std::string method = "POST";
  std::string path = "/";  // encoded as it goes on the wire
  std::string query;       // encoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool idempotent = true;
  bool anonymous = false;                    // unsigned (AssumeRoleWithWebIdentity)
  const Credentials* credentials = nullptr;  // sign with these instead of the chain's
};

class AwsClient {
 public:
  AwsClient(Service service, Protocol protocol, AwsContext context);

  // Sends with retries; a non-2xx reply is parsed into an Error with the service's code.
  // A retried attempt streams the body from its start again: `restart` is called first.
  Result<HttpResponse> Send(const ApiRequest& request, const BodyChunkSink& sink = nullptr,
                            const BodyRestart& restart = nullptr);

  const std::string& region() const { return region_; }
  const std::string& endpoint() const { return endpoint_; }
  const std::string& endpoint_source() const { return endpoint_source_; }
  Protocol protocol() const { return protocol_; }
  // Set for calls with a documented request rate (CloudTrail LookupEvents: 2/s).
  void set_rate_limiter(std::shared_ptr<RateLimiter> limiter) { limiter_ = std::move(limiter); }

 private:
  Result<HttpResponse> SendOnce(const ApiRequest& request, const BodyChunkSink& sink);

  Service service_;
  Protocol protocol_;
  AwsContext context_;
  std::string region_, signing_region_, endpoint_, endpoint_source_, host_;
  std::shared_ptr<RateLimiter> limiter_;
};

}  // namespace lir::aws
