// Errors as each AWS protocol returns them, turned into one lir::Error with the service's
// code, message, request id, HTTP status, and whether retrying can help.
#pragma once

#include <string>
#include <string_view>

#include "aws/http_transport.h"
#include "core/result.h"

namespace lir::aws {

enum class Protocol { kRestJson, kJson, kQuery, kRestXml };

Error ParseServiceError(Protocol protocol, const HttpResponse& response);

bool IsThrottlingCode(std::string_view code);
bool IsTransientCode(std::string_view code);

}  // namespace lir::aws
