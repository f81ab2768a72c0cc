#pragma once

#include <string>

namespace lir {

// A name from AWS or from evidence, made safe as one path component of a case: characters
// other than letters, digits, '.', '_' and '-' become '_', and a short hash of the original
// keeps distinct names distinct. Names that are already safe are returned unchanged.
std::string SafeName(const std::string& name);

}  // namespace lir
