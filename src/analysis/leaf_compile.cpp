#include "analysis/leaf_compile.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include "analysis/expr_eval.h"
#include "core/strings.h"

namespace lir {

std::optional<LeafProblem> CompileLeaf(Expr* e) {
  switch (e->op) {
    case LeafOp::kRegex: {
      if (e->values.size() != 1) return LeafProblem{"L006", "bad-regex", "regex takes one pattern"};
      RE2::Options options;
      options.set_case_sensitive(!e->nocase);
      options.set_log_errors(false);
      e->regex = std::make_shared<RE2>(e->values[0].text, options);
      if (!e->regex->ok()) return LeafProblem{"L006", "bad-regex", e->regex->error()};
      break;
    }
    case LeafOp::kCidr:
      e->networks.clear();
      for (const Literal& value : e->values) {
        auto network = ParseIpNetwork(value.text);
        if (!network) {
          return LeafProblem{"L005", "bad-expression", fmt::format("'{}' is not a CIDR block", value.text)};
        }
        e->networks.push_back(*network);
      }
      break;
    case LeafOp::kFieldRef: {
      if (e->values.size() != 1 || e->values[0].text.empty() || e->values[0].text[0] == '@') {
        return LeafProblem{"L005", "bad-expression", "fieldref takes one record path"};
      }
      e->ref_segments.clear();
      for (auto seg : Split(e->values[0].text, '.')) {
        if (seg.empty()) return LeafProblem{"L005", "bad-expression", "empty segment in the fieldref path"};
        e->ref_segments.emplace_back(seg);
      }
      break;
    }
    default:
      break;
  }
  e->view_slot = ViewSlotFor(e->field, e->op);
  return std::nullopt;
}

}  // namespace lir
