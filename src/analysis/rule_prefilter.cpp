#include "analysis/rule_prefilter.h"

#include <algorithm>
#include <optional>

#include "analysis/expr_eval.h"
#include "sources/event.h"

namespace lir {
namespace {

// Values of an equals/in leaf (or `op`) on `field` (case-sensitive only), or false.
bool Requires(const Expr& leaf, const char* field, std::vector<std::string>* out, LeafOp op = LeafOp::kEquals) {
  if (leaf.kind != ExprKind::kLeaf || leaf.field != field || leaf.nocase) return false;
  if (leaf.op != op && (op != LeafOp::kEquals || leaf.op != LeafOp::kIn)) return false;
  for (const Literal& v : leaf.values) {
    if (v.type != Literal::Type::kString) return false;
  }
  for (const Literal& v : leaf.values) out->push_back(v.text);
  return true;
}

// The @name values `e` requires, when it requires some: a leaf on @name, an `all` with such a
// child, an `any` whose every branch requires some (their union).
bool RequiresNames(const Expr& e, std::vector<std::string>* out) {
  if (e.kind == ExprKind::kLeaf) return Requires(e, "@name", out);
  if (e.kind == ExprKind::kAll) {
    for (const Expr& child : e.children) {
      if (RequiresNames(child, out)) return true;
    }
    return false;
  }
  if (e.kind != ExprKind::kAny || e.children.empty()) return false;
  std::vector<std::string> names;
  for (const Expr& child : e.children) {
    if (!RequiresNames(child, &names)) return false;
  }
  out->insert(out->end(), names.begin(), names.end());
  return true;
}

// The boolean an equals leaf on the virtual `field` (@success, @mutating) requires.
std::optional<bool> RequiresBool(const Expr& leaf, const char* field) {
  if (leaf.kind != ExprKind::kLeaf || leaf.field != field) return std::nullopt;
  if ((leaf.op != LeafOp::kEquals && leaf.op != LeafOp::kIn) || leaf.values.size() != 1) return std::nullopt;
  if (leaf.values[0].type != Literal::Type::kBool) return std::nullopt;
  return leaf.values[0].boolean;
}

}  // namespace

RulePrefilter::RulePrefilter(const Rule& rule) {
  std::vector<const Expr*> conjuncts;
  if (rule.match.kind == ExprKind::kAll) {
    for (const Expr& child : rule.match.children) conjuncts.push_back(&child);
  } else if (rule.match.kind == ExprKind::kAny && rule.match.children.size() == 1) {
    conjuncts.push_back(&rule.match.children[0]);  // any of one is that one
  } else {
    conjuncts.push_back(&rule.match);
  }
  for (const Expr* e : conjuncts) {
    // Several leaves on one field intersect; keeping the first is still a necessary condition.
    if (!constrained_sources_) constrained_sources_ = Requires(*e, "eventSource", &sources_.sorted);
    if (!constrained_names_) constrained_names_ = RequiresNames(*e, &names_.sorted);
    if (!success_) success_ = RequiresBool(*e, "@success");
    if (!mutating_) mutating_ = RequiresBool(*e, "@mutating");
    if (!constrained_raw_names_) constrained_raw_names_ = Requires(*e, "eventName", &raw_names_.sorted);
    if (!constrained_errors_) constrained_errors_ = Requires(*e, "errorCode", &errors_.sorted);
    if (!constrained_actor_types_) constrained_actor_types_ = Requires(*e, "userIdentity.type", &actor_types_.sorted);
    if (e->kind == ExprKind::kNot && e->children.size() == 1) {
      // not(userIdentity.type in X): a record of one of those types cannot match. Not "": an
      // absent type reads as empty, and the leaf holds nothing of an absent field.
      Requires(e->children[0], "userIdentity.type", &excluded_actor_types_.sorted);
      std::erase(excluded_actor_types_.sorted, std::string());
      // not(userAgent contains X): a userAgent holding X is one the leaf reads, so the rule
      // fails. Not "": every text holds it, and an absent userAgent holds nothing.
      Requires(e->children[0], "userAgent", &excluded_agent_parts_, LeafOp::kContains);
      std::erase(excluded_agent_parts_, std::string());
    }
  }
  // A rule written on raw names (Sigma's eventName) is indexed by their normalised names too.
  if (!constrained_names_ && constrained_raw_names_ && constrained_sources_) {
    for (const std::string& source : sources_.sorted) {
      for (const std::string& raw : raw_names_.sorted) names_.sorted.emplace_back(NormalizeEventName(source, raw));
    }
    constrained_names_ = true;
  }
  for (Values* values : {&sources_, &names_, &raw_names_, &errors_, &actor_types_, &excluded_actor_types_}) values->Seal();
}

void RulePrefilter::Values::Seal() {
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const std::string& value : sorted) lengths |= uint64_t{1} << std::min<size_t>(value.size(), 63);
}

bool RulePrefilter::Values::HasSorted(std::string_view value) const {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), value,
                             [](const std::string& a, std::string_view b) { return std::string_view(a) < b; });
  return it != sorted.end() && *it == value;
}

bool RulePrefilter::MayMatch(const EventView& v) const {
  // Cheapest and most telling first: most records have no error code.
  if (constrained_errors_ && !errors_.Has(v.error_code)) return false;
  if (constrained_sources_ && !sources_.Has(v.source)) return false;
  if (constrained_names_ && !names_.Has(v.name)) return false;
  if (constrained_raw_names_ && !raw_names_.Has(v.name_raw)) return false;
  if (constrained_actor_types_ && !actor_types_.Has(v.actor_type)) return false;
  if (!excluded_actor_types_.sorted.empty() && excluded_actor_types_.Has(v.actor_type)) return false;
  if (success_ && *success_ != v.succeeded()) return false;
  if (mutating_ && *mutating_ != IsMutating(v)) return false;
  for (const std::string& part : excluded_agent_parts_) {
    if (v.user_agent.find(part) != std::string_view::npos) return false;
  }
  return true;
}

}  // namespace lir
