#include "aws/aws_error.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace lir::aws {
namespace {

// "com.amazonaws.lambda#ResourceNotFoundException" and "Code:http://..." both give "Code".
std::string CleanCode(std::string code) {
  if (auto hash = code.rfind('#'); hash != std::string::npos) code = code.substr(hash + 1);
  if (auto colon = code.find(':'); colon != std::string::npos) code = code.substr(0, colon);
  return code;
}

ErrorCode Classify(const std::string& code, int status) {
  if (IsThrottlingCode(code) || status == 429) return ErrorCode::kThrottled;
  if (IsTransientCode(code) || status == 500 || status == 502 || status == 503 || status == 504) {
    return ErrorCode::kUnavailable;
  }
  if (code == "ResourceNotFoundException" || code == "NoSuchEntity" || code == "NoSuchKey" ||
      code == "NoSuchBucket" || code == "TrailNotFoundException" || status == 404) {
    return ErrorCode::kNotFound;
  }
  return ErrorCode::kInvalidArgument;
}

}  // namespace

bool IsThrottlingCode(std::string_view code) {
  for (std::string_view c : {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
                             "TooManyRequestsException", "ProvisionedThroughputExceededException",
                             "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
                             "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
                             "EC2ThrottledException"}) {
    if (code == c) return true;
  }
  return false;
}

bool IsTransientCode(std::string_view code) {
  return code == "RequestTimeout" || code == "RequestTimeoutException" || code == "InternalError" ||
         code == "InternalFailure" || code == "ServiceUnavailable" || code == "ServiceException";
}

Error ParseServiceError(Protocol protocol, const HttpResponse& response) {
  std::string code, message, request_id;
  request_id = response.Header("x-amzn-RequestId");
  if (request_id.empty()) request_id = response.Header("x-amz-request-id");
  if (protocol == Protocol::kRestJson || protocol == Protocol::kJson) {
    code = response.Header("x-amzn-ErrorType");
    const auto doc = nlohmann::json::parse(response.body, nullptr, false);
    if (doc.is_object()) {
      for (const char* key : {"__type", "code", "Code"}) {
        if (code.empty() && doc.contains(key) && doc[key].is_string()) code = doc[key].get<std::string>();
      }
      for (const char* key : {"message", "Message", "errorMessage"}) {
        if (message.empty() && doc.contains(key) && doc[key].is_string()) message = doc[key].get<std::string>();
      }
    }
  } else {
    pugi::xml_document doc;
    if (doc.load_buffer(response.body.data(), response.body.size())) {
      pugi::xml_node error = doc.select_node("//Error").node();
      code = error.child_value("Code");
      message = error.child_value("Message");
      if (request_id.empty()) {
        request_id = doc.select_node("//RequestId").node().child_value();
        if (request_id.empty()) request_id = error.child_value("RequestId");
      }
    }
  }
  code = CleanCode(code);
  if (code.empty()) code = fmt::format("HTTP{}", response.status);
  Error e{Classify(code, response.status), fmt::format("{}: {}", code, message.empty() ? "(no message)" : message)};
  e.service_code = code;
  e.http_status = response.status;
  e.request_id = request_id;
  if (!request_id.empty()) e.message += fmt::format(" (HTTP {}, request id {})", response.status, request_id);
  return e;
}

}  // namespace lir::aws
