// One Sigma field clause (`field|modifier|...: value or list`) as a match expression, with
// Sigma's value semantics: case-insensitive by default, '*' and '?' wildcards ('\' escapes),
// a list is any-of (all-of with `|all`), null means absent.
#pragma once

#include <optional>
#include <string>

#include "analysis/rule.h"

namespace YAML {
class Node;
}

namespace lir {

// `key` is the YAML key (field and modifiers), `value` its value. On failure `error` names
// what is not supported or malformed.
std::optional<Expr> CompileSigmaField(const std::string& key, const YAML::Node& value, std::string* error);

}  // namespace lir
