#include "analysis/url_scan.h"

#include <re2/re2.h>

#include "core/strings.h"

namespace lir {
namespace {

// Userinfo runs to the last '@' before the path: a password may hold anything but '/', '?',
// '#' or space, digits included (https://admin:123456@db is a password, not a port).
const RE2& UrlPattern() {
  static const RE2 kUrl(R"((?i)\b(https?|wss?|tcp)://(?:([^/?#\s"'<>]*)@)?([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?)");
  return kUrl;
}

bool IsOctet(std::string_view s) {
  if (s.empty() || s.size() > 3) return false;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v <= 255;
}

}  // namespace

std::string UrlMatch::Origin() const { return scheme + "://" + host + (port.empty() ? "" : ":" + port); }

std::vector<UrlMatch> FindUrls(std::string_view text, size_t limit) {
  std::vector<UrlMatch> out;
  re2::StringPiece input(text.data(), text.size());
  std::string scheme, host, port;
  re2::StringPiece userinfo;
  while (out.size() < limit && RE2::FindAndConsume(&input, UrlPattern(), &scheme, &userinfo, &host, &port)) {
    // A fully qualified name's root dot (c2.example.) is the same host, and a sentence's full
    // stop is not part of it.
    while (!host.empty() && host.back() == '.') host.pop_back();
    if (host.empty()) continue;
    out.push_back({ToLower(scheme), host, port, userinfo.data() != nullptr});
  }
  return out;
}

std::vector<std::string> FindIpPorts(std::string_view text, size_t limit) {
  static const RE2 kIpPort(R"(\b([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3}):([0-9]{2,5})\b)");
  std::vector<std::string> out;
  re2::StringPiece input(text.data(), text.size());
  std::string a, b, c, d, port;
  while (out.size() < limit && RE2::FindAndConsume(&input, kIpPort, &a, &b, &c, &d, &port)) {
    if (IsOctet(a) && IsOctet(b) && IsOctet(c) && IsOctet(d)) out.push_back(a + "." + b + "." + c + "." + d + ":" + port);
  }
  return out;
}

std::string FirstIpv4(std::string_view text) {
  static const RE2 kIp(R"(\b([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\b)");
  re2::StringPiece input(text.data(), text.size());
  std::string a, b, c, d;
  while (RE2::FindAndConsume(&input, kIp, &a, &b, &c, &d)) {
    if (IsOctet(a) && IsOctet(b) && IsOctet(c) && IsOctet(d)) return a + "." + b + "." + c + "." + d;
  }
  return {};
}

}  // namespace lir
