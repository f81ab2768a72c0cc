// Addresses written in text an attacker controls (environment values, log lines): found with
// RE2, whose matching is linear in the input and never recurses, so a 256 KB log line costs
// one pass. The userinfo of a URL (user:password@) is never part of what is returned.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lir {

struct UrlMatch {
  std::string scheme;  // lower case: http, https, ws, wss, tcp
  std::string host;
  std::string port;    // digits, or empty
  bool has_userinfo = false;

  // scheme://host[:port], the credentials left out.
  std::string Origin() const;
};

// The URLs in `text`, in order, at most `limit` of them.
std::vector<UrlMatch> FindUrls(std::string_view text, size_t limit = 64);

// The dotted IPv4 addresses followed by :port in `text` ("10.0.0.5:4444"), at most `limit`.
std::vector<std::string> FindIpPorts(std::string_view text, size_t limit = 64);

// The first dotted IPv4 address in `text` (each octet 0-255), or empty.
std::string FirstIpv4(std::string_view text);

}  // namespace lir
