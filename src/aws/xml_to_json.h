// Query and rest-xml responses as JSON, so every service's result is handled one way:
// elements become objects, repeated elements and <member> lists become arrays, text
// becomes strings. The wrapper <XResponse><XResult> is removed.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace lir::aws {

// `list_keys` are members that are lists even when they hold one element or none.
Result<nlohmann::json> XmlToJson(const std::string& xml, const std::vector<const char*>& list_keys);

}  // namespace lir::aws
