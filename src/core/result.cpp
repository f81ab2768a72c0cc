#include "core/result.h"

namespace lir {

std::string_view ToString(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid-argument";
    case ErrorCode::kNotFound: return "not-found";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kCorruptInput: return "corrupt-input";
    case ErrorCode::kTooLarge: return "too-large";
    case ErrorCode::kInvalidRule: return "invalid-rule";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kThrottled: return "throttled";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
    case ErrorCode::kPermissionDenied: return "permission-denied";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kInvalidRequest: return "invalid-request";
    case ErrorCode::kInterrupted: return "interrupted";
  }
  return "unknown";
}

bool IsRetryable(ErrorCode code) {
  return code == ErrorCode::kThrottled || code == ErrorCode::kUnavailable;
}

std::string Error::ToString() const {
  return std::string(lir::ToString(code)) + ": " + message;
}

}  // namespace lir
