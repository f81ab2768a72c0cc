#include "aws/wire_log.h"

#include <initializer_list>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/response_shape.h"
#include "core/strings.h"

namespace lir::aws {
namespace {

constexpr size_t kBodyShown = 4096;

// Remote text may hold control sequences: neutralise them, keeping the line breaks.
std::string SafeLines(const std::string& text) {
  std::string out;
  for (std::string_view line : Split(text, '\n')) {
    if (!out.empty()) out += '\n';
    out += SanitizeForTerminal(line);
  }
  return out;
}

// Replaces the value after each `name=` (ASCII case-insensitive) up to the first of `stops`.
// A scan, not a regex: the text may be a 256 KB answer and must cost one pass.
std::string RedactAfterNames(std::string_view text, std::initializer_list<std::string_view> names, std::string_view stops) {
  const std::string lower = ToLower(text);
  std::vector<std::string> lowered;
  std::vector<size_t> next;  // each name's next hit at or after `at`, found once per hit
  for (std::string_view name : names) {
    lowered.push_back(ToLower(name));
    next.push_back(lower.find(lowered.back()));
  }
  std::string out;
  size_t copied = 0;
  while (true) {
    size_t best = std::string::npos, best_len = 0;
    for (size_t i = 0; i < next.size(); ++i) {
      if (next[i] < best) best = next[i], best_len = lowered[i].size();
    }
    if (best == std::string::npos) break;
    const size_t value = best + best_len;
    size_t end = value;
    while (end < text.size() && stops.find(text[end]) == std::string_view::npos) ++end;
    out.append(text.substr(copied, value - copied));
    out += "<redacted>";
    copied = end;
    for (size_t i = 0; i < next.size(); ++i) {
      if (next[i] != std::string::npos && next[i] < end) next[i] = lower.find(lowered[i], end);
    }
  }
  out.append(text.substr(copied));
  return out;
}

// Secret-naming keys; paging tokens (NextToken, nextForwardToken...) are not secrets.
bool IsSecretKey(std::string_view key) {
  const std::string k = ToLower(key);
  for (std::string_view word : {"secret", "password", "passphrase", "privatekey", "sessiontoken", "credential"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  if (k.size() >= 5 && k.compare(k.size() - 5, 5, "token") == 0) {
    for (std::string_view paging : {"next", "forward", "backward", "continuation", "pagination", "marker"}) {
      if (k.find(paging) != std::string::npos) return false;
    }
    return true;
  }
  return false;
}

using Json = nlohmann::ordered_json;

bool LooksLikeJson(std::string_view body) {
  const size_t first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (body[first] == '{' || body[first] == '[');
}


void RedactJson(Json& j, int depth = 0);

// A string value may itself be JSON (LookupEvents' CloudTrailEvent, with AssumeRole's session
// token inside) or a dumped environment in a log message: both are redacted too.
std::string RedactString(const std::string& text, int depth) {
  if (depth < 4 && LooksLikeJson(text) && JsonNestingDepth(text) <= kMaxAnswerDepth) {
    Json inner = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!inner.is_discarded()) {
      RedactJson(inner, depth + 1);
      return inner.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
  }
  return RedactAfterNames(RedactUrl(text), {"AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=", "AWS_SECURITY_TOKEN="},
                          "&\"' \t\r\n,;");
}

void RedactJson(Json& j, int depth) {
  if (j.is_string()) {
    j = RedactString(j.get<std::string>(), depth);
  } else if (j.is_array()) {
    for (auto& e : j) RedactJson(e, depth);
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "Variables" && it->is_object()) {
        for (auto& v : *it) v = "<redacted>";  // every environment value, whatever it holds
      } else if (IsSecretKey(it.key()) && !it->is_object() && !it->is_array()) {
        *it = "<redacted>";
      } else {
        RedactJson(*it, depth);
      }
    }
  }
}

}  // namespace

std::string RedactHeaderValue(const std::string& name, const std::string& value) {
  const std::string lower = ToLower(name);
  if (lower == "authorization") return RedactAfterNames(value, {"Signature="}, ", ");
  if (lower == "x-amz-security-token" || lower == "x-aws-ec2-metadata-token" || lower == "cookie") return "<redacted>";
  return value;
}

std::string RedactUrl(const std::string& url) {
  return RedactAfterNames(url, {"X-Amz-Signature=", "X-Amz-Security-Token=", "X-Amz-Credential="}, "&\"' \t\r\n<");
}

// JSON is redacted on its structure (every environment value, every secret-naming key), so
// no value can end a pattern early; JSON that does not parse is not shown at all.
std::string RedactBody(const std::string& body) {
  std::string out;
  if (LooksLikeJson(body)) {
    if (JsonNestingDepth(body) > kMaxAnswerDepth) return fmt::format("({} bytes of JSON nested too deep to show)", body.size());
    Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) return fmt::format("({} bytes of JSON that does not parse, not shown)", body.size());
    RedactJson(parsed);
    out = parsed.dump(-1, ' ', false, Json::error_handler_t::replace);
  } else {
    // XML (STS, IAM): <SecretAccessKey>...</...>, <SessionToken>; query and form posts:
    // WebIdentityToken=..., SAMLAssertion=...; presigned URLs anywhere.
    out = RedactAfterNames(body, {"<SecretAccessKey>", "<SessionToken>", "<Password>", "<PrivateKey>"}, "<");
    out = RedactAfterNames(out, {"WebIdentityToken=", "SAMLAssertion=", "Password=", "ExternalId="}, "&");
    out = RedactUrl(out);
  }
  if (out.size() > kBodyShown) out = out.substr(0, kBodyShown) + fmt::format("... ({} bytes)", body.size());
  return out;
}

namespace {
// A debug log that cannot be written is no reason to fail the call it describes.
void Put(FILE* out, const std::string& text) { static_cast<void>(std::fputs(text.c_str(), out)); }
}  // namespace

void WireLog::Request(const std::string& method, const std::string& url,
                      const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  std::string text = fmt::format("> {} {}\n", method, RedactUrl(url));
  for (const auto& [k, v] : headers) text += fmt::format("> {}: {}\n", k, RedactHeaderValue(k, v));
  if (!body.empty()) text += "> " + RedactBody(body) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  Put(out_, SafeLines(text));
}

void WireLog::Response(const std::string& url, int status, const std::vector<std::pair<std::string, std::string>>& headers,
                       const std::string& body, int64_t elapsed_ms) {
  std::string text = fmt::format("< {} {} ({} ms)\n", status, RedactUrl(url), elapsed_ms);
  for (const auto& [k, v] : headers) text += fmt::format("< {}: {}\n", k, RedactHeaderValue(k, v));
  if (!body.empty()) text += "< " + RedactBody(body) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  Put(out_, SafeLines(text));
}

void WireLog::Note(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  Put(out_, "* " + text + "\n");
}

}  // namespace lir::aws
