#include "aws/aws_error.h"

#include <initializer_list>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "core/strings.h"

namespace lir::aws {
namespace {

// "com.amazonaws.lambda#ResourceNotFoundException" and "Code:http://..." both give "Code".
std::string CleanCode(std::string code) {
  if (auto hash = code.rfind('#'); hash != std::string::npos) code = code.substr(hash + 1);
  if (auto colon = code.find(':'); colon != std::string::npos) code = code.substr(0, colon);
  return code;
}

bool OneOf(std::string_view code, std::initializer_list<std::string_view> codes) {
  for (std::string_view c : codes) {
    if (code == c) return true;
  }
  return false;
}

}  // namespace

// The one place an AWS answer's kind is decided: by the service's error code first (the
// same code means the same thing across Lambda, IAM, STS, CloudWatch, Logs, CloudTrail, S3),
// then by the HTTP status. `code` is empty when the body carried none (an emulator's HTML
// page, an empty 403 from a proxy).
ErrorCode ClassifyServiceError(std::string_view code, int status) {
  if (IsThrottlingCode(code) || status == 429) return ErrorCode::kThrottled;
  if (OneOf(code, {"ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "UnrecognizedClientException",
                   "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature", "IncompleteSignatureException",
                   "MissingAuthenticationToken", "MissingAuthenticationTokenException", "AuthFailure", "RequestExpired",
                   "InvalidAccessKeyId", "InvalidToken", "TokenRefreshRequired", "OptInRequired"}) ||
      status == 401) {
    return ErrorCode::kUnauthenticated;
  }
  if (OneOf(code, {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "AuthorizationError",
                   "AuthorizationErrorException", "Forbidden", "ForbiddenException", "AllAccessDisabled"}) ||
      (status == 403 && code.empty())) {
    return ErrorCode::kPermissionDenied;
  }
  if (OneOf(code, {"UnknownOperationException", "InvalidAction", "NotImplemented", "UnsupportedOperation"}) || status == 501 ||
      (status == 404 && code.empty())) {
    // No AWS error code on a 404: the route itself is unknown (moto lacks provisioned concurrency).
    return ErrorCode::kUnsupported;
  }
  if (IsTransientCode(code) || status >= 500) return ErrorCode::kUnavailable;
  if (OneOf(code, {"ResourceNotFoundException", "NoSuchEntity", "NoSuchEntityException", "NoSuchKey", "NoSuchBucket",
                   "TrailNotFoundException", "ResourceNotFound", "ProvisionedConcurrencyConfigNotFoundException",
                   "NotFoundException", "CodeSigningConfigNotFoundException", "NoSuchResource"}) ||
      status == 404) {
    return ErrorCode::kNotFound;
  }
  if (OneOf(code, {"ResourceConflictException", "ResourceInUseException", "EntityAlreadyExists", "ConcurrentModification",
                   "ConcurrentModificationException", "DeleteConflict", "ConflictException", "PreconditionFailedException",
                   "ResourceAlreadyExistsException", "OperationAbortedException", "EntityTemporarilyUnmodifiable"}) ||
      status == 409 || status == 412) {
    return ErrorCode::kConflict;
  }
  return ErrorCode::kInvalidRequest;
}


std::string RemedyFor(const Error& e) { return RemedyFor(e, "the caller"); }

std::string RemedyFor(const Error& e, std::string_view principal) {
  const std::string op = e.operation.empty() ? std::string("the call") : e.operation;
  switch (e.code) {
    case ErrorCode::kPermissionDenied:
      return e.iam_action.empty() ? fmt::format("{} is not allowed to call {}: grant it", principal, op)
                                  : fmt::format("grant {} to {}", e.iam_action, principal);
    case ErrorCode::kUnauthenticated:
      return "the credentials are missing, invalid or expired: refresh them (a new session, aws sso login) and run again";
    case ErrorCode::kThrottled: return "AWS throttled the calls: run the same command again in a minute";
    case ErrorCode::kUnavailable: return "a transient failure: run the same command again";
    case ErrorCode::kUnsupported: return fmt::format("the endpoint does not implement {}", op);
    case ErrorCode::kConflict: return "the resource is busy or was changed meanwhile: run the same command again";
    case ErrorCode::kNotFound: return "it does not exist (any more)";
    default: return fmt::format("AWS refused {} as sent", op);
  }
}

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
        if (request_id.empty()) request_id = doc.select_node("//RequestID").node().child_value();  // EC2's
        if (request_id.empty()) request_id = error.child_value("RequestId");
      }
    }
  }
  code = CleanCode(code);
  const ErrorCode kind = ClassifyServiceError(code, response.status);
  if (code.empty()) code = fmt::format("HTTP{}", response.status);
  if (kind == ErrorCode::kUnsupported && message.empty()) message = "the endpoint does not implement this operation";
  Error e{kind, fmt::format("{}: {}", code, message.empty() ? "(no message)" : message)};
  e.service_code = code;
  e.http_status = response.status;
  e.request_id = request_id;
  if (!request_id.empty()) e.message += fmt::format(" (HTTP {}, request id {})", response.status, request_id);
  // Printed as they are wherever the error ends up, and a message may quote what an attacker
  // named (a resource, a policy): no terminal control sequence gets through.
  e.message = SanitizeForTerminal(e.message);
  e.service_code = SanitizeForTerminal(e.service_code);
  e.request_id = SanitizeForTerminal(e.request_id);
  return e;
}

}  // namespace lir::aws
