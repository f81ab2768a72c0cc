// Nesting depth of a JSON text, counted on the raw bytes before any parser sees them: nesting
// is what makes parsers and the code walking their trees recurse, so text from outside (AWS
// answers, case files) deeper than any real document is refused unparsed.
#pragma once

#include <string_view>

namespace lir {

// The deepest nesting of arrays and objects (brackets inside strings do not count).
int JsonNestingDepth(std::string_view text);

}  // namespace lir
