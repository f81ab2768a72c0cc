// Every answer parsed from AWS is checked against the shape botocore's service model gives
// its operation (data/aws/response-shapes.json, embedded): an answer whose member has the
// wrong kind (an array where the API has an object, a string where it has a list) is an
// error naming the operation and the member, never an exception deep in a caller. Members
// the model does not know are let through (services add them); null is let through too.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "aws/aws_config.h"
#include "aws/aws_error.h"
#include "core/json_depth.h"

namespace lir::aws {

// kCorruptInput "OPERATION: answer member Versions[2].Role: expected a string, got an object".
// XML protocols (query, rest-xml) carry every scalar as text and may flatten a one-element
// list, so for them a scalar is any string and a list may be a single element.
Result<void> CheckResponseShape(Service service, std::string_view operation, const nlohmann::json& doc);

// Answers deeper than any AWS shape are refused unparsed (core/json_depth.h counts).
inline constexpr int kMaxAnswerDepth = 64;

}  // namespace lir::aws
