// Errors as each AWS protocol returns them, turned into one lir::Error with the service's
// code, message, request id, HTTP status, and whether retrying can help.
#pragma once

#include <string>
#include <string_view>

#include "aws/http_transport.h"
#include "core/result.h"

namespace lir::aws {

// kEc2: the query protocol's requests; XML answers without a Result wrapper, lists of <item>.
enum class Protocol { kRestJson, kJson, kQuery, kRestXml, kEc2 };

Error ParseServiceError(Protocol protocol, const HttpResponse& response);

// The taxonomy of core/result.h from an AWS error code (empty when the body had none) and
// the HTTP status: decided here once, never by string lists at call sites.
ErrorCode ClassifyServiceError(std::string_view code, int status);

// What the user can do about a failed call, in one sentence: the IAM action to grant for a
// denied call, refreshed credentials, running again later, ...
std::string RemedyFor(const Error& error);
// The same, naming who lacks a permission ("role arn:..." when acting as a role assumed in
// another account) instead of "the caller".
std::string RemedyFor(const Error& error, std::string_view principal);

bool IsThrottlingCode(std::string_view code);
bool IsTransientCode(std::string_view code);

}  // namespace lir::aws
