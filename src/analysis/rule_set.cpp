#include "analysis/rule_set.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <re2/re2.h>
#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include "core/embedded_files.h"
#include "analysis/expr_eval.h"
#include "analysis/leaf_compile.h"
#include "analysis/rule_yaml_guard.h"
#include "core/strings.h"
#include "core/time.h"

namespace lir {
namespace {

const std::set<std::string> kTopLevelKeys = {
    "id", "title", "severity", "description", "mitre", "references", "remediation",
    "match", "context", "threshold", "resource", "author", "notes", "category", "severity_context", "group"};

const std::set<std::string> kCategories = {
    "initial_access", "execution", "persistence", "privilege_escalation", "defense_evasion",
    "credential_access", "discovery", "exfiltration", "impact"};

const std::set<std::string> kVirtualFields = {
    "@name", "@success", "@actor", "@function", "@role", "@account", "@mutating", "@session_name"};

struct Linter {
  std::string file;
  std::vector<LintIssue>* issues;
  bool failed = false;

  void Add(const char* id, const char* name, std::string message) {
    issues->push_back({id, name, file, std::move(message)});
    failed = true;
  }
};

std::optional<Literal> ToLiteral(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  Literal lit;
  const std::string& text = node.Scalar();
  lit.text = text;
  // Quoted YAML scalars are strings even when they look like numbers or booleans.
  if (node.Tag() == "!") return lit;
  if (text == "true" || text == "false") {
    lit.type = Literal::Type::kBool;
    lit.boolean = text == "true";
    return lit;
  }
  char* end = nullptr;
  const double d = std::strtod(text.c_str(), &end);
  if (!text.empty() && end == text.c_str() + text.size()) {
    lit.type = Literal::Type::kNumber;
    lit.number = d;
  }
  return lit;
}

const std::map<std::string, LeafOp> kOps = {
    {"equals", LeafOp::kEquals},         {"in", LeafOp::kIn},
    {"startswith", LeafOp::kStartsWith}, {"endswith", LeafOp::kEndsWith},
    {"contains", LeafOp::kContains},     {"regex", LeafOp::kRegex},
    {"exists", LeafOp::kExists},         {"haskey", LeafOp::kHasKey},
    {"foreign_account", LeafOp::kForeignAccount}, {"any_item", LeafOp::kAnyItem},
    {"some_not_in", LeafOp::kSomeNotIn}, {"cidr", LeafOp::kCidr}, {"fieldref", LeafOp::kFieldRef}};

std::optional<Expr> ParseExpr(const YAML::Node& node, const std::string& where, Linter& lint);

std::optional<Expr> ParseList(ExprKind kind, const YAML::Node& node, const std::string& where,
                              Linter& lint) {
  if (!node.IsSequence() || node.size() == 0) {
    lint.Add("L005", "bad-expression", where + ": all/any needs a non-empty list");
    return std::nullopt;
  }
  Expr e;
  e.kind = kind;
  for (size_t i = 0; i < node.size(); ++i) {
    auto child = ParseExpr(node[i], fmt::format("{}[{}]", where, i), lint);
    if (!child) return std::nullopt;
    e.children.push_back(std::move(*child));
  }
  return e;
}

std::optional<Expr> ParseLeaf(const YAML::Node& node, const std::string& where, Linter& lint) {
  Expr e;
  e.kind = ExprKind::kLeaf;
  e.field = node["field"].Scalar();
  if (e.field.empty()) {
    lint.Add("L005", "bad-expression", where + ": empty field");
    return std::nullopt;
  }
  if (e.field[0] == '@' && !kVirtualFields.count(e.field)) {
    lint.Add("L005", "bad-expression", fmt::format("{}: unknown virtual field {}", where, e.field));
    return std::nullopt;
  }
  for (auto seg : Split(e.field, '.')) {
    if (seg.empty()) {
      lint.Add("L005", "bad-expression", fmt::format("{}: empty segment in field {}", where, e.field));
      return std::nullopt;
    }
    e.segments.emplace_back(seg);
  }
  int ops = 0;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.Scalar();
    if (key == "field") continue;
    if (key == "nocase") {
      e.nocase = it->second.as<bool>(false);
      continue;
    }
    auto op = kOps.find(key);
    if (op == kOps.end()) {
      lint.Add("L005", "bad-expression", fmt::format("{}: unknown operator '{}'", where, key));
      return std::nullopt;
    }
    ++ops;
    e.op = op->second;
    const YAML::Node value = it->second;  // a copy: it-> yields a temporary proxy
    if (e.op == LeafOp::kAnyItem) {
      auto item = ParseExpr(value, where + ".any_item", lint);
      if (!item) return std::nullopt;
      e.children.push_back(std::move(*item));
      continue;
    }
    if (value.IsSequence()) {
      if (e.op == LeafOp::kExists || e.op == LeafOp::kForeignAccount) {
        lint.Add("L005", "bad-expression", fmt::format("{}: {} takes true or false", where, key));
        return std::nullopt;
      }
      for (const auto& item : value) {
        auto lit = ToLiteral(item);
        if (!lit) {
          lint.Add("L005", "bad-expression", fmt::format("{}: list items must be scalars", where));
          return std::nullopt;
        }
        e.values.push_back(*lit);
      }
      if (e.values.empty()) {
        lint.Add("L005", "bad-expression", fmt::format("{}: empty list for {}", where, key));
        return std::nullopt;
      }
    } else {
      auto lit = ToLiteral(value);
      if (!lit) {
        lint.Add("L005", "bad-expression", fmt::format("{}: value of {} must be a scalar or list", where, key));
        return std::nullopt;
      }
      if ((e.op == LeafOp::kExists || e.op == LeafOp::kForeignAccount) &&
          lit->type != Literal::Type::kBool) {
        lint.Add("L005", "bad-expression", fmt::format("{}: {} takes true or false", where, key));
        return std::nullopt;
      }
      e.values.push_back(*lit);
    }
  }
  if (ops != 1) {
    lint.Add("L005", "bad-expression",
             fmt::format("{}: a leaf needs exactly one operator, found {}", where, ops));
    return std::nullopt;
  }
  if (auto problem = CompileLeaf(&e)) {
    lint.Add(problem->lint_id, problem->name, fmt::format("{}: {}", where, problem->message));
    return std::nullopt;
  }
  return e;
}

std::optional<Expr> ParseExpr(const YAML::Node& node, const std::string& where, Linter& lint) {
  if (!node.IsMap()) {
    lint.Add("L005", "bad-expression", where + ": expected a mapping");
    return std::nullopt;
  }
  if (node["all"]) return node.size() == 1 ? ParseList(ExprKind::kAll, node["all"], where + ".all", lint)
                                           : (lint.Add("L005", "bad-expression", where + ": 'all' must stand alone"), std::nullopt);
  if (node["any"]) return node.size() == 1 ? ParseList(ExprKind::kAny, node["any"], where + ".any", lint)
                                           : (lint.Add("L005", "bad-expression", where + ": 'any' must stand alone"), std::nullopt);
  if (node["not"]) {
    if (node.size() != 1) {
      lint.Add("L005", "bad-expression", where + ": 'not' must stand alone");
      return std::nullopt;
    }
    auto child = ParseExpr(node["not"], where + ".not", lint);
    if (!child) return std::nullopt;
    Expr e;
    e.kind = ExprKind::kNot;
    e.children.push_back(std::move(*child));
    return e;
  }
  if (node["field"]) return ParseLeaf(node, where, lint);
  lint.Add("L005", "bad-expression", where + ": expected all, any, not or field");
  return std::nullopt;
}

std::vector<std::string> StringList(const YAML::Node& node) {
  std::vector<std::string> out;
  if (!node) return out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (item.IsScalar()) out.push_back(item.Scalar());
    }
  }
  return out;
}

// A rule or check file's YAML, guarded (size, nodes, no aliases) and required to be a mapping.
std::optional<YAML::Node> LoadMapping(const std::string& text, const char* what, Linter& lint) {
  if (const std::string problem = RuleYamlProblem(text); !problem.empty()) {
    lint.Add("L001", "yaml-syntax", problem);
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    lint.Add("L001", "yaml-syntax", e.what());
    return std::nullopt;
  }
  if (!root.IsMap()) {
    lint.Add("L001", "yaml-syntax", fmt::format("the {} file must be a YAML mapping", what));
    return std::nullopt;
  }
  return root;
}

void LintMitre(const std::vector<std::string>& ids, Linter& lint) {
  static const RE2 kMitre("T[0-9]{4}(?:\\.[0-9]{3})?");
  for (const auto& id : ids) {
    if (!RE2::FullMatch(id, kMitre)) lint.Add("L009", "bad-mitre", fmt::format("'{}' is not a technique id", id));
  }
}

void ParseContext(const YAML::Node& node, Rule* rule, Linter& lint) {
  if (!node.IsMap()) {
    lint.Add("L011", "bad-context", "context must be a mapping");
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.Scalar();
    if (key == "lambda_role") {
      rule->context.lambda_role_field = it->second.Scalar();
    } else if (key == "actor_is_lambda_role") {
      rule->context.actor_is_lambda_role = it->second.as<bool>(true);
    } else if (key == "actor_role_runs_in_lambda") {
      rule->context.actor_role_runs_in_lambda = it->second.as<bool>(true);
    } else if (key == "new_principal") {
      auto history = ParseDurationMs(it->second["min_history"].Scalar());
      if (!history) {
        lint.Add("L011", "bad-context", "new_principal.min_history must be a duration such as 24h");
        continue;
      }
      rule->context.new_principal_min_history_ms = *history;
    } else if (key == "suspect_actor") {
      rule->context.suspect_actor = it->second.as<bool>(false);
    } else {
      lint.Add("L011", "bad-context", fmt::format("unknown context key '{}'", key));
    }
  }
}

void ParseSeverityContext(const YAML::Node& node, Rule* rule, Linter& lint) {
  if (!node.IsMap()) {
    lint.Add("L011", "bad-context", "severity_context must be a mapping");
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.Scalar();
    if (key == "routine") {
      auto severity = ParseSeverity(it->second.Scalar());
      if (!severity) {
        lint.Add("L004", "bad-severity", "severity_context.routine is not info|low|medium|high|critical");
        continue;
      }
      rule->severity_context.routine = *severity;
    } else if (key == "escalate") {
      const YAML::Node list = it->second;
      if (!list.IsSequence() || list.size() == 0) {
        lint.Add("L011", "bad-context", "severity_context.escalate must be a non-empty list");
        continue;
      }
      for (size_t i = 0; i < list.size(); ++i) {
        const std::string where = fmt::format("severity_context.escalate[{}]", i);
        auto severity = list[i]["severity"] ? ParseSeverity(list[i]["severity"].Scalar()) : std::nullopt;
        const bool has_why = static_cast<bool>(list[i]["why"]);
        if (!severity || !list[i]["when"] || list[i].size() != (has_why ? 3u : 2u)) {
          lint.Add("L011", "bad-context", where + " needs severity, when and an optional why");
          continue;
        }
        auto when = ParseExpr(list[i]["when"], where + ".when", lint);
        if (when) {
          rule->severity_context.escalate.push_back(
              {*severity, std::move(*when), has_why ? list[i]["why"].Scalar() : std::string()});
        }
      }
    } else {
      lint.Add("L011", "bad-context", fmt::format("unknown severity_context key '{}'", key));
    }
  }
}

void ParseThreshold(const YAML::Node& node, Rule* rule, Linter& lint) {
  Threshold t;
  t.group_by = node["group_by"] ? node["group_by"].Scalar() : "";
  auto window = node["window"] ? ParseDurationMs(node["window"].Scalar()) : std::nullopt;
  t.count = node["count"] ? node["count"].as<int>(0) : 0;
  if (t.group_by.empty() || !window || t.count < 2) {
    lint.Add("L011", "bad-context", "threshold needs group_by, window (e.g. 10m) and count >= 2");
    return;
  }
  if (t.group_by[0] == '@' && !kVirtualFields.count(t.group_by)) {
    lint.Add("L011", "bad-context", "threshold.group_by names an unknown virtual field");
    return;
  }
  t.window_ms = *window;
  rule->threshold = t;
}

}  // namespace

std::optional<Rule> ParseRule(const std::string& yaml_text, const std::string& folder,
                              const std::string& file, std::vector<LintIssue>* issues) {
  Linter lint{file, issues};
  const std::optional<YAML::Node> loaded = LoadMapping(yaml_text, "rule", lint);
  if (!loaded) return std::nullopt;
  const YAML::Node& root = *loaded;
  try {
    for (auto it = root.begin(); it != root.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (!kTopLevelKeys.count(key)) lint.Add("L008", "unknown-key", fmt::format("unknown key '{}'", key));
    }
    for (const char* key : {"id", "title", "severity", "description", "remediation", "match"}) {
      if (!root[key]) lint.Add("L003", "missing-field", fmt::format("missing '{}'", key));
    }
    if (lint.failed) return std::nullopt;
    Rule rule;
    rule.id = root["id"].Scalar();
    if (rule.id != folder) {
      lint.Add("L002", "id-mismatch", fmt::format("id '{}' differs from its folder '{}'", rule.id, folder));
    }
    static const RE2 kName("[a-z0-9]+(?:_[a-z0-9]+)+");
    if (!RE2::FullMatch(rule.id, kName)) {
      lint.Add("L007", "bad-name", fmt::format("id '{}' is not snake_case with two or more words", rule.id));
    }
    rule.title = root["title"].Scalar();
    rule.description = Trim(root["description"].Scalar());
    rule.remediation = Trim(root["remediation"].Scalar());
    auto severity = ParseSeverity(root["severity"].Scalar());
    if (!severity) {
      lint.Add("L004", "bad-severity",
               fmt::format("severity '{}' is not info|low|medium|high|critical", root["severity"].Scalar()));
    } else {
      rule.severity = *severity;
    }
    rule.mitre = StringList(root["mitre"]);
    LintMitre(rule.mitre, lint);
    rule.references = StringList(root["references"]);
    rule.resource_fields = StringList(root["resource"]);
    auto match = ParseExpr(root["match"], "match", lint);
    if (match) rule.match = std::move(*match);
    if (root["context"]) ParseContext(root["context"], &rule, lint);
    if (root["threshold"]) ParseThreshold(root["threshold"], &rule, lint);
    if (root["severity_context"]) ParseSeverityContext(root["severity_context"], &rule, lint);
    if (root["category"]) {
      rule.category = root["category"].Scalar();
      if (!kCategories.count(rule.category)) {
        lint.Add("L011", "bad-context", fmt::format("category '{}' is not one of {}", rule.category,
                                                    fmt::join(kCategories, ", ")));
      }
    }
    // Matches of a new principal or a suspect are told once per actor (and resource).
    if (rule.context.new_principal_min_history_ms) rule.grouping = Grouping::kActor;
    if (rule.context.suspect_actor) rule.grouping = Grouping::kActorResource;
    if (root["group"]) {
      const std::string group = root["group"].Scalar();
      if (group == "event") {
        rule.grouping = Grouping::kEvent;
      } else if (group == "actor") {
        rule.grouping = Grouping::kActor;
      } else if (group == "actor_resource") {
        rule.grouping = Grouping::kActorResource;
      } else {
        lint.Add("L011", "bad-context", fmt::format("group '{}' is not event, actor or actor_resource", group));
      }
    }
    if (rule.threshold && (rule.grouping != Grouping::kEvent || !rule.severity_context.escalate.empty() ||
                           rule.severity_context.routine)) {
      lint.Add("L011", "bad-context", "a threshold rule groups by its own key and takes no severity_context");
    }
    if (lint.failed) return std::nullopt;
    return rule;
  } catch (const YAML::Exception& e) {
    lint.Add("L001", "yaml-syntax", e.what());
    return std::nullopt;
  }
}

const std::set<std::string> kCheckKeys = {"id",          "evidence",   "title",          "severity",
                                          "category",    "mitre",      "description",    "remediation",
                                          "implemented_in", "references", "controls", "harden"};
const std::set<std::string> kEvidenceKinds = {"configuration", "package", "logs", "metrics", "posture"};
// Security Hub's Lambda controls a check answers, and the fixes `harden` knows.
const std::set<std::string> kSecurityHubControls = {"Lambda.1", "Lambda.2", "Lambda.3", "Lambda.5"};
const std::set<std::string> kHardenFixes = {"code-signing", "own-role", "url-auth", "resource-policy", "data-events", "dlq"};

std::optional<CaseCheck> ParseCaseCheck(const std::string& yaml_text, const std::string& folder,
                                        const std::string& file, std::vector<LintIssue>* issues) {
  Linter lint{file, issues};
  const std::optional<YAML::Node> loaded = LoadMapping(yaml_text, "check", lint);
  if (!loaded) return std::nullopt;
  const YAML::Node& root = *loaded;
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!kCheckKeys.count(it->first.Scalar())) {
      lint.Add("L008", "unknown-key", fmt::format("unknown key '{}'", it->first.Scalar()));
    }
  }
  for (const char* key : {"id", "evidence", "title", "severity", "category", "description", "remediation", "implemented_in"}) {
    if (!root[key] || !root[key].IsScalar()) lint.Add("L003", "missing-field", fmt::format("missing '{}'", key));
  }
  if (lint.failed) return std::nullopt;
  CaseCheck check;
  check.id = root["id"].Scalar();
  check.origin = file;
  if (check.id != folder) lint.Add("L002", "id-mismatch", fmt::format("id '{}' differs from its folder '{}'", check.id, folder));
  check.evidence = root["evidence"].Scalar();
  if (!kEvidenceKinds.count(check.evidence)) {
    lint.Add("L011", "bad-context", fmt::format("evidence '{}' is not one of {}", check.evidence, fmt::join(kEvidenceKinds, ", ")));
  }
  check.title = root["title"].Scalar();
  if (auto severity = ParseSeverity(root["severity"].Scalar())) {
    check.severity = *severity;
  } else {
    lint.Add("L004", "bad-severity", fmt::format("severity '{}' is not info|low|medium|high|critical", root["severity"].Scalar()));
  }
  check.category = root["category"].Scalar();
  if (!kCategories.count(check.category)) {
    lint.Add("L011", "bad-context", fmt::format("category '{}' is not one of {}", check.category, fmt::join(kCategories, ", ")));
  }
  check.mitre = StringList(root["mitre"]);
  LintMitre(check.mitre, lint);
  check.description = Trim(root["description"].Scalar());
  check.remediation = Trim(root["remediation"].Scalar());
  check.implemented_in = root["implemented_in"].Scalar();
  check.controls = StringList(root["controls"]);
  for (const std::string& control : check.controls) {
    if (!kSecurityHubControls.count(control)) {
      lint.Add("L011", "bad-context", fmt::format("control '{}' is not one of {}", control, fmt::join(kSecurityHubControls, ", ")));
    }
  }
  if (root["harden"]) {
    check.harden = root["harden"].Scalar();
    if (!kHardenFixes.count(check.harden)) {
      lint.Add("L011", "bad-context", fmt::format("harden '{}' is not one of {}", check.harden, fmt::join(kHardenFixes, ", ")));
    }
  }
  if (lint.failed) return std::nullopt;
  return check;
}

void RuleSet::AddOrReplace(LoadedRule rule) {
  auto existing = std::find_if(rules.begin(), rules.end(), [&](const LoadedRule& l) { return l.rule.id == rule.rule.id; });
  if (existing != rules.end()) {
    *existing = std::move(rule);
  } else {
    rules.push_back(std::move(rule));
  }
}

std::vector<Rule> RuleSet::Rules() const {
  std::vector<Rule> out;
  out.reserve(rules.size());
  for (const auto& r : rules) out.push_back(r.rule);
  return out;
}

namespace {

struct RawRule {
  std::string folder;
  std::string file;
  std::string yaml;
  std::vector<RuleTestCase> tests;
};

void CheckTestEvent(const RuleTestCase& test, std::vector<LintIssue>* issues) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(test.content).get(doc) != simdjson::SUCCESS) {
    issues->push_back({"L012", "bad-test-event", test.file, "test event is not valid JSON"});
  }
}

void AddRawRules(std::map<std::string, RawRule>& raw, RuleSet* set) {
  for (auto& [folder, r] : raw) {
    const size_t before = set->issues.size();
    auto rule = ParseRule(r.yaml, folder, r.file, &set->issues);
    const bool has_match = std::any_of(r.tests.begin(), r.tests.end(), [](auto& t) { return t.expect_match; });
    const bool has_nomatch = std::any_of(r.tests.begin(), r.tests.end(), [](auto& t) { return !t.expect_match; });
    if (!has_match || !has_nomatch) {
      set->issues.push_back({"L010", "missing-tests", r.file,
                             "tests/match and tests/nomatch must each hold at least one .json event"});
    }
    for (const auto& t : r.tests) CheckTestEvent(t, &set->issues);
    if (!rule || set->issues.size() != before) continue;
    rule->origin = r.file;
    set->AddOrReplace(LoadedRule{std::move(*rule), std::move(r.tests)});
  }
}

// Sorts a path "<rule>/rule.yaml" or "<rule>/tests/(match|nomatch)/<x>.json" into `raw`.
// Embedded trees also hold "<check>/check.yaml" (collected in `checks`).
void Classify(const std::string& rel, std::string content, const std::string& display,
              std::map<std::string, RawRule>& raw,
              std::map<std::string, std::pair<std::string, std::string>>* checks = nullptr) {
  const auto parts = Split(rel, '/');
  if (parts.size() == 2 && parts[1] == "check.yaml" && checks != nullptr) {
    (*checks)[std::string(parts[0])] = {display, std::move(content)};
  } else if (parts.size() == 2 && parts[1] == "rule.yaml") {
    RawRule& r = raw[std::string(parts[0])];
    r.folder = parts[0];
    r.file = display;
    r.yaml = std::move(content);
  } else if (parts.size() == 4 && parts[1] == "tests" && (parts[2] == "match" || parts[2] == "nomatch") &&
             rel.size() > 5 && rel.substr(rel.size() - 5) == ".json") {
    RawRule& r = raw[std::string(parts[0])];
    r.tests.push_back({display, std::move(content), parts[2] == "match"});
  }
}

}  // namespace

RuleSet LoadEmbeddedRules() {
  std::map<std::string, RawRule> raw;
  std::map<std::string, std::pair<std::string, std::string>> checks;  // folder -> (file, yaml)
  for (const EmbeddedFile& f : lir_embedded_rules()) {
    Classify(f.path, std::string(f.content), std::string("rules/") + f.path, raw, &checks);
  }
  RuleSet set;
  AddRawRules(raw, &set);
  for (const auto& [folder, check] : checks) {
    if (raw.count(folder)) {
      set.issues.push_back({"L013", "duplicate-id", check.first, "the folder holds both rule.yaml and check.yaml"});
      continue;
    }
    if (auto parsed = ParseCaseCheck(check.second, folder, check.first, &set.issues)) set.checks.push_back(std::move(*parsed));
  }
  return set;
}

const CaseCheck* FillFromCaseCheck(Finding& finding) {
  const CaseCheck* check = FindCaseCheck(finding.rule_id);
  if (check != nullptr) {
    if (finding.category.empty()) finding.category = check->category;
    if (finding.mitre.empty()) finding.mitre = check->mitre;
  }
  return check;
}

const CaseCheck* FindCaseCheck(const std::string& id) {
  static const std::vector<CaseCheck> checks = LoadEmbeddedRules().checks;
  for (const CaseCheck& c : checks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

constexpr uintmax_t kMaxRuleDirFileBytes = uintmax_t{4} * 1024 * 1024;

void AddRulesFromDirectory(const std::string& dir, RuleSet* set) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    set->issues.push_back({"L003", "missing-field", dir, "--rules directory does not exist"});
    return;
  }
  std::map<std::string, RawRule> raw;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory(ec)) continue;
    const std::string rel = fs::relative(it->path(), dir, ec).generic_string();
    if (!it->is_regular_file(ec)) {
      set->issues.push_back({"L014", "unsafe-file", it->path().string(), "not a regular file: not read"});
      continue;
    }
    if (const auto size = it->file_size(ec); ec || size > kMaxRuleDirFileBytes) {
      set->issues.push_back({"L014", "unsafe-file", it->path().string(),
                             fmt::format("larger than {} bytes: not read", kMaxRuleDirFileBytes)});
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Classify(rel, buffer.str(), it->path().string(), raw);
  }
  for (auto& [folder, r] : raw) {
    if (r.yaml.empty() && r.file.empty()) {
      set->issues.push_back({"L003", "missing-field", fmt::format("{}/{}", dir, folder), "folder has tests but no rule.yaml"});
    }
  }
  std::erase_if(raw, [](const auto& kv) { return kv.second.file.empty(); });
  AddRawRules(raw, set);
}

}  // namespace lir
