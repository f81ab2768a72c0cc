// Calls any operation of the table in operations.h with the right protocol: rest-json
// (Lambda), json 1.1 (CloudTrail, Logs), query (IAM, STS, CloudWatch), rest-xml (S3);
// follows pagination. Results are JSON with AWS's member names, and the raw body is kept
// (evidence is stored as received).
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/aws_client.h"
#include "aws/operations.h"
#include "aws/query_protocol.h"

namespace lir::aws {

struct CallParams {
  std::map<std::string, std::string> path;                  // URI labels: {"FunctionName", "f"}
  std::vector<std::pair<std::string, std::string>> query;   // querystring, wire names
  nlohmann::json body;                                      // rest-json and json protocols
  QueryParams form;                                         // query protocol, flattened
};

struct ApiResult {
  nlohmann::json doc;
  std::string raw;
  std::string request_id;
  int status = 0;
};

class ApiCaller {
 public:
  ApiCaller(Service service, AwsContext context);

  // With a sink, the body streams to it; `restart` empties what it holds before a retry.
  Result<ApiResult> Call(const OperationSpec& op, const CallParams& params, const BodyChunkSink& sink = nullptr,
                         const BodyRestart& restart = nullptr);
  // Every page: the result keys merged into the first page's document; `pages` gets each raw page.
  Result<nlohmann::json> CallAll(const OperationSpec& op, CallParams params, std::vector<ApiResult>* pages = nullptr,
                                 int max_pages = 10000);

  AwsClient& client() { return client_; }

 private:
  Service service_;
  AwsClient client_;
};

// Guards a pagination loop against an endpoint that never ends it: a token sent before
// (A, B, A, ...) or more pages than `max_pages` is an error naming the operation.
class PageTokens {
 public:
  PageTokens(std::string operation, int max_pages) : operation_(std::move(operation)), max_pages_(max_pages) {}
  // Called with each next token before asking for its page.
  Result<void> Next(const std::string& token);

 private:
  std::string operation_;
  int max_pages_;
  int pages_ = 0;
  std::set<std::string> seen_;
};

// {Name} -> encoded value, {Name+} -> value encoded with '/' kept; "?a=b" stays.
Result<std::string> ExpandUri(const std::string& uri_template, const std::map<std::string, std::string>& values);

}  // namespace lir::aws
