// The last step of building a match leaf, shared by lambda-ir's rule format and Sigma's:
// compile its regex, parse its CIDR blocks, split its reference path, pick its EventView slot.
#pragma once

#include <optional>
#include <string>

#include "analysis/rule.h"

namespace lir {

struct LeafProblem {
  const char* lint_id;  // "L005" bad-expression or "L006" bad-regex
  const char* name;
  std::string message;
};

std::optional<LeafProblem> CompileLeaf(Expr* leaf);

}  // namespace lir
