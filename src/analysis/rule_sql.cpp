#include "analysis/rule_sql.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "core/strings.h"
#include "sources/event.h"

namespace lir {
namespace {

constexpr std::string_view kLambda = "lambda.amazonaws.com";

// The normalised event name (NormalizeEventName): Lambda's API-version suffix stripped, with
// "v<digits>" taken as part of the suffix only after exactly eight digits.
// Patterns anchor with \\A and \\z, which RE2, Java and Joni read alike ($ also matches before
// a last newline outside RE2).
constexpr std::string_view kNameExpr =
    "(CASE WHEN eventsource = 'lambda.amazonaws.com' AND {0} THEN regexp_replace(eventname, "
    "'[0-9]{{8}}v[0-9]+\\z', '') WHEN eventsource = 'lambda.amazonaws.com' AND {1} THEN "
    "regexp_replace(eventname, '[0-9]{{8}}\\z', '') ELSE eventname END)";

// IsMutating's verbs: a call without readOnly is a read when its name starts with one.
constexpr std::string_view kReadVerbs =
    "\\A(Get|List|Describe|Head|Lookup|BatchGet|Search|Select|Filter|Invoke|Decrypt|Generate|Check)";

bool IsAlnum(std::string_view s) {
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return !s.empty();
}

// A name `eventname = 'X'` decides alone: X is its own normal form and a suffixed form of it
// normalises back to X (X ends in neither a digit nor 'v').
bool NameComparesDirectly(std::string_view x) {
  return IsAlnum(x) && NormalizeEventName(kLambda, x) == x && x.back() != 'v' && !(x.back() >= '0' && x.back() <= '9');
}


// A pattern matching `text` with ASCII letters in either case (the engine's nocase), every
// other ASCII character escaped as \\xhh (two digits: the one form RE2, Java and Joni read
// alike; Joni takes \\x{hh} for a NUL); bytes past ASCII stay as they are (UTF-8).
std::string AsciiFoldedPattern(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      out += fmt::format("[{}{}]", static_cast<char>(std::tolower(u)), static_cast<char>(std::toupper(u)));
    } else if ((c >= '0' && c <= '9') || u >= 0x80) {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", u);
    }
  }
  return out;
}

bool LooksNumeric(const std::string& text) {
  if (text.empty()) return false;
  char* end = nullptr;
  [[maybe_unused]] const double parsed = std::strtod(text.c_str(), &end);  // "nan" and "inf" count too
  return end == text.c_str() + text.size();
}

class Compiler {
 public:
  Compiler(SqlEngine engine, RuleSql* out) : engine_(engine), out_(out) {}

  // `positive`: the expression is under an even number of `not`s, so a widened leaf is true
  // there (the query returns more); under an odd number it is false (NOT false is true).
  std::string Compile(const Expr& e, bool positive) {
    switch (e.kind) {
      case ExprKind::kAll:
      case ExprKind::kAny: {
        const bool all = e.kind == ExprKind::kAll;
        std::string absorbing = all ? "false" : "true", neutral = all ? "true" : "false";
        std::vector<std::string> parts;
        for (const Expr& child : e.children) {
          std::string part = Compile(child, positive);
          if (part == absorbing) return absorbing;
          if (part != neutral) parts.push_back(std::move(part));
        }
        if (parts.empty()) return neutral;
        if (parts.size() == 1) return parts[0];
        std::string joined;
        for (const std::string& p : parts) joined += (joined.empty() ? "" : all ? " AND " : " OR ") + p;
        return "(" + joined + ")";
      }
      case ExprKind::kNot: {
        ++nots_;
        const std::string inner = Compile(e.children[0], !positive);
        --nots_;
        if (inner == "true") return "false";
        if (inner == "false") return "true";
        return "(NOT " + inner + ")";
      }
      case ExprKind::kLeaf:
        return Leaf(e, positive);
    }
    return Widen("an unknown node", positive);
  }

 private:
  std::string Widen(const std::string& what, bool positive) {
    Note(what);
    return positive ? "true" : "false";
  }

  void Note(const std::string& what) {
    out_->exact = false;
    if (std::find(out_->widened.begin(), out_->widened.end(), what) == out_->widened.end()) {
      out_->widened.push_back(what);
    }
  }

  std::string Leaf(const Expr& e, bool positive) {
    // exists: false and foreign_account: false are the negation of their true form.
    if ((e.op == LeafOp::kExists || e.op == LeafOp::kForeignAccount) && !e.values[0].boolean) {
      Expr flipped = e;
      flipped.values[0].boolean = true;
      ++nots_;
      const std::string inner = Leaf(flipped, !positive);
      --nots_;
      if (inner == "true") return "false";
      if (inner == "false") return "true";
      return "(NOT " + inner + ")";
    }
    const std::string what = e.field + " " + OpName(e.op);
    switch (e.op) {
      case LeafOp::kHasKey:
      case LeafOp::kForeignAccount:
      case LeafOp::kAnyItem:
      case LeafOp::kCidr:
      case LeafOp::kFieldRef:
        return Widen(what, positive);
      default:
        break;
    }
    // Sigma's objects read as text need nothing more: a column holds text, and in a JSON
    // column an object is no scalar, so the key's presence stands for it (below).
    if (e.field == "@success" || e.field == "@mutating") return BooleanLeaf(e, positive);
    if (e.field == "@name" && !e.nocase && (e.op == LeafOp::kEquals || e.op == LeafOp::kIn)) {
      if (auto direct = NameEquals(e)) return *direct;
    }
    std::optional<SqlField> field = Field(e);
    if (!field) {
      // Read by lambda-ir from the record the query returns, unless the table never holds it.
      const std::string top(e.segments.empty() ? std::string_view(e.field) : std::string_view(e.segments[0]));
      const char* why = !e.field.empty() && e.field[0] == '@' ? " (derived by lambda-ir)"
                        : TableHolds(top)                     ? " (read by lambda-ir)"
                                                              : " (not in the table)";
      return Widen(e.field + why, positive);
    }
    if (field->kind == SqlField::Kind::kJson) {
      // json_extract_scalar gives numbers and booleans as text (128 is '128', true is 'true'),
      // which the engine's string operators never see; Lake's map values are text even for
      // objects. So SQL may say more than the engine there, never less: under a not, or in
      // some_not_in against text that reads as a number, it decides nothing.
      if (!positive) return Widen(e.field + " (under a not: numbers, booleans and objects read as text)", positive);
      if (e.op == LeafOp::kSomeNotIn) {
        for (const Literal& lit : e.values) {
          if (lit.type == Literal::Type::kString && LooksNumeric(lit.text)) return Widen(e.field + " (text that reads as a number)", positive);
        }
      }
    }
    std::string value = field->expr;
    const bool needs_presence = e.op == LeafOp::kExists || e.op == LeafOp::kSomeNotIn || HasEmptyLiteral(e);
    if (field->empty_is_absent && needs_presence) value = fmt::format("nullif({}, '')", value);
    std::optional<std::string> condition = Condition(e, value, positive);
    if (!condition) return Widen(what, positive);
    if (field->kind == SqlField::Kind::kJson) {
      // The scalar at a plain path decides; a path through an array or JSON text does not,
      // so where there is no scalar the key's presence in the text stands for the leaf.
      Note(e.field + " (through arrays and JSON text: key presence)");
      if (positive) {
        return Coalesced(fmt::format("{} OR ({})", *condition, field->reachable));
      }
    }
    return Coalesced(*condition);
  }

  static std::string OpName(LeafOp op) {
    switch (op) {
      case LeafOp::kHasKey: return "haskey";
      case LeafOp::kForeignAccount: return "foreign_account";
      case LeafOp::kAnyItem: return "any_item";
      case LeafOp::kCidr: return "cidr";
      case LeafOp::kFieldRef: return "fieldref";
      case LeafOp::kEquals: return "equals";
      case LeafOp::kIn: return "in";
      case LeafOp::kStartsWith: return "startswith";
      case LeafOp::kEndsWith: return "endswith";
      case LeafOp::kContains: return "contains";
      case LeafOp::kRegex: return "regex";
      case LeafOp::kExists: return "exists";
      case LeafOp::kSomeNotIn: return "some_not_in";
    }
    return "?";
  }

  static bool HasEmptyLiteral(const Expr& e) {
    for (const Literal& lit : e.values) {
      if (lit.text.empty()) return true;
    }
    return e.op == LeafOp::kRegex;  // a pattern may match the empty string
  }

  std::optional<SqlField> Field(const Expr& e) const {
    const bool view_slot = e.view_slot >= 0;
    if (e.field.empty() || e.field[0] != '@') return FieldFor(engine_, e.segments, view_slot);
    SqlField field;
    field.empty_is_absent = true;
    if (e.field == "@name") {
      field.expr = fmt::format(kNameExpr, "regexp_like(eventname, '[^0-9][0-9]{8}v[0-9]+\\z')",
                               "regexp_like(eventname, '[^0-9v][0-9]{8}\\z')");
    } else if (e.field == "@account") {
      field.expr = "coalesce(nullif(recipientaccountid, ''), useridentity.accountid)";
    } else if (e.field == "@session_name") {
      field.expr = fmt::format(
          "(CASE WHEN useridentity.type = 'AssumedRole' AND strpos(useridentity.arn, '/') > 0 THEN "
          "regexp_extract(useridentity.arn, '[^/]*$') END)");
    } else {
      return std::nullopt;  // @actor, @function, @role: what the engine derives from many fields
    }
    return field;
  }

  // The comparison of `value` (a nullable string) with the leaf's literals; NULL when absent.
  std::optional<std::string> Condition(const Expr& e, const std::string& value, bool positive) {
    auto list = [&] {
      std::string out;
      for (const Literal& lit : e.values) out += (out.empty() ? "" : ", ") + SqlString(lit.text);
      return out;
    };
    // nocase folds ASCII letters only, as the engine does: each letter a class ([aA]), the
    // rest literal. SQL's lower() folds every alphabet (the Kelvin sign is a k there).
    auto folded = [&](bool at_start, bool at_end) {
      std::string alternatives;
      for (const Literal& lit : e.values) alternatives += (alternatives.empty() ? "" : "|") + AsciiFoldedPattern(lit.text);
      return RegexCall(value, std::string(at_start ? "\\A" : "") + "(?:" + alternatives + ")" + (at_end ? "\\z" : ""));
    };
    std::vector<std::string> any;
    switch (e.op) {
      case LeafOp::kEquals:
      case LeafOp::kIn: {
        if (e.nocase) {
          any.push_back(folded(true, true));
          break;
        }
        any.push_back(e.values.size() == 1 ? fmt::format("{} = {}", value, list()) : fmt::format("{} IN ({})", value, list()));
        for (const Literal& lit : e.values) {
          // A JSON number matches by value (5 and 5.0); its text may be written otherwise.
          if (lit.type != Literal::Type::kNumber) continue;
          out_->exact = false;
          if (positive && std::isfinite(lit.number)) {
            any.push_back(fmt::format("try_cast({} AS DOUBLE) = {:.17g}", value, lit.number));
          }
        }
        break;
      }
      case LeafOp::kStartsWith:
      case LeafOp::kEndsWith:
      case LeafOp::kContains:
        if (e.nocase) {
          any.push_back(folded(e.op == LeafOp::kStartsWith, e.op == LeafOp::kEndsWith));
          break;
        }
        for (const Literal& lit : e.values) {
          any.push_back(fmt::format("{} LIKE {}", value, LikePattern(lit.text, e.op == LeafOp::kStartsWith,
                                                                     e.op == LeafOp::kEndsWith)));
        }
        break;
      case LeafOp::kRegex:
        // An RE2 pattern run by Trino's engine: the same on what rules write, not everywhere
        // (\\w and \\b past ASCII, $ before a last newline). Kept where it widens, never under a not.
        if (e.values.size() != 1 || !positive || e.values[0].text.find("(?P<") != std::string::npos) return std::nullopt;
        out_->exact = false;
        Note(e.field + " regex (RE2 read by Trino's engine)");
        any.push_back(RegexCall(value, (e.nocase ? "(?i)" : "") + e.values[0].text));
        break;
      case LeafOp::kExists:
        any.push_back(fmt::format("{} IS NOT NULL", value));
        break;
      case LeafOp::kSomeNotIn:
        if (e.nocase) {
          any.push_back(fmt::format("({} IS NOT NULL AND NOT {})", value, folded(true, true)));
          break;
        }
        any.push_back(fmt::format("({} IS NOT NULL AND {} NOT IN ({}))", value, value, list()));
        break;
      default:
        return std::nullopt;
    }
    std::string joined;
    for (const std::string& a : any) joined += (joined.empty() ? "" : " OR ") + a;
    return joined;
  }

  // @name equals X with X a plain name: the raw eventName, or Lambda's suffixed form of it.
  std::optional<std::string> NameEquals(const Expr& e) {
    std::string list, alternatives;
    for (const Literal& lit : e.values) {
      if (!NameComparesDirectly(lit.text)) return std::nullopt;
      list += (list.empty() ? "" : ", ") + SqlString(lit.text);
      alternatives += (alternatives.empty() ? "" : "|") + lit.text;
    }
    const std::string equals =
        e.values.size() == 1 ? fmt::format("eventname = {}", list) : fmt::format("eventname IN ({})", list);
    const std::string pattern = e.values.size() == 1 ? "\\A" + alternatives + "[0-9]{8}(v[0-9]+)?\\z"
                                                     : "\\A(" + alternatives + ")[0-9]{8}(v[0-9]+)?\\z";
    return Coalesced(fmt::format("{} OR (eventsource = {} AND {})", equals, SqlString(kLambda),
                                 RegexCall("eventname", pattern)));
  }

  // @success and @mutating are booleans: equals true/false (or their text).
  std::string BooleanLeaf(const Expr& e, bool positive) {
    if (e.op != LeafOp::kEquals && e.op != LeafOp::kIn) return Widen(e.field + " " + OpName(e.op), positive);
    bool want_true = false, want_false = false;
    for (const Literal& lit : e.values) {
      const std::string t = e.nocase ? ToLower(lit.text) : lit.text;
      want_true |= lit.type == Literal::Type::kBool ? lit.boolean : t == "true";
      want_false |= lit.type == Literal::Type::kBool ? !lit.boolean : t == "false";
    }
    if (want_true && want_false) return "true";
    if (!want_true && !want_false) return "false";
    std::string holds;
    if (e.field == "@success") {
      holds = "coalesce(errorcode, '') = ''";
    } else {
      holds = fmt::format(
          "coalesce(CASE WHEN {0} IS NOT NULL THEN NOT {0} ELSE NOT {1} AND coalesce(eventtype, '') <> "
          "'AwsConsoleSignIn' END, false)",
          ReadOnlyExpr(engine_), RegexCall("eventname", std::string(kReadVerbs)));
    }
    return want_true ? "(" + holds + ")" : "(NOT " + holds + ")";
  }

  // A leaf is NULL where its field is absent. Outside any NOT, NULL and false select alike;
  // under one, NOT NULL would drop a record that NOT false keeps, so the leaf says false.
  std::string Coalesced(const std::string& condition) const {
    // Comparisons bind tighter than AND, OR and NOT: only an OR needs its parentheses.
    if (nots_ == 0) return condition.find(" OR ") == std::string::npos ? condition : "(" + condition + ")";
    return fmt::format("coalesce({}, false)", condition);
  }

  SqlEngine engine_;
  RuleSql* out_;
  int nots_ = 0;
};

}  // namespace

RuleSql CompileMatch(const Expr& match, SqlEngine engine) {
  RuleSql out;
  out.predicate = Compiler(engine, &out).Compile(match, true);
  return out;
}

std::string EventCondition() { return "coalesce(eventname, '') <> ''"; }

std::string RuleQuery(const Rule& rule, SqlEngine engine, const std::string& table, const SqlScope& scope,
                      const std::string& columns) {
  const RuleSql sql = CompileMatch(rule.match, engine);
  std::string where = EventCondition();
  const std::string in_scope = ScopeCondition(engine, scope);
  if (!in_scope.empty()) where += " AND " + in_scope;
  if (sql.predicate != "true") where += " AND " + sql.predicate;
  return fmt::format("SELECT {} FROM {} WHERE {}", columns, QuotedTable(table, engine), where);
}

std::string RecordsQuery(const std::vector<Rule>& rules, SqlEngine engine, const std::string& table,
                         const SqlScope& scope, const std::vector<std::string>& columns, const std::string& select) {
  // Successful Lambda changes: the functions' roles (context rules ask whether a role runs a function).
  std::vector<std::string> wanted = {
      "(eventsource = 'lambda.amazonaws.com' AND coalesce(errorcode, '') = '' AND NOT regexp_like(eventname, "
      "'\\A(Get|List|Invoke)'))"};
  for (const Rule& rule : rules) {
    const RuleSql sql = CompileMatch(rule.match, engine);
    if (sql.predicate == "true") {
      wanted.clear();  // a rule that may match anything: every record in scope
      break;
    }
    if (sql.predicate != "false" && std::find(wanted.begin(), wanted.end(), sql.predicate) == wanted.end()) {
      wanted.push_back(sql.predicate);
    }
  }
  std::string where = EventCondition();
  const std::string in_scope = ScopeCondition(engine, scope);
  if (!in_scope.empty()) where += " AND " + in_scope;
  const std::string from = QuotedTable(table, engine);
  if (wanted.empty()) return fmt::format("SELECT {} FROM {} WHERE {}", select, from, where);
  std::string any;
  for (const std::string& w : wanted) any += (any.empty() ? "" : "\n   OR ") + w;
  // The calls of role sessions from a Lambda runtime (user agent AWS_Lambda) teach the engine
  // which roles run in Lambda; one call a session is enough. Grouping does it in the same
  // scan with memory for the rows returned: a wanted record is a group of its own (its event
  // id: copies of one event fold, as the engine folds them), a session's calls one group,
  // each column its earliest call's.
  constexpr std::string_view kRuntime = "strpos(coalesce(useragent, ''), 'AWS_Lambda') > 0";
  std::string earliest;
  for (const std::string& c : columns) {
    earliest += fmt::format("{}min_by({}, lir_order) AS {}", earliest.empty() ? "" : ", ", c, c);
  }
  return fmt::format(
      "SELECT {0} FROM (SELECT {1} FROM (SELECT *, coalesce({2}, false) AS lir_wanted, eventtime || "
      "coalesce(eventid, '') AS lir_order FROM {3} WHERE {4} AND (({2}) OR {5})) GROUP BY CASE WHEN lir_wanted "
      "THEN 'event ' || coalesce(eventid, eventtime || coalesce(requestid, '') || coalesce(useridentity.arn, '')) "
      "ELSE 'session ' || coalesce(useridentity.arn, '') END)",
      select, earliest, any, from, where, kRuntime);
}

}  // namespace lir
