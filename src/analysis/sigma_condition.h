// Sigma's condition language over a rule's named detection items: `selection and not
// filter`, `1 of selection_*`, `all of them`, parentheses. Aggregations (`| count() > 5`,
// `| near`) were dropped from the Sigma specification and are refused with a reason.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/rule.h"

namespace lir {

// `items` maps each detection identifier to its compiled expression. On failure `error`
// names the construct (for the per-rule "unsupported" report).
std::optional<Expr> ParseSigmaCondition(std::string_view condition, const std::map<std::string, Expr>& items,
                                        std::string* error);

}  // namespace lir
