// The AWS query protocol (IAM, STS, CloudWatch): form-encoded Action/Version requests and
// XML responses.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "aws/aws_client.h"

namespace pugi {
class xml_document;
}

namespace lir::aws {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

ApiRequest MakeQueryRequest(const std::string& action, const std::string& version, const QueryParams& params);

// Parses a successful response body; an unparseable body is an error naming the action.
Result<void> ParseXml(const std::string& action, const HttpResponse& response, pugi::xml_document* doc);

}  // namespace lir::aws
