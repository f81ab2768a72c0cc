// Query and rest-xml responses as JSON, so every service's result is handled one way:
// elements become objects, repeated elements and <member> (EC2: <item>) lists become arrays, text
// becomes strings. The wrapper <XResponse><XResult> is removed.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace lir::aws {

// `list_keys` are members that are lists even when they hold one element or none.
// `item_lists`: EC2's answers, whose lists are of <item> elements (else of <member>).
Result<nlohmann::json> XmlToJson(const std::string& xml, const std::vector<const char*>& list_keys, bool item_lists = false);

}  // namespace lir::aws
