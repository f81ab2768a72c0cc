#include "aws/aws_client.h"

#include <chrono>

#include <fmt/format.h>

#include "aws/operations.h"
#include "aws/sigv4.h"

namespace lir::aws {
namespace {

std::string HostOf(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t end = url.find('/', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

AwsClient::AwsClient(Service service, Protocol protocol, AwsContext context)
    : service_(service), protocol_(protocol), context_(std::move(context)) {
  auto region = context_.config->region();
  region_ = !context_.region_override.empty() ? context_.region_override : region ? region->value : "us-east-1";
  const Endpoint standard = DefaultEndpoint(service, region_);
  signing_region_ = standard.signing_region;
  if (auto custom = context_.config->EndpointUrl(service)) {
    endpoint_ = custom->value;
    endpoint_source_ = custom->source;
    signing_region_ = region_;
  } else {
    endpoint_ = standard.url;
    endpoint_source_ = "default for " + region_;
  }
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
  host_ = HostOf(endpoint_);
}

Result<HttpResponse> AwsClient::Send(const ApiRequest& request, const BodyChunkSink& sink, const BodyRestart& restart) {
  RetryStrategy retry(context_.config->max_attempts(), context_.quota, context_.clock);
  return retry.Run<HttpResponse>(request.idempotent, [&](int attempt) -> Result<HttpResponse> {
    if (attempt > 1 && context_.wire_log) {
      context_.wire_log->Note(fmt::format("retrying {} (attempt {})", request.operation, attempt));
    }
    // What an earlier attempt streamed before it failed is not part of this one's body.
    if (attempt > 1 && restart) restart();
    return SendOnce(request, sink);
  });
}

Result<HttpResponse> AwsClient::SendOnce(const ApiRequest& api, const BodyChunkSink& sink) {
  if (limiter_) limiter_->Acquire();
  HttpRequest request{api.method, api.path, api.query, {{"Host", host_}}, api.body};
  for (const auto& h : api.headers) request.headers.push_back(h);
  SigningConfig signing{signing_region_, NamesOf(service_).signing_name, NowMs()};
  if (service_ == Service::kS3) {
    signing.normalize_path = false;
    signing.encode_path = false;
    signing.add_content_sha256 = true;
  }
  if (!api.anonymous) {
    Credentials keys;
    if (api.credentials != nullptr) {
      keys = *api.credentials;
    } else {
      auto creds = context_.credentials->Get();
      if (!creds) return tl::unexpected(creds.error());
      keys = creds->credentials.keys;
    }
    SignWithHeaders(&request, keys, signing);
  }
  request.headers.emplace_back("User-Agent", context_.user_agent);  // not signed, as botocore
  const std::string url = endpoint_ + api.path + (api.query.empty() ? "" : "?" + api.query);
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& h : request.headers) {
    if (h.first != "Host") headers.push_back(h);
  }
  if (context_.wire_log) context_.wire_log->Request(api.method, url, request.headers, api.body);
  const auto start = std::chrono::steady_clock::now();
  auto response = context_.transport->Send(api.method, url, headers, api.body, sink, !api.idempotent);
  const int64_t elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  if (!response) {
    if (context_.wire_log) context_.wire_log->Note(response.error().message);
    Error e = response.error();
    e.operation = api.operation;
    return tl::unexpected(std::move(e));
  }
  if (context_.wire_log) context_.wire_log->Response(url, response->status, response->headers, response->body, elapsed);
  if (response->status / 100 != 2) {
    Error e = ParseServiceError(protocol_, *response);
    e.message = api.operation + ": " + e.message;
    e.operation = api.operation;
    if (e.code == ErrorCode::kPermissionDenied) e.iam_action = IamActionOf(service_, api.operation);
    return tl::unexpected(e);
  }
  return response;
}

}  // namespace lir::aws
