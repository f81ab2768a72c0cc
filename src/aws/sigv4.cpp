#include "aws/sigv4.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/hashing.h"
#include "core/strings.h"

namespace lir::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// Header values: trimmed, runs of spaces collapsed to one (the suites' header-value-trim).
std::string CanonicalHeaderValue(std::string_view value) {
  value = Trim(value);
  std::string out;
  out.reserve(value.size());
  bool in_space = false;
  for (char c : value) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!in_space) out += ' ';
    } else {
      out += c;
    }
    in_space = space;
  }
  return out;
}

struct CanonicalHeaders {
  std::string block;   // "name:value\n" per header, sorted by name
  std::string signed_names;  // "a;b;c"
};

CanonicalHeaders Canonicalize(const HttpRequest& request) {
  std::map<std::string, std::string> merged;  // lowercase name -> comma-joined values, in order
  for (const auto& [name, value] : request.headers) {
    std::string& slot = merged[ToLower(name)];
    if (!slot.empty()) slot += ',';
    slot += CanonicalHeaderValue(value);
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : merged) {
    out.block += name + ":" + value + "\n";
    if (!out.signed_names.empty()) out.signed_names += ';';
    out.signed_names += name;
  }
  return out;
}

std::string Scope(const SigningConfig& config) {
  return fmt::format("{}/{}/{}/aws4_request", AmzDate(config.time).substr(0, 8), config.region, config.service);
}

SigningDetails Compute(const HttpRequest& request, const std::string& query, const Credentials& credentials,
                       const SigningConfig& config, const std::string& payload_hash) {
  const CanonicalHeaders headers = Canonicalize(request);
  SigningDetails d;
  d.signed_headers = headers.signed_names;
  d.canonical_request = request.method + "\n" +
                        CanonicalUri(request.path, config.normalize_path, config.encode_path) + "\n" +
                        CanonicalQuery(query) + "\n" + headers.block + "\n" + headers.signed_names + "\n" +
                        payload_hash;
  const std::string date = AmzDate(config.time);
  d.string_to_sign = std::string(kAlgorithm) + "\n" + date + "\n" + Scope(config) + "\n" + Sha256Hex(d.canonical_request);
  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, date.substr(0, 8));
  key = HmacSha256(key, config.region);
  key = HmacSha256(key, config.service);
  key = HmacSha256(key, "aws4_request");
  d.signature = HexEncode(HmacSha256(key, d.string_to_sign));
  return d;
}

std::string PayloadHash(const HttpRequest& request, const SigningConfig& config) {
  return config.payload_hash.empty() ? Sha256Hex(request.body) : config.payload_hash;
}

}  // namespace

const std::string* HttpRequest::FindHeader(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (IEquals(n, name)) return &v;
  }
  return nullptr;
}

std::string AmzDate(TimestampMs time) {
  std::string iso = FormatIso8601(time - time % 1000);  // 2015-08-30T12:36:00Z
  std::string out;
  for (char c : iso) {
    if (c != '-' && c != ':') out += c;
  }
  return out;
}

std::string UriEncode(std::string_view text, bool encode_slash) {
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if (IsUnreserved(c) || (c == '/' && !encode_slash)) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string CanonicalUri(std::string_view path, bool normalize, bool encode) {
  if (path.empty()) return "/";
  std::string result;
  if (normalize) {
    // RFC 3986 dot-segment removal, with empty segments ("//") dropped as AWS does.
    std::vector<std::string_view> segments;
    for (std::string_view seg : Split(path, '/')) {
      if (seg.empty() || seg == ".") continue;
      if (seg == "..") {
        if (!segments.empty()) segments.pop_back();
        continue;
      }
      segments.push_back(seg);
    }
    result = "/";
    for (size_t i = 0; i < segments.size(); ++i) {
      if (i) result += '/';
      result += segments[i];
    }
    if (path.back() == '/' && result != "/") result += '/';
  } else {
    result = std::string(path);
  }
  return encode ? UriEncode(result, false) : result;
}

std::string CanonicalQuery(std::string_view query) {
  if (query.empty()) return "";
  std::vector<std::pair<std::string, std::string>> params;
  for (std::string_view part : Split(query, '&')) {
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    const std::string_view key = part.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
    params.emplace_back(UriEncode(UrlDecode(key), true), UriEncode(UrlDecode(value), true));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

SigningDetails SignWithHeaders(HttpRequest* request, const Credentials& credentials, const SigningConfig& config) {
  const bool has_token = !credentials.session_token.empty();
  const bool add_token = has_token && !request->FindHeader("X-Amz-Security-Token");
  if (add_token && !config.omit_session_token) request->headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  const size_t date_position = request->headers.size();
  if (!request->FindHeader("X-Amz-Date")) request->headers.emplace_back("X-Amz-Date", AmzDate(config.time));
  const std::string payload_hash = PayloadHash(*request, config);
  if (config.add_content_sha256 && !request->FindHeader("x-amz-content-sha256")) {
    request->headers.emplace_back("x-amz-content-sha256", payload_hash);
  }
  SigningDetails d = Compute(*request, request->query, credentials, config, payload_hash);
  if (add_token && config.omit_session_token) {
    // Sent but not signed (some services want it so); placed where it would have been.
    request->headers.insert(request->headers.begin() + static_cast<std::ptrdiff_t>(date_position),
                            {"X-Amz-Security-Token", credentials.session_token});
  }
  request->headers.emplace_back(
      "Authorization", fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}", kAlgorithm,
                                   credentials.access_key_id, Scope(config), d.signed_headers, d.signature));
  return d;
}

SigningDetails Presign(HttpRequest* request, const Credentials& credentials, const SigningConfig& config) {
  const std::string signed_names = Canonicalize(*request).signed_names;
  std::vector<std::pair<std::string, std::string>> params = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", credentials.access_key_id + "/" + Scope(config)},
      {"X-Amz-Date", AmzDate(config.time)},
      {"X-Amz-SignedHeaders", signed_names},
      {"X-Amz-Expires", std::to_string(config.expires_seconds)},
  };
  const bool has_token = !credentials.session_token.empty();
  if (has_token) params.emplace_back("X-Amz-Security-Token", credentials.session_token);
  auto join = [&](bool with_token) {
    std::string q = request->query;
    for (const auto& [k, v] : params) {
      if (k == "X-Amz-Security-Token" && !with_token) continue;
      if (!q.empty()) q += '&';
      q += k + "=" + UriEncode(v, true);
    }
    return q;
  };
  SigningDetails d = Compute(*request, join(!config.omit_session_token), credentials, config, PayloadHash(*request, config));
  request->query = join(true) + "&X-Amz-Signature=" + d.signature;
  return d;
}

}  // namespace lir::aws
