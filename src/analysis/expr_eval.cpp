#include "analysis/expr_eval.h"

#include <memory>
#include <unordered_set>

#include <re2/re2.h>
#include "sources/json_dom.h"

#include "core/ip_network.h"
#include "core/strings.h"
#include "sources/input_buffer.h"

namespace lir {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// A leaf value seen at the end of a path.
struct Value {
  enum class Type { kString, kNumber, kBool, kNull, kObject } type;
  std::string_view text;   // strings; numbers as written
  double number = 0;
  bool boolean = false;
  const element* object = nullptr;
};

// JSON carried inside a string (AddPermission's "statement", IAM policy documents) is
// decoded on demand. One parser per nesting depth: branches are walked depth-first, so a
// depth's parser is never reused while a value it produced is still being looked at.
class NestedParsers {
 public:
  bool Parse(size_t depth, std::string_view text, element* out) {
    while (slots_.size() <= depth) slots_.push_back(std::make_unique<Slot>());
    Slot& slot = *slots_[depth];
    slot.buffer.Resize(text.size());
    std::memcpy(slot.buffer.data(), text.data(), text.size());
    return slot.parser.parse(slot.buffer.data(), text.size(), false).get(*out) == simdjson::SUCCESS;
  }

 private:
  struct Slot {
    simdjson::dom::parser parser;
    InputBuffer buffer;
    std::string decoded;
  };
  std::vector<std::unique_ptr<Slot>> slots_;
};

thread_local NestedParsers nested_parsers;
constexpr size_t kMaxNesting = 4;
constexpr size_t kMaxNestedBytes = 1 << 20;

bool LooksLikeJson(std::string_view s) {
  s = Trim(s);
  return !s.empty() && (s.front() == '{' || s.front() == '[');
}

template <typename F>
bool Walk(const element& e, const std::vector<std::string>& segments, size_t i, size_t depth, F& visit);

template <typename F>
bool VisitLeaf(const element& e, F& visit) {
  switch (e.type()) {
    case element_type::STRING: {
      Value v{Value::Type::kString};
      v.text = e.get_string().value_unsafe();
      return visit(v);
    }
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: {
      Value v{Value::Type::kNumber};
      v.number = e.get_double().value_unsafe();
      return visit(v);
    }
    case element_type::BOOL: {
      Value v{Value::Type::kBool};
      v.boolean = e.get_bool().value_unsafe();
      return visit(v);
    }
    case element_type::NULL_VALUE:
      return visit(Value{Value::Type::kNull});
    case element_type::OBJECT: {
      Value v{Value::Type::kObject};
      v.object = &e;
      return visit(v);
    }
    case element_type::ARRAY:
      for (element item : ArrayOf(e)) {
        if (VisitLeaf(item, visit)) return true;
      }
      return false;
  }
  return false;
}

// Visits every value at segments[i..]; returns true as soon as `visit` does (any-of).
template <typename F>
bool Walk(const element& e, const std::vector<std::string>& segments, size_t i, size_t depth, F& visit) {
  if (i == segments.size()) return VisitLeaf(e, visit);
  switch (e.type()) {
    case element_type::OBJECT: {
      element child;
      if (ObjectOf(e).at_key(segments[i]).get(child) != simdjson::SUCCESS) return false;
      return Walk(child, segments, i + 1, depth, visit);
    }
    case element_type::ARRAY:
      for (element item : ArrayOf(e)) {
        if (Walk(item, segments, i, depth, visit)) return true;
      }
      return false;
    case element_type::STRING: {
      if (depth >= kMaxNesting) return false;
      std::string_view text = e.get_string().value_unsafe();
      if (text.size() > kMaxNestedBytes) return false;
      std::string decoded;
      if (!LooksLikeJson(text) && text.substr(0, 3) == "%7B") {
        decoded = UrlDecode(text);
        text = decoded;
      }
      if (!LooksLikeJson(text)) return false;
      element nested;
      if (!nested_parsers.Parse(depth, text, &nested)) return false;
      return Walk(nested, segments, i, depth + 1, visit);
    }
    default:
      return false;
  }
}

std::string_view SessionName(const EventView& v) {
  if (v.actor_type != "AssumedRole") return {};
  const size_t slash = v.actor_arn.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : v.actor_arn.substr(slash + 1);
}

std::string_view ViewSlot(const EventView& v, int slot);

// Virtual fields derived from the event rather than read from one place in it.
template <typename F>
bool VisitVirtual(const std::string& field, const EventView& v, F& visit) {
  auto str = [&](std::string_view s) {
    if (s.empty()) return false;
    Value value{Value::Type::kString};
    value.text = s;
    return visit(value);
  };
  auto boolean = [&](bool b) {
    Value value{Value::Type::kBool};
    value.boolean = b;
    return visit(value);
  };
  if (field == "@name") return str(v.name);
  if (field == "@success") return boolean(v.succeeded());
  if (field == "@actor") return str(v.actor_key());
  if (field == "@function") return str(v.function);
  if (field == "@role") return str(v.role);
  if (field == "@account") return str(v.account());
  if (field == "@mutating") return boolean(IsMutating(v));
  if (field == "@session_name") return str(SessionName(v));
  return false;
}

template <typename F>
bool VisitField(const Expr& leaf, const EvalInput& in, F& visit) {
  if (leaf.view_slot >= 0 && !in.item) {
    // Top-level strings already lifted by ViewEvent; CloudTrail never leaves them empty, so
    // empty means absent here (also for exists()).
    const std::string_view text = ViewSlot(in.view, leaf.view_slot);
    if (text.empty()) return false;
    Value value{Value::Type::kString};
    value.text = text;
    return visit(value);
  }
  if (!leaf.field.empty() && leaf.field[0] == '@') return VisitVirtual(leaf.field, in.view, visit);
  return Walk(in.Record(), leaf.segments, 0, in.nesting, visit);
}

// Record fields that EventView already holds, by slot number.
// CloudTrail writes each as a non-empty string when it writes it at all; reading them from the
// view spares a record's DOM (Sigma's sessionIssuer.type would parse every AssumedRole record).
constexpr std::string_view kViewFields[] = {"eventSource", "eventName", "errorCode", "userAgent",
                                            "sourceIPAddress", "awsRegion", "userIdentity.type",
                                            "userIdentity.arn", "userIdentity.invokedBy",
                                            "recipientAccountId", "eventType", "eventID",
                                            "userIdentity.sessionContext.sessionIssuer.type",
                                            "userIdentity.sessionContext.sessionIssuer.arn",
                                            "userIdentity.sessionContext.sessionIssuer.userName"};

std::string_view ViewSlot(const EventView& v, int slot) {
  switch (slot) {
    case 0: return v.source;
    case 1: return v.name_raw;
    case 2: return v.error_code;
    case 3: return v.user_agent;
    case 4: return v.source_ip;
    case 5: return v.region;
    case 6: return v.actor_type;
    case 7: return v.actor_arn;
    case 8: return v.invoked_by;
    case 9: return v.recipient_account;
    case 10: return v.event_type;
    case 11: return v.event_id;
    case 12: return v.issuer_type;
    case 13: return v.issuer_arn;
    case 14: return v.issuer_name;
    default: return {};
  }
}

bool StringEquals(std::string_view a, std::string_view b, bool nocase) {
  return nocase ? IEquals(a, b) : a == b;
}

bool MatchLiteral(const Value& v, const Literal& lit, bool nocase) {
  switch (v.type) {
    case Value::Type::kString:
      return StringEquals(v.text, lit.text, nocase);
    case Value::Type::kNumber:
      return lit.type == Literal::Type::kNumber ? v.number == lit.number
                                                : false;
    case Value::Type::kBool:
      return lit.type == Literal::Type::kBool ? v.boolean == lit.boolean
                                              : StringEquals(v.boolean ? "true" : "false", lit.text, nocase);
    default:
      return false;
  }
}

bool StringOp(LeafOp op, std::string_view text, std::string_view needle, bool nocase) {
  if (nocase) {
    const std::string t = ToLower(text), n = ToLower(needle);
    return StringOp(op, t, n, false);
  }
  switch (op) {
    case LeafOp::kStartsWith: return text.substr(0, needle.size()) == needle;
    case LeafOp::kEndsWith:
      return text.size() >= needle.size() && text.substr(text.size() - needle.size()) == needle;
    case LeafOp::kContains: return text.find(needle) != std::string_view::npos;
    default: return false;
  }
}

// Some value at the leaf's path equals some value at its reference path (both as text).
// A set of the reference values: two 60,000-item arrays are compared in linear time.
bool FieldRefMatches(const Expr& leaf, const EvalInput& in) {
  std::unordered_set<std::string> wanted;
  auto collect = [&](const Value& v) {
    if (v.type == Value::Type::kString) wanted.insert(leaf.nocase ? ToLower(v.text) : std::string(v.text));
    return false;
  };
  Walk(in.Record(), leaf.ref_segments, 0, in.nesting, collect);
  if (wanted.empty()) return false;
  auto visit = [&](const Value& v) {
    if (v.type != Value::Type::kString) return false;
    return wanted.count(leaf.nocase ? ToLower(v.text) : std::string(v.text)) > 0;
  };
  return VisitField(leaf, in, visit);
}

bool EvaluateLeaf(const Expr& leaf, const EvalInput& in) {
  if (leaf.op == LeafOp::kAnyItem) {
    // The item may live in a parser slot that decoding below it would reuse: inside an item,
    // strings are not decoded again.
    auto visit = [&](const Value& v) {
      return v.type == Value::Type::kObject && Evaluate(leaf.children[0], EvalInput{nullptr, v.object, in.view, kMaxNesting, true});
    };
    return VisitField(leaf, in, visit);
  }
  if (leaf.op == LeafOp::kExists) {
    bool found = false;
    auto visit = [&](const Value& v) { return found = v.type != Value::Type::kNull; };
    VisitField(leaf, in, visit);
    return found == leaf.values[0].boolean;
  }
  if (leaf.op == LeafOp::kForeignAccount) {
    const std::string_view own = in.view.account();
    bool foreign = false;
    auto visit = [&](const Value& v) {
      if (v.type != Value::Type::kString) return false;
      const std::string_view account = AccountFromArnOrId(v.text);
      return foreign = !account.empty() && !own.empty() && account != own;
    };
    VisitField(leaf, in, visit);
    return foreign == leaf.values[0].boolean;
  }
  if (leaf.op == LeafOp::kFieldRef) return FieldRefMatches(leaf, in);
  std::string object_text;
  auto visit = [&](const Value& found) {
    Value v = found;
    if (v.type == Value::Type::kObject && leaf.objects_as_text && leaf.op != LeafOp::kHasKey &&
        leaf.op != LeafOp::kCidr) {
      object_text = simdjson::minify(*v.object);
      v = Value{Value::Type::kString};
      v.text = object_text;
    }
    switch (leaf.op) {
      case LeafOp::kCidr:
        if (v.type != Value::Type::kString) return false;
        for (const IpNetwork& network : leaf.networks) {
          if (InNetwork(network, v.text)) return true;
        }
        return false;
      case LeafOp::kEquals:
      case LeafOp::kIn:
        for (const Literal& lit : leaf.values) {
          if (MatchLiteral(v, lit, leaf.nocase)) return true;
        }
        return false;
      case LeafOp::kSomeNotIn:
        if (v.type == Value::Type::kNull || v.type == Value::Type::kObject) return false;
        for (const Literal& lit : leaf.values) {
          if (MatchLiteral(v, lit, leaf.nocase)) return false;
        }
        return true;
      case LeafOp::kStartsWith:
      case LeafOp::kEndsWith:
      case LeafOp::kContains:
        if (v.type != Value::Type::kString) return false;
        for (const Literal& lit : leaf.values) {
          if (StringOp(leaf.op, v.text, lit.text, leaf.nocase)) return true;
        }
        return false;
      case LeafOp::kRegex:
        return v.type == Value::Type::kString &&
               RE2::PartialMatch(re2::StringPiece(v.text.data(), v.text.size()), *leaf.regex);
      case LeafOp::kHasKey:
        if (v.type != Value::Type::kObject) return false;
        for (auto field : ObjectOf(*v.object)) {
          for (const Literal& lit : leaf.values) {
            if (StringEquals(field.key, lit.text, leaf.nocase)) return true;
          }
        }
        return false;
      default:
        return false;
    }
  };
  return VisitField(leaf, in, visit);
}

}  // namespace

int ViewSlotFor(const std::string& field, LeafOp op) {
  for (int i = 0; i < static_cast<int>(std::size(kViewFields)); ++i) {
    if (kViewFields[i] == field) return i;
  }
  return -1;
}

bool IsMutating(const EventView& view) {
  if (view.read_only.has_value()) return !*view.read_only;
  const std::string_view n = view.name;
  for (std::string_view verb : {"Get", "List", "Describe", "Head", "Lookup", "BatchGet", "Search",
                                "Select", "Filter", "Invoke", "Decrypt", "Generate", "Check"}) {
    if (n.substr(0, verb.size()) == verb) return false;
  }
  return view.event_type != "AwsConsoleSignIn";
}

bool Evaluate(const Expr& expr, const EvalInput& input) {
  switch (expr.kind) {
    case ExprKind::kAll:
      for (const Expr& child : expr.children) {
        if (!Evaluate(child, input)) return false;
      }
      return true;
    case ExprKind::kAny:
      for (const Expr& child : expr.children) {
        if (Evaluate(child, input)) return true;
      }
      return false;
    case ExprKind::kNot:
      return !Evaluate(expr.children[0], input);
    case ExprKind::kLeaf:
      return EvaluateLeaf(expr, input);
  }
  return false;
}

std::vector<std::string> CollectStrings(const EvalInput& input, const std::string& field) {
  Expr leaf;
  leaf.field = field;
  for (auto seg : Split(field, '.')) leaf.segments.emplace_back(seg);
  leaf.view_slot = ViewSlotFor(field, LeafOp::kEquals);  // the view's, as a rule's leaf reads it: no DOM
  std::vector<std::string> out;
  auto visit = [&](const Value& v) {
    if (v.type == Value::Type::kString) out.emplace_back(v.text);
    return false;
  };
  VisitField(leaf, input, visit);
  return out;
}

}  // namespace lir
