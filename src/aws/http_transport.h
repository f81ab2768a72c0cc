// HTTPS over libcurl: connection reuse (one handle per thread, shared DNS and TLS
// sessions), timeouts, proxy variables (libcurl reads http_proxy/https_proxy/no_proxy),
// and TLS verification that cannot be turned off.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace lir::aws {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string Header(std::string_view name) const;  // case-insensitive; empty if absent
};

struct TransportOptions {
  long connect_timeout_ms = 5000;
  long timeout_ms = 60000;
  std::string ca_bundle;  // AWS_CA_BUNDLE
  size_t max_body_bytes = size_t{1} << 30;
  // Never through http_proxy/https_proxy: the credentials endpoints (container, instance
  // metadata) are local, and their tokens must not reach a proxy (botocore's container
  // fetcher uses none either).
  bool no_proxy = false;
};

// Receives each chunk of a response body instead of buffering it (S3 GetObject). Return
// false to abort the transfer.
using BodyChunkSink = std::function<bool(std::string_view chunk)>;
// Called before a retry sends a streamed request again: the sink's body starts over.
using BodyRestart = std::function<void()>;

class HttpTransport {
 public:
  explicit HttpTransport(TransportOptions options = {});
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Thread-safe. A transport failure (DNS, connect, TLS, timeout, reset) is an error with
  // ErrorCode::kUnavailable; any HTTP status is a response.
  // `fresh_connection`: never send on a reused connection. libcurl silently resends a
  // request whose reused connection died before any reply, which must not happen to a call
  // that is not idempotent (it may have landed).
  Result<HttpResponse> Send(const std::string& method, const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
                            const BodyChunkSink& sink = nullptr, bool fresh_connection = false);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace lir::aws
