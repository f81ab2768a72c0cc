#include "aws/aws_session.h"

namespace lir::aws {
namespace {

TransportOptions MainTransportOptions(const AwsConfig& config) {
  TransportOptions o;
  o.ca_bundle = config.env().Get("AWS_CA_BUNDLE").value_or("");
  return o;
}

TransportOptions MetadataTransportOptions() {
  TransportOptions o;
  o.connect_timeout_ms = 1000;
  o.timeout_ms = 2000;
  o.max_body_bytes = 1 << 20;
  o.no_proxy = true;
  return o;
}

}  // namespace

AwsSession::AwsSession(AwsConfig config, WireLog* wire_log)
    : config_(std::move(config)),
      wire_log_(wire_log),
      transport_(MainTransportOptions(config_)),
      metadata_transport_(MetadataTransportOptions()),
      metadata_http_(&metadata_transport_) {}

Result<std::unique_ptr<AwsSession>> AwsSession::Create(const AwsOptions& options, const Environment& env, WireLog* wire_log) {
  auto config = AwsConfig::Load(options, env);
  if (!config) return tl::unexpected(config.error());
  std::unique_ptr<AwsSession> s(new AwsSession(std::move(*config), wire_log));
  AwsContext chain_context = s->context();
  chain_context.credentials = nullptr;  // the chain's STS calls carry their own credentials
  s->chain_sts_ = std::make_shared<StsClient>(chain_context);
  ChainDependencies deps;
  deps.sts = s->chain_sts_.get();
  deps.http = &s->metadata_http_;
  deps.run_process = RunProcess;
  s->cache_ = std::make_unique<CredentialCache>(s->config_, deps);
  return s;
}

std::unique_ptr<AwsSession> AwsSession::Assumed(AwsSession& parent, StsApi::AssumeRoleRequest request, const std::string& region) {
  std::unique_ptr<AwsSession> s(new AwsSession(region.empty() ? parent.config_ : parent.config_.WithRegion(region), parent.wire_log_));
  s->chain_sts_ = parent.chain_sts_;
  // STS is asked in the parent's region: where the caller's credentials are known to work.
  if (request.region.empty()) request.region = parent.config_.region() ? parent.config_.region()->value : "us-east-1";
  auto resolve = [&parent, request = std::move(request)]() -> Result<ResolvedCredentials> {
    const ResolvedCredentials source = LIR_TRY(parent.credentials());
    TemporaryCredentials assumed = LIR_TRY(parent.chain_sts_->AssumeRole(source.credentials.keys, request));
    return ResolvedCredentials{std::move(assumed), "assume-role", request.role_arn};
  };
  s->cache_ = std::make_unique<CredentialCache>(std::move(resolve), NowMs);
  return s;
}

std::unique_ptr<AwsSession> AwsSession::InRegion(AwsSession& parent, const std::string& region) {
  std::unique_ptr<AwsSession> s(new AwsSession(parent.config_.WithRegion(region), parent.wire_log_));
  s->chain_sts_ = parent.chain_sts_;
  s->cache_ = std::make_unique<CredentialCache>([&parent] { return parent.credentials(); }, NowMs);
  return s;
}

AwsContext AwsSession::context() {
  AwsContext c;
  c.config = &config_;
  c.credentials = cache_.get();
  c.transport = &transport_;
  c.quota = &quota_;
  c.wire_log = wire_log_;
  c.user_agent = std::string("lambda-ir/") + LIR_AWS_VERSION;
  return c;
}

Result<MetadataHttp::Response> AwsSession::TransportMetadataHttp::Request(
    const std::string& method, const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers) {
  auto r = transport_->Send(method, url, headers, "");
  if (!r) return tl::unexpected(r.error());
  return Response{r->status, r->body};
}

}  // namespace lir::aws
