#include "aws/wire_log.h"

#include <regex>

#include <fmt/format.h>

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

}  // namespace

std::string RedactHeaderValue(const std::string& name, const std::string& value) {
  const std::string lower = ToLower(name);
  if (lower == "authorization") {
    static const std::regex kSignature("Signature=[0-9a-fA-F]+");
    return std::regex_replace(value, kSignature, "Signature=<redacted>");
  }
  if (lower == "x-amz-security-token" || lower == "x-aws-ec2-metadata-token" || lower == "cookie") return "<redacted>";
  return value;
}

std::string RedactUrl(const std::string& url) {
  static const std::regex kSecretParams("(X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential)=[^&\"'\\s<]*",
                                        std::regex::icase);
  return std::regex_replace(url, kSecretParams, "$1=<redacted>");
}

std::string RedactBody(const std::string& body) {
  // JSON: "SecretAccessKey": "...", "SessionToken", "Token"; Lambda's "Variables": {...}.
  static const std::regex kJsonSecret(R"re("(SecretAccessKey|SessionToken|Token|secretAccessKey|sessionToken)"\s*:\s*"[^"]*")re");
  static const std::regex kJsonVariables(R"re("Variables"\s*:\s*\{[^}]*\})re");
  // XML (STS): <SecretAccessKey>...</SecretAccessKey>, <SessionToken>...</SessionToken>.
  static const std::regex kXmlSecret("<(SecretAccessKey|SessionToken)>[^<]*</(SecretAccessKey|SessionToken)>");
  // Query protocol bodies and form posts: WebIdentityToken=...
  static const std::regex kFormSecret("(WebIdentityToken|SAMLAssertion)=[^&]*");
  // Presigned URLs inside bodies (GetFunction's Code.Location) carry credentials too.
  std::string out = RedactUrl(body);
  out = std::regex_replace(out, kJsonSecret, R"("$1": "<redacted>")");
  out = std::regex_replace(out, kJsonVariables, R"("Variables": "<redacted>")");
  out = std::regex_replace(out, kXmlSecret, "<$1><redacted></$1>");
  out = std::regex_replace(out, kFormSecret, "$1=<redacted>");
  if (out.size() > kBodyShown) out = out.substr(0, kBodyShown) + fmt::format("... ({} bytes)", body.size());
  return out;
}

void WireLog::Request(const std::string& method, const std::string& url,
                      const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  std::string text = fmt::format("> {} {}\n", method, RedactUrl(url));
  for (const auto& [k, v] : headers) text += fmt::format("> {}: {}\n", k, RedactHeaderValue(k, v));
  if (!body.empty()) text += "> " + RedactBody(body) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  std::fputs(SafeLines(text).c_str(), out_);
}

void WireLog::Response(const std::string& url, int status, const std::vector<std::pair<std::string, std::string>>& headers,
                       const std::string& body, int64_t elapsed_ms) {
  std::string text = fmt::format("< {} {} ({} ms)\n", status, RedactUrl(url), elapsed_ms);
  for (const auto& [k, v] : headers) text += fmt::format("< {}: {}\n", k, RedactHeaderValue(k, v));
  if (!body.empty()) text += "< " + RedactBody(body) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  std::fputs(SafeLines(text).c_str(), out_);
}

void WireLog::Note(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::fputs(("* " + text + "\n").c_str(), out_);
}

}  // namespace lir::aws
