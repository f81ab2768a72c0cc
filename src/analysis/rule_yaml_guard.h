// Rule files come from a --rules directory anyone may hand the responder. Before yaml-cpp
// builds a node tree, the text is checked on the parser's event stream: a size cap, a node
// cap, and no anchors or aliases (a 1.3 KB file of nested aliases expands to billions of
// nodes once walked: the "billion laughs").
#pragma once

#include <cstddef>
#include <string>

namespace lir {

inline constexpr size_t kMaxRuleFileBytes = size_t{256} * 1024;
inline constexpr size_t kMaxRuleNodes = 20000;

// Empty when the text may be loaded; otherwise what is wrong with it. YAML syntax errors are
// left to the loader, which reports them with their position.
std::string RuleYamlProblem(const std::string& text);

}  // namespace lir
