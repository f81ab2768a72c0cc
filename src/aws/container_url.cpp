#include "aws/container_url.h"

#include <memory>

#include <curl/curl.h>

#include "core/strings.h"

namespace lir::aws {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

std::string Part(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK || value == nullptr) return {};
  std::string out(value);
  curl_free(value);
  return out;
}

bool IsLoopbackV4(const std::string& host) {
  // libcurl normalises IPv4 (127.1 -> 127.0.0.1), so a dotted quad starting 127. is the whole check.
  int dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3 && host.rfind("127.", 0) == 0;
}

}  // namespace

std::string ContainerUrlProblem(const std::string& url) {
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return "is not a URL";
  const std::string scheme = ToLower(Part(parsed.get(), CURLUPART_SCHEME));
  if (!Part(parsed.get(), CURLUPART_USER).empty() || !Part(parsed.get(), CURLUPART_PASSWORD).empty()) {
    return "holds a user name or password (user@host): refused";
  }
  if (scheme == "https") return {};
  if (scheme != "http") return "must be http or https";
  const std::string host = ToLower(Part(parsed.get(), CURLUPART_HOST));
  if (IsLoopbackV4(host) || host == "localhost" || host == "[::1]" || host == "169.254.170.2" || host == "169.254.170.23" ||
      host == "[fd00:ec2::23]") {
    return {};
  }
  return "must be HTTPS, or HTTP to a loopback address or the ECS/EKS agent (169.254.170.2, 169.254.170.23, fd00:ec2::23); host is " +
         host;
}

}  // namespace lir::aws
