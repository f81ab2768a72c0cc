#include "analysis/rule_prefilter.h"

#include <algorithm>
#include <optional>

#include "analysis/expr_eval.h"
#include "sources/event.h"

namespace lir {
namespace {

// Values of an equals/in leaf on `field` (case-sensitive only), or false.
bool Requires(const Expr& leaf, const char* field, std::vector<std::string>* out) {
  if (leaf.kind != ExprKind::kLeaf || leaf.field != field || leaf.nocase) return false;
  if (leaf.op != LeafOp::kEquals && leaf.op != LeafOp::kIn) return false;
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
    if (!constrained_sources_) constrained_sources_ = Requires(*e, "eventSource", &sources_);
    if (!constrained_names_) constrained_names_ = RequiresNames(*e, &names_);
    if (!success_) success_ = RequiresBool(*e, "@success");
    if (!mutating_) mutating_ = RequiresBool(*e, "@mutating");
    if (!constrained_raw_names_) constrained_raw_names_ = Requires(*e, "eventName", &raw_names_);
    if (!constrained_errors_) constrained_errors_ = Requires(*e, "errorCode", &errors_);
    if (!constrained_actor_types_) constrained_actor_types_ = Requires(*e, "userIdentity.type", &actor_types_);
    // not(userIdentity.type in X): a record of one of those types cannot match. Not "": an
    // absent type reads as empty, and the leaf holds nothing of an absent field.
    if (e->kind == ExprKind::kNot && e->children.size() == 1) {
      Requires(e->children[0], "userIdentity.type", &excluded_actor_types_);
      std::erase(excluded_actor_types_, std::string());
    }
  }
  // A rule written on raw names (Sigma's eventName) is indexed by their normalised names too.
  if (!constrained_names_ && constrained_raw_names_ && constrained_sources_) {
    for (const std::string& source : sources_) {
      for (const std::string& raw : raw_names_) names_.emplace_back(NormalizeEventName(source, raw));
    }
    constrained_names_ = true;
  }
  for (auto* list : {&sources_, &names_, &raw_names_, &errors_, &actor_types_, &excluded_actor_types_}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
}

bool RulePrefilter::In(const std::vector<std::string>& sorted, std::string_view value) {
  // Most records have no error code, and most lists hold one value.
  if (sorted.size() == 1) return sorted.front() == value;
  auto it = std::lower_bound(sorted.begin(), sorted.end(), value,
                             [](const std::string& a, std::string_view b) { return std::string_view(a) < b; });
  return it != sorted.end() && *it == value;
}

bool RulePrefilter::MayMatch(const EventView& v) const {
  if (constrained_sources_ && !In(sources_, v.source)) return false;
  if (constrained_names_ && !In(names_, v.name)) return false;
  if (constrained_raw_names_ && !In(raw_names_, v.name_raw)) return false;
  if (constrained_errors_ && !In(errors_, v.error_code)) return false;
  if (constrained_actor_types_ && !In(actor_types_, v.actor_type)) return false;
  if (!excluded_actor_types_.empty() && In(excluded_actor_types_, v.actor_type)) return false;
  if (success_ && *success_ != v.succeeded()) return false;
  if (mutating_ && *mutating_ != IsMutating(v)) return false;
  return true;
}

}  // namespace lir
