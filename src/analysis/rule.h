// Detection rules as data: the parsed form of rules/<id>/rule.yaml.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ip_network.h"
#include "core/severity.h"

namespace re2 {
class RE2;
}

namespace lir {

enum class ExprKind { kAll, kAny, kNot, kLeaf };

enum class LeafOp {
  kEquals,          // scalar equality (string, number or bool)
  kIn,              // equals one of a list
  kStartsWith,
  kEndsWith,
  kContains,
  kRegex,           // RE2, partial match
  kExists,          // a non-null value is (true) or is not (false) at the path
  kHasKey,          // the object at the path has one of these keys
  kForeignAccount,  // an ARN or account id that is not the event's own account
  kAnyItem,         // some object at the path satisfies children[0], its fields read from the object
  kSomeNotIn,       // some value at the path is none of these (not + in: no value is one of them)
  kCidr,            // an IP address inside one of these CIDR blocks (IPv4 or IPv6)
  kFieldRef,        // equals a value found at another path of the same record (Sigma's fieldref)
};

struct Literal {
  enum class Type { kString, kNumber, kBool } type = Type::kString;
  std::string text;   // for strings; also the original text of numbers
  double number = 0;
  bool boolean = false;
};

struct Expr {
  ExprKind kind = ExprKind::kLeaf;
  std::vector<Expr> children;  // kAll, kAny; kNot and a kAnyItem leaf have exactly one
  // Leaf
  std::string field;                  // dotted path into the record, or @virtual
  std::vector<std::string> segments;  // field split on '.'
  int view_slot = -1;                 // >= 0: read from EventView (see expr_eval.cpp), not the DOM
  LeafOp op = LeafOp::kEquals;
  std::vector<Literal> values;        // one for most ops, several for kIn / list forms
  bool nocase = false;
  std::shared_ptr<re2::RE2> regex;
  std::vector<std::string> ref_segments;  // kFieldRef: the other path, split on '.'
  std::vector<IpNetwork> networks;        // kCidr, parsed from values
  // String operators also read an object as its JSON text (Sigma's `requestParameters|contains`:
  // SIEMs hold the field as text).
  bool objects_as_text = false;
};

// Conditions that need the whole scan, checked after it.
struct RuleContext {
  std::string lambda_role_field;       // value at this path must name a known Lambda role
  std::optional<bool> actor_is_lambda_role;          // issuer role runs some function
  std::optional<bool> actor_role_runs_in_lambda;     // ...and was seen calling from a Lambda runtime
  std::optional<int64_t> new_principal_min_history_ms;  // actor absent for this long first
  bool suspect_actor = false;  // the caller is a suspect: named by a high or critical finding
};

// How a match's severity follows from what is around it (see docs/rules.md).
struct SeverityContext {
  std::optional<Severity> routine;  // by a usual deployer of the resource, from a familiar client
  struct Escalation {
    Severity severity = Severity::kInfo;
    Expr when;
    std::string why;  // told in the finding: "grants Action *"
  };
  std::vector<Escalation> escalate;  // the highest whose condition holds raises the severity
};

// Which matches of a rule form one finding.
enum class Grouping { kEvent, kActor, kActorResource };

struct Threshold {
  std::string group_by;   // field path or @virtual
  int64_t window_ms = 0;
  int count = 0;
};

struct Rule {
  std::string id;
  std::string title;
  Severity severity = Severity::kInfo;
  std::string description;
  std::vector<std::string> mitre;
  std::vector<std::string> references;
  std::string remediation;
  std::vector<std::string> resource_fields;  // paths naming the resource, the first found wins
  Expr match;
  std::string category;         // persistence, defense_evasion, ... (docs/rules.md)
  RuleContext context;
  SeverityContext severity_context;
  Grouping grouping = Grouping::kEvent;
  std::optional<Threshold> threshold;
  std::string origin;  // "embedded" or the rule file's path
  // A SigmaHQ-format rule: its id (a UUID) and author, which the Detection Rule License asks
  // every finding to keep. Empty for lambda-ir's own rules.
  std::string sigma_id;
  std::string author;

  bool is_sigma() const { return !sigma_id.empty(); }

  bool needs_context() const {
    return !context.lambda_role_field.empty() || context.actor_is_lambda_role.has_value() ||
           context.actor_role_runs_in_lambda.has_value() ||
           context.new_principal_min_history_ms.has_value() || context.suspect_actor;
  }
};

}  // namespace lir
