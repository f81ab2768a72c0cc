// AWS Signature Version 4: canonical request, string to sign, signature, for the
// Authorization header or a presigned URL. Checked byte for byte against the AWS suites in
// ../shared/corpora (tests/sigv4_test.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.h"

namespace lir::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

struct HttpRequest {
  std::string method;
  std::string path = "/";  // as sent on the wire (percent-encoded once, or raw in the suites)
  std::string query;       // without '?', as sent
  std::vector<std::pair<std::string, std::string>> headers;  // in order; names as given
  std::string body;

  // The first header of that name (case-insensitive), or nullptr.
  const std::string* FindHeader(std::string_view name) const;
};

struct SigningConfig {
  std::string region;
  std::string service;
  TimestampMs time = 0;
  bool normalize_path = true;      // S3: false (keys may hold "//" and "..")
  bool encode_path = true;         // S3: false (the wire path is already encoded once)
  bool add_content_sha256 = false; // S3 and sign_body: send x-amz-content-sha256
  std::string payload_hash;        // empty: SHA-256 of the body; or "UNSIGNED-PAYLOAD"
  bool omit_session_token = false; // add X-Amz-Security-Token after signing, unsigned
  int64_t expires_seconds = 900;   // presigned URLs only
};

struct SigningDetails {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lowercase hex
  std::string signed_headers;  // "host;x-amz-date"
};

// Adds X-Amz-Security-Token (when there is a token), X-Amz-Date (unless present),
// x-amz-content-sha256 (when asked) and Authorization to the request's headers.
SigningDetails SignWithHeaders(HttpRequest* request, const Credentials& credentials,
                               const SigningConfig& config);

// Appends the X-Amz-* presigning parameters (and the signature) to the request's query.
SigningDetails Presign(HttpRequest* request, const Credentials& credentials, const SigningConfig& config);

// The building blocks, exposed for tests.
std::string AmzDate(TimestampMs time);                          // 20150830T123600Z
std::string UriEncode(std::string_view text, bool encode_slash);  // RFC 3986 unreserved kept
std::string CanonicalUri(std::string_view path, bool normalize, bool encode);
std::string CanonicalQuery(std::string_view query);

}  // namespace lir::aws
