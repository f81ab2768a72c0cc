// --debug wire logging. Everything that could be a secret is redacted before it is
// written: the Authorization signature, X-Amz-Security-Token, presigned query strings,
// secret keys and session tokens in bodies, and Lambda environment variable values.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace lir::aws {

std::string RedactHeaderValue(const std::string& name, const std::string& value);
std::string RedactUrl(const std::string& url);
std::string RedactBody(const std::string& body);

class WireLog {
 public:
  explicit WireLog(std::FILE* out) : out_(out) {}
  void Request(const std::string& method, const std::string& url,
               const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body);
  void Response(const std::string& url, int status, const std::vector<std::pair<std::string, std::string>>& headers,
                const std::string& body, int64_t elapsed_ms);
  void Note(const std::string& text);

 private:
  std::mutex mutex_;
  std::FILE* out_;
};

}  // namespace lir::aws
