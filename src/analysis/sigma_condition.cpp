#include "analysis/sigma_condition.h"

#include <vector>

#include <fmt/format.h>

#include "core/strings.h"

namespace lir {
namespace {

std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      flush();
    } else if (c == '(' || c == ')' || c == '|') {
      flush();
      tokens.emplace_back(1, c);
    } else {
      current += c;
    }
  }
  flush();
  return tokens;
}

// A hostile rule file must not recurse the stack away (a 10 KB condition of nested
// parentheses) nor multiply its detection items into gigabytes (a 10,000-value selection
// referenced 20,000 times).
constexpr int kMaxDepth = 64;
constexpr size_t kMaxNodes = 100000;

size_t CountNodes(const Expr& e) {
  size_t n = 1 + e.values.size();
  for (const Expr& child : e.children) n += CountNodes(child);
  return n;
}

constexpr const char* kAggregation =
    "aggregation ('| count()', '| near') is not part of Sigma any more and is not supported";

class Parser {
 public:
  Parser(std::vector<std::string> tokens, const std::map<std::string, Expr>& items)
      : tokens_(std::move(tokens)), items_(items) {}

  std::optional<Expr> Parse(std::string* error) {
    auto e = Or();
    if (e && pos_ != tokens_.size()) {
      Fail(tokens_[pos_] == "|" ? kAggregation : fmt::format("unexpected '{}'", tokens_[pos_]));
    }
    if (!error_.empty()) {
      *error = error_;
      return std::nullopt;
    }
    return e;
  }

 private:
  bool Peek(std::string_view word) const { return pos_ < tokens_.size() && IEquals(tokens_[pos_], word); }
  void Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

  static Expr Combine(ExprKind kind, std::vector<Expr> children) {
    if (children.size() == 1) return std::move(children[0]);
    Expr e;
    e.kind = kind;
    e.children = std::move(children);
    return e;
  }

  // operand (word operand)*: `or` over `and` terms, `and` over `not` terms.
  std::optional<Expr> Chain(std::string_view word, std::optional<Expr> (Parser::*operand)(), ExprKind kind) {
    std::vector<Expr> children;
    do {
      auto e = (this->*operand)();
      if (!e) return std::nullopt;
      children.push_back(std::move(*e));
    } while (Peek(word) && ++pos_);
    return Combine(kind, std::move(children));
  }

  std::optional<Expr> Or() { return Chain("or", &Parser::And, ExprKind::kAny); }
  std::optional<Expr> And() { return Chain("and", &Parser::Not, ExprKind::kAll); }

  std::optional<Expr> Not() {
    if (++depth_ > kMaxDepth) {
      Fail(fmt::format("the condition nests deeper than {} levels", kMaxDepth));
      return std::nullopt;
    }
    auto e = NotInner();
    --depth_;
    return e;
  }

  std::optional<Expr> NotInner() {
    if (Peek("not")) {
      ++pos_;
      auto inner = Not();
      if (!inner) return std::nullopt;
      Expr e;
      e.kind = ExprKind::kNot;
      e.children.push_back(std::move(*inner));
      return e;
    }
    return Primary();
  }

  std::optional<Expr> Primary() {
    if (pos_ >= tokens_.size()) {
      Fail("the condition ends early");
      return std::nullopt;
    }
    const std::string& token = tokens_[pos_];
    if (token == "|") {
      Fail(kAggregation);
      return std::nullopt;
    }
    if (token == "(") {
      ++pos_;
      auto e = Or();
      if (!e) return std::nullopt;
      if (!Peek(")")) {
        Fail("missing ')'");
        return std::nullopt;
      }
      ++pos_;
      return e;
    }
    if (pos_ + 1 < tokens_.size() && IEquals(tokens_[pos_ + 1], "of")) return Quantified();
    if (token == ")" || IEquals(token, "and") || IEquals(token, "or")) {
      Fail(fmt::format("unexpected '{}'", token));
      return std::nullopt;
    }
    auto item = items_.find(token);
    if (item == items_.end()) {
      Fail(fmt::format("the condition names '{}', which the detection does not define", token));
      return std::nullopt;
    }
    ++pos_;
    if (!Spend(item->second)) return std::nullopt;
    return item->second;
  }

  // Every reference copies its item: the compiled rule's size is bounded, not the text's.
  bool Spend(const Expr& e) {
    nodes_ += CountNodes(e);
    if (nodes_ <= kMaxNodes) return true;
    Fail(fmt::format("the condition expands to more than {} expression nodes", kMaxNodes));
    return false;
  }

  // `1 of X`, `all of X`, X a pattern or `them` (every item but those starting with '_').
  std::optional<Expr> Quantified() {
    const std::string quantifier = ToLower(tokens_[pos_]);
    if (quantifier != "1" && quantifier != "all") {
      Fail(fmt::format("'{} of' is not supported: Sigma defines '1 of' and 'all of'", quantifier));
      return std::nullopt;
    }
    pos_ += 2;
    if (pos_ >= tokens_.size()) {
      Fail("'of' needs a pattern or 'them'");
      return std::nullopt;
    }
    const std::string target = tokens_[pos_++];
    const bool them = IEquals(target, "them");
    std::vector<Expr> chosen;
    for (const auto& [name, expr] : items_) {
      if (!(them ? name[0] != '_' : GlobMatch(target, name))) continue;  // Sigma: only '*', exact case
      if (!Spend(expr)) return std::nullopt;
      chosen.push_back(expr);
    }
    if (chosen.empty()) {
      Fail(fmt::format("'{} of {}' matches no detection item", quantifier, target));
      return std::nullopt;
    }
    return Combine(quantifier == "all" ? ExprKind::kAll : ExprKind::kAny, std::move(chosen));
  }

  std::vector<std::string> tokens_;
  const std::map<std::string, Expr>& items_;
  size_t pos_ = 0;
  int depth_ = 0;
  size_t nodes_ = 0;
  std::string error_;
};

}  // namespace

std::optional<Expr> ParseSigmaCondition(std::string_view condition, const std::map<std::string, Expr>& items,
                                        std::string* error) {
  auto tokens = Tokenize(condition);
  if (tokens.empty()) {
    *error = "empty condition";
    return std::nullopt;
  }
  return Parser(std::move(tokens), items).Parse(error);
}

}  // namespace lir
