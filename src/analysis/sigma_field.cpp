#include "analysis/sigma_field.h"

#include <set>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include "analysis/leaf_compile.h"
#include "core/strings.h"

namespace lir {
namespace {

struct Modifiers {
  enum class Match { kPlain, kContains, kStartsWith, kEndsWith, kRegex, kCidr, kExists, kFieldRef } match =
      Match::kPlain;
  bool all = false;
  bool cased = false;
  std::string regex_flags;  // re's sub-modifiers i, m, s
};

// eventSource and eventName are written by CloudTrail in one spelling; comparing them exactly
// lets the engine index Sigma rules by source and name like its own (docs/sigma.md).
bool ExactByNature(const std::string& field) { return field == "eventSource" || field == "eventName"; }

std::optional<Modifiers> ParseModifiers(const std::vector<std::string_view>& parts, std::string* error) {
  Modifiers m;
  auto set_match = [&](Modifiers::Match match, std::string_view name) {
    if (m.match != Modifiers::Match::kPlain) {
      *error = fmt::format("modifier '{}' combined with another matching modifier", name);
      return false;
    }
    m.match = match;
    return true;
  };
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string_view p = parts[i];
    bool ok = true;
    if (p == "contains") ok = set_match(Modifiers::Match::kContains, p);
    else if (p == "startswith") ok = set_match(Modifiers::Match::kStartsWith, p);
    else if (p == "endswith") ok = set_match(Modifiers::Match::kEndsWith, p);
    else if (p == "re") ok = set_match(Modifiers::Match::kRegex, p);
    else if (p == "cidr") ok = set_match(Modifiers::Match::kCidr, p);
    else if (p == "exists") ok = set_match(Modifiers::Match::kExists, p);
    else if (p == "fieldref") ok = set_match(Modifiers::Match::kFieldRef, p);
    else if (p == "all") m.all = true;
    else if (p == "cased") m.cased = true;
    else if ((p == "i" || p == "m" || p == "s") && m.match == Modifiers::Match::kRegex) m.regex_flags += p;
    else {
      *error = fmt::format("modifier '{}' is not supported", p);
      return std::nullopt;
    }
    if (!ok) return std::nullopt;
  }
  return m;
}

// A Sigma string with its wildcards, as a leaf: equals, contains, startswith, endswith, or
// an anchored regex when wildcards sit inside. `any_before`/`any_after`: the wildcards a
// modifier adds (|contains, |endswith / |startswith), outside the value's own escapes, so
// that a value ending in a lone backslash keeps it literal.
Expr StringLeaf(const std::string& field, const std::string& value, bool nocase, bool any_before = false,
                bool any_after = false) {
  struct Piece {
    bool wildcard;
    char c;
  };
  std::vector<Piece> pieces;
  if (any_before) pieces.push_back({true, '*'});
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '\\' && i + 1 < value.size() && (value[i + 1] == '*' || value[i + 1] == '?' || value[i + 1] == '\\')) {
      pieces.push_back({false, value[++i]});
    } else {
      pieces.push_back({c == '*' || c == '?', c});
    }
  }
  if (any_after) pieces.push_back({true, '*'});
  Expr leaf;
  leaf.field = field;
  leaf.nocase = nocase;
  size_t begin = 0, end = pieces.size();
  const bool lead = begin < end && pieces[begin].wildcard && pieces[begin].c == '*';
  if (lead) ++begin;
  const bool trail = end > begin && pieces[end - 1].wildcard && pieces[end - 1].c == '*';
  if (trail) --end;
  bool inner_wildcard = false;
  std::string literal;
  for (size_t i = begin; i < end; ++i) {
    inner_wildcard |= pieces[i].wildcard;
    literal += pieces[i].c;
  }
  if (!inner_wildcard && !literal.empty()) {
    leaf.op = lead && trail ? LeafOp::kContains
              : lead        ? LeafOp::kEndsWith
              : trail       ? LeafOp::kStartsWith
                            : LeafOp::kEquals;
    leaf.values.push_back(Literal{Literal::Type::kString, literal});
    return leaf;
  }
  if (!lead && !trail && pieces.empty()) {  // '' is an empty value
    leaf.op = LeafOp::kEquals;
    leaf.values.push_back(Literal{Literal::Type::kString, ""});
    return leaf;
  }
  std::string pattern = "(?s)^";
  for (const Piece& p : pieces) {
    if (p.wildcard) {
      pattern += p.c == '*' ? ".*" : ".";
    } else {
      pattern += RE2::QuoteMeta(std::string(1, p.c));
    }
  }
  pattern += "$";
  leaf.op = LeafOp::kRegex;
  leaf.values.push_back(Literal{Literal::Type::kString, pattern});
  return leaf;
}

std::optional<Expr> ValueLeaf(const std::string& field, const Modifiers& m, const YAML::Node& node,
                              std::string* error) {
  if (!node.IsScalar() && !node.IsNull()) {
    *error = fmt::format("{}: a value must be a scalar or a list of scalars", field);
    return std::nullopt;
  }
  Expr leaf;
  leaf.field = field;
  if (node.IsNull() || (node.Tag() != "!" && (node.Scalar() == "null" || node.Scalar() == "~"))) {
    if (m.match != Modifiers::Match::kPlain) {
      *error = fmt::format("{}: null with a modifier", field);
      return std::nullopt;
    }
    leaf.op = LeafOp::kExists;  // Sigma's null: the field is absent or null
    leaf.values.push_back(Literal{Literal::Type::kBool, "false", 0, false});
    return leaf;
  }
  const std::string& text = node.Scalar();
  const bool quoted = node.Tag() == "!";
  const bool nocase = !m.cased && !ExactByNature(field);
  switch (m.match) {
    case Modifiers::Match::kExists:
      if (quoted || (text != "true" && text != "false")) {
        *error = fmt::format("{}|exists takes true or false", field);
        return std::nullopt;
      }
      leaf.op = LeafOp::kExists;
      leaf.values.push_back(Literal{Literal::Type::kBool, text, 0, text == "true"});
      return leaf;
    case Modifiers::Match::kRegex: {
      leaf.op = LeafOp::kRegex;
      const std::string flags = m.regex_flags;
      leaf.values.push_back(Literal{Literal::Type::kString, flags.empty() ? text : "(?" + flags + ")" + text});
      return leaf;
    }
    case Modifiers::Match::kCidr:
      leaf.op = LeafOp::kCidr;
      leaf.values.push_back(Literal{Literal::Type::kString, text});
      return leaf;
    case Modifiers::Match::kFieldRef:
      leaf.op = LeafOp::kFieldRef;
      leaf.nocase = nocase;
      leaf.values.push_back(Literal{Literal::Type::kString, text});
      return leaf;
    case Modifiers::Match::kContains:
      return StringLeaf(field, text, nocase, true, true);
    case Modifiers::Match::kStartsWith:
      return StringLeaf(field, text, nocase, false, true);
    case Modifiers::Match::kEndsWith:
      return StringLeaf(field, text, nocase, true, false);
    case Modifiers::Match::kPlain:
      break;
  }
  // Unquoted numbers and booleans compare as values and as their text.
  if (!quoted && (text == "true" || text == "false")) {
    leaf.op = LeafOp::kEquals;
    leaf.values.push_back(Literal{Literal::Type::kBool, text, 0, text == "true"});
    return leaf;
  }
  if (!quoted) {
    char* end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size()) {
      leaf.op = LeafOp::kEquals;
      leaf.values.push_back(Literal{Literal::Type::kNumber, text, number});
      return leaf;
    }
  }
  return StringLeaf(field, text, nocase);
}

// Leaves with the same field, operator and case merge into one leaf of several values
// (any-of), which the engine's prefilter reads as "eventName is one of ...".
std::vector<Expr> MergeAlternatives(std::vector<Expr> leaves) {
  std::vector<Expr> out;
  for (Expr& leaf : leaves) {
    const bool mergeable = leaf.kind == ExprKind::kLeaf &&
                           (leaf.op == LeafOp::kEquals || leaf.op == LeafOp::kContains ||
                            leaf.op == LeafOp::kStartsWith || leaf.op == LeafOp::kEndsWith || leaf.op == LeafOp::kCidr);
    auto same = std::find_if(out.begin(), out.end(), [&](const Expr& o) {
      return mergeable && o.kind == ExprKind::kLeaf && o.field == leaf.field && o.nocase == leaf.nocase &&
             (o.op == leaf.op || (o.op == LeafOp::kIn && leaf.op == LeafOp::kEquals));
    });
    if (same == out.end()) {
      out.push_back(std::move(leaf));
      continue;
    }
    if (same->op == LeafOp::kEquals) same->op = LeafOp::kIn;
    for (Literal& v : leaf.values) same->values.push_back(std::move(v));
  }
  return out;
}

}  // namespace

std::optional<Expr> CompileSigmaField(const std::string& key, const YAML::Node& value, std::string* error) {
  const std::vector<std::string_view> parts = Split(key, '|');
  const std::string field(parts[0]);
  if (field.empty() || field[0] == '@') {
    *error = fmt::format("'{}' is not a field name", field);
    return std::nullopt;
  }
  for (auto seg : Split(field, '.')) {
    if (seg.empty()) {
      *error = fmt::format("'{}' has an empty path segment", field);
      return std::nullopt;
    }
  }
  auto modifiers = ParseModifiers(parts, error);
  if (!modifiers) {
    *error = fmt::format("{}: {}", field, *error);
    return std::nullopt;
  }
  std::vector<Expr> leaves;
  if (value.IsSequence()) {
    if (value.size() == 0) {
      *error = fmt::format("{}: empty list", field);
      return std::nullopt;
    }
    for (const auto& item : value) {
      auto leaf = ValueLeaf(field, *modifiers, item, error);
      if (!leaf) return std::nullopt;
      leaves.push_back(std::move(*leaf));
    }
  } else {
    auto leaf = ValueLeaf(field, *modifiers, value, error);
    if (!leaf) return std::nullopt;
    leaves.push_back(std::move(*leaf));
  }
  if (!modifiers->all) leaves = MergeAlternatives(std::move(leaves));
  for (Expr& leaf : leaves) {
    leaf.objects_as_text = true;
    for (auto seg : Split(leaf.field, '.')) leaf.segments.emplace_back(seg);
    if (auto problem = CompileLeaf(&leaf)) {
      *error = fmt::format("{}: {}", field, problem->message);
      return std::nullopt;
    }
  }
  if (leaves.size() == 1) return std::move(leaves[0]);
  Expr e;
  e.kind = modifiers->all ? ExprKind::kAll : ExprKind::kAny;
  e.children = std::move(leaves);
  return e;
}

}  // namespace lir
