// Result<T>: errors as values across layers. One ErrorCode enum, documented here,
// that also says whether retrying the same operation can help.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace lir {

enum class ErrorCode {
  kInvalidArgument,   // a flag, time or value given by the user is malformed
  kNotFound,          // a file, rule or resource does not exist
  kIo,                // reading or writing a file failed
  kCorruptInput,      // input exists but cannot be decoded (bad gzip, bad JSON, Records not an array,
                      // an AWS answer of the wrong shape)
  kTooLarge,          // input exceeds a documented safety limit
  kInvalidRule,       // a detection rule failed to load or lint
  kUnsupported,       // valid input we deliberately do not handle, or an operation the endpoint
                      // does not implement (an emulator's 404 without an AWS error code)
  kThrottled,         // remote asked us to slow down (retryable)
  kUnavailable,       // remote or transient failure (retryable)
  kInternal,          // a bug: an invariant did not hold
  kPermissionDenied,  // the caller is authenticated but not allowed (AccessDenied): `iam_action` names what is missing
  kUnauthenticated,   // credentials missing, invalid or expired (ExpiredToken, InvalidClientTokenId, bad signature)
  kConflict,          // the resource is in a state that refuses the change now (in use, exists, modified concurrently)
  kInvalidRequest,    // the service rejected the request's content (ValidationException, InvalidParameterValue)
  kInterrupted,       // the user stopped it (Ctrl-C, SIGTERM): what was started was undone where it could be
};

std::string_view ToString(ErrorCode code);
bool IsRetryable(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
  // Set for errors a remote service returned.
  std::string service_code;  // e.g. ResourceNotFoundException, AccessDenied
  int http_status = 0;
  std::string request_id;
  std::string operation;   // the AWS operation that failed, e.g. ListProvisionedConcurrencyConfigs
  std::string iam_action;  // the IAM action it needs, e.g. lambda:ListProvisionedConcurrencyConfigs

  bool retryable() const { return IsRetryable(code); }
  std::string ToString() const;
};

// [[nodiscard]]: a discarded Result is a failure nobody heard of (a custody line not written, a
// step not done). Where ignoring one is right, say so: IgnoreError(result, "why").
template <typename T>
class [[nodiscard]] Result : public tl::expected<T, Error> {
 public:
  using Base = tl::expected<T, Error>;
  using Base::Base;
  Result() = default;
  Result(const Base& other) : Base(other) {}             // NOLINT: from and_then/map results
  Result(Base&& other) noexcept : Base(std::move(other)) {}  // NOLINT
};

// Marks a Result whose failure changes nothing for the caller, with the reason.
template <typename T>
inline void IgnoreError(const Result<T>&, std::string_view /*why*/) {}

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace lir

// Propagates the error of a Result expression, or yields its value.
#define LIR_TRY(expr)                                                      \
  ({                                                                       \
    auto&& lir_try_result_ = (expr);                                       \
    if (!lir_try_result_) return tl::unexpected(lir_try_result_.error()); \
    std::move(*lir_try_result_);                                           \
  })

// Propagates the error of a Result<void> expression.
#define LIR_CHECK(expr)                                                     \
  do {                                                                      \
    auto&& lir_check_result_ = (expr);                                      \
    if (!lir_check_result_) return tl::unexpected(lir_check_result_.error()); \
  } while (0)
