#include "analysis/sigma_rule.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include "analysis/rule_yaml_guard.h"
#include "analysis/sigma_condition.h"
#include "analysis/sigma_field.h"
#include "core/embedded_files.h"
#include "core/strings.h"

namespace lir {
namespace {

constexpr const char* kSigmaSite = "https://github.com/SigmaHQ/sigma";

// Sigma levels, with "informational" for our info.
std::optional<Severity> LevelOf(const std::string& level) {
  if (level == "informational") return Severity::kInfo;
  return ParseSeverity(level);
}

// sigma_<file stem>, lower-case snake: stable across runs and readable in `rules list`.
std::string RuleIdFor(const std::string& file) {
  std::string stem = std::filesystem::path(file).stem().string();
  std::string id = "sigma_";
  for (char c : stem) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool word = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
    if (word) {
      id += lower;
    } else if (id.back() != '_') {
      id += '_';
    }
  }
  while (id.back() == '_') id.pop_back();
  return id;
}

const std::map<std::string, std::string> kTacticCategories = {
    {"attack.initial-access", "initial_access"},       {"attack.execution", "execution"},
    {"attack.persistence", "persistence"},             {"attack.privilege-escalation", "privilege_escalation"},
    {"attack.defense-evasion", "defense_evasion"},     {"attack.credential-access", "credential_access"},
    {"attack.discovery", "discovery"},                 {"attack.exfiltration", "exfiltration"},
    {"attack.impact", "impact"}};

void ReadTags(const YAML::Node& tags, Rule* rule) {
  if (!tags || !tags.IsSequence()) return;
  static const RE2 kTechnique("attack\\.(t[0-9]{4}(?:\\.[0-9]{3})?)");
  for (const auto& tag : tags) {
    if (!tag.IsScalar()) continue;
    const std::string text = ToLower(tag.Scalar());
    std::string technique;
    if (RE2::FullMatch(text, kTechnique, &technique)) {
      rule->mitre.push_back("T" + technique.substr(1));
    } else if (auto category = kTacticCategories.find(text); category != kTacticCategories.end() &&
                                                           rule->category.empty()) {
      rule->category = category->second;
    }
  }
}

std::string JoinScalars(const YAML::Node& node, const char* separator) {
  std::string out;
  if (node && node.IsScalar()) return node.Scalar();
  if (!node || !node.IsSequence()) return out;
  for (const auto& item : node) {
    if (!item.IsScalar()) continue;
    if (!out.empty()) out += separator;
    out += item.Scalar();
  }
  return out;
}

// yaml-cpp keeps the first of two equal keys, PyYAML (sigma-cli) the last: a rule read two
// ways is refused instead. Returns the repeated key, or empty.
std::string DuplicateKey(const YAML::Node& map) {
  std::set<std::string> keys;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && !keys.insert(it->first.Scalar()).second) return it->first.Scalar();
  }
  return {};
}

// One named detection item: a map (all of its fields) or a list of maps (any of them).
std::optional<Expr> CompileItem(const YAML::Node& node, std::string* error) {
  auto compile_map = [&](const YAML::Node& map) -> std::optional<Expr> {
    if (map.size() == 0) {
      *error = "an empty selection";
      return std::nullopt;
    }
    if (const std::string key = DuplicateKey(map); !key.empty()) {
      *error = fmt::format("field '{}' given twice", key);
      return std::nullopt;
    }
    Expr all;
    all.kind = ExprKind::kAll;
    for (auto it = map.begin(); it != map.end(); ++it) {
      auto field = CompileSigmaField(it->first.Scalar(), it->second, error);
      if (!field) return std::nullopt;
      all.children.push_back(std::move(*field));
    }
    if (all.children.size() == 1) return std::move(all.children[0]);
    return all;
  };
  if (node.IsMap()) return compile_map(node);
  if (node.IsSequence() && node.size() > 0) {
    Expr any;
    any.kind = ExprKind::kAny;
    for (const auto& item : node) {
      if (!item.IsMap()) {
        *error = "keyword lists (a search of the whole record for values) are not supported; name the field";
        return std::nullopt;
      }
      auto child = compile_map(item);
      if (!child) return std::nullopt;
      any.children.push_back(std::move(*child));
    }
    if (any.children.size() == 1) return std::move(any.children[0]);
    return any;
  }
  *error = "a detection item must be a map or a list of maps";
  return std::nullopt;
}

// all-in-all and any-in-any flattened, so the engine's prefilter sees the rule's
// eventSource and eventName among the top-level conditions.
void Flatten(Expr* e) {
  for (Expr& child : e->children) Flatten(&child);
  if (e->kind != ExprKind::kAll && e->kind != ExprKind::kAny) return;
  std::vector<Expr> flat;
  for (Expr& child : e->children) {
    if (child.kind == e->kind) {
      for (Expr& grandchild : child.children) flat.push_back(std::move(grandchild));
    } else {
      flat.push_back(std::move(child));
    }
  }
  e->children = std::move(flat);
}

std::optional<Expr> CompileDetection(const YAML::Node& detection, std::string* error) {
  if (!detection.IsMap()) {
    *error = "detection must be a mapping";
    return std::nullopt;
  }
  if (const std::string key = DuplicateKey(detection); !key.empty()) {
    *error = fmt::format("detection item '{}' given twice", key);
    return std::nullopt;
  }
  std::map<std::string, Expr> items;
  YAML::Node condition;
  bool timeframe = false;
  for (auto it = detection.begin(); it != detection.end(); ++it) {
    const std::string name = it->first.Scalar();
    if (name == "condition") {
      condition = it->second;
      continue;
    }
    if (name == "timeframe") {
      timeframe = true;
      continue;
    }
    auto item = CompileItem(it->second, error);
    if (!item) {
      *error = fmt::format("{}: {}", name, *error);
      return std::nullopt;
    }
    items.emplace(name, std::move(*item));
  }
  if (!condition || (!condition.IsScalar() && !condition.IsSequence())) {
    *error = "detection has no condition";
    return std::nullopt;
  }
  std::vector<Expr> alternatives;  // a list of conditions: any of them
  for (const auto& text : condition.IsSequence() ? condition : YAML::Node(std::vector<YAML::Node>{condition})) {
    if (!text.IsScalar()) {
      *error = "a condition must be text";
      return std::nullopt;
    }
    auto expr = ParseSigmaCondition(text.Scalar(), items, error);
    if (!expr) {
      *error = fmt::format("condition '{}': {}", text.Scalar(), *error);
      return std::nullopt;
    }
    alternatives.push_back(std::move(*expr));
  }
  if (timeframe) {
    *error = "timeframe (a window for counting matches) is not supported";
    return std::nullopt;
  }
  Expr match;
  if (alternatives.size() == 1) {
    match = std::move(alternatives[0]);
  } else {
    match.kind = ExprKind::kAny;
    match.children = std::move(alternatives);
  }
  Flatten(&match);
  return match;
}

std::optional<Rule> Build(const YAML::Node& root, const std::string& file, std::vector<LintIssue>* issues,
                          SigmaLoadStats* stats) {
  auto unsupported = [&](std::string message) -> std::optional<Rule> {
    issues->push_back({"L015", "sigma-unsupported", file, std::move(message)});
    ++stats->unsupported;
    return std::nullopt;
  };
  if (!root.IsMap()) return unsupported("not a Sigma rule: the file is not a YAML mapping");
  if (const std::string key = DuplicateKey(root); !key.empty()) return unsupported(fmt::format("key '{}' given twice", key));
  if (root["correlation"] || (root["type"] && root["type"].IsScalar() && root["type"].Scalar() == "correlation")) {
    return unsupported("correlation rules are not supported");
  }
  const YAML::Node logsource = root["logsource"];
  const auto logsource_value = [&](const char* key) {
    return logsource && logsource.IsMap() && logsource[key] && logsource[key].IsScalar() ? ToLower(logsource[key].Scalar())
                                                                                      : std::string();
  };
  if (logsource_value("product") != "aws" || logsource_value("service") != "cloudtrail") {
    ++stats->other_logsource;
    return std::nullopt;
  }
  for (const char* key : {"title", "detection"}) {
    if (!root[key]) return unsupported(fmt::format("not a Sigma rule: missing '{}'", key));
  }
  for (const char* key : {"title", "id", "level", "author", "status", "description"}) {
    if (root[key] && !root[key].IsScalar()) return unsupported(fmt::format("'{}' must be text", key));
  }
  Rule rule;
  rule.id = RuleIdFor(file);
  rule.sigma_id = root["id"] && root["id"].IsScalar() ? root["id"].Scalar() : "(no id)";
  rule.author = root["author"] && root["author"].IsScalar() ? root["author"].Scalar() : "(no author given)";
  rule.title = "Sigma: " + root["title"].Scalar();
  const std::string level = root["level"] && root["level"].IsScalar() ? ToLower(root["level"].Scalar()) : "medium";
  const auto severity = LevelOf(level);
  if (!severity) return unsupported(fmt::format("level '{}' is not informational|low|medium|high|critical", level));
  rule.severity = *severity;
  const std::string description =
      root["description"] && root["description"].IsScalar() ? std::string(Trim(root["description"].Scalar())) : "";
  // The Detection Rule License asks every use to keep the author and a link to the rule set.
  rule.description = fmt::format("{}{}Sigma rule {} by {} (Detection Rule License 1.1, {}).", description,
                                 description.empty() ? "" : " ", rule.sigma_id, rule.author, kSigmaSite);
  const std::string false_positives = JoinScalars(root["falsepositives"], "; ");
  rule.remediation = false_positives.empty()
                         ? "Review the matching events and the caller's other activity."
                         : "Review the matching events and the caller's other activity. Known false positives: " +
                               false_positives;
  if (root["references"] && root["references"].IsSequence()) {
    for (const auto& r : root["references"]) {
      if (r.IsScalar()) rule.references.push_back(r.Scalar());
    }
  }
  ReadTags(root["tags"], &rule);
  std::string error;
  auto match = CompileDetection(root["detection"], &error);
  if (!match) return unsupported(error);
  const std::string status = root["status"] && root["status"].IsScalar() ? root["status"].Scalar() : "";
  if (status == "deprecated" || status == "unsupported") {
    return unsupported(fmt::format("status '{}': SigmaHQ no longer maintains it", status));
  }
  rule.match = std::move(*match);
  // One finding per rule and caller: Sigma rules have no notion of a resource, and some
  // (AssumeRole by a role) match every call a role makes.
  rule.grouping = Grouping::kActor;
  rule.origin = file;
  ++stats->loaded;
  return rule;
}

bool IsSigmaFileName(const std::string& name) {
  return name.size() > 4 && (name.ends_with(".yml") || name.ends_with(".yaml"));
}

}  // namespace

std::optional<Rule> ParseSigmaRule(const std::string& yaml_text, const std::string& file,
                                   std::vector<LintIssue>* issues, SigmaLoadStats* stats) {
  if (const std::string problem = RuleYamlProblem(yaml_text); !problem.empty()) {
    issues->push_back({"L001", "yaml-syntax", file, problem});
    ++stats->unsupported;
    return std::nullopt;
  }
  try {
    const std::vector<YAML::Node> documents = YAML::LoadAll(yaml_text);
    if (documents.size() > 1) {
      issues->push_back({"L015", "sigma-unsupported", file,
                         fmt::format("{} YAML documents in one file (a Sigma rule collection) are not supported; "
                                     "give each rule its own file", documents.size())});
      ++stats->unsupported;
      return std::nullopt;
    }
    return Build(documents.empty() ? YAML::Node() : documents[0], file, issues, stats);
  } catch (const YAML::Exception& e) {
    issues->push_back({"L001", "yaml-syntax", file, e.what()});
    ++stats->unsupported;
    return std::nullopt;
  }
}

SigmaLoadStats AddEmbeddedSigmaRules(RuleSet* set) {
  SigmaLoadStats stats;
  for (const EmbeddedFile& f : lir_embedded_sigma()) {
    if (!IsSigmaFileName(f.path)) continue;
    auto rule = ParseSigmaRule(std::string(f.content), std::string("sigma/") + f.path, &set->issues, &stats);
    if (rule) set->AddOrReplace(LoadedRule{std::move(*rule), {}});
  }
  return stats;
}

SigmaLoadStats AddSigmaRulesFromDirectory(const std::string& dir, RuleSet* set) {
  namespace fs = std::filesystem;
  SigmaLoadStats stats;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    set->issues.push_back({"L003", "missing-field", dir, "--sigma directory does not exist"});
    return stats;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec) && IsSigmaFileName(it->path().filename().string())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());  // one order on every machine
  std::map<std::string, std::string> loaded;  // rule id -> the file it came from, in this directory
  for (const fs::path& path : files) {
    if (const auto size = fs::file_size(path, ec); ec || size > kMaxRuleFileBytes) {
      set->issues.push_back({"L014", "unsafe-file", path.string(),
                             fmt::format("larger than {} bytes: not read", kMaxRuleFileBytes)});
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto rule = ParseSigmaRule(buffer.str(), path.string(), &set->issues, &stats);
    if (!rule) continue;
    // Ids come from file names: two files of one name in two folders would replace each other.
    if (auto [it, fresh] = loaded.emplace(rule->id, path.string()); !fresh) {
      set->issues.push_back({"L013", "duplicate-id", path.string(),
                             fmt::format("same rule id {} as {}: rename one of the files", rule->id, it->second)});
      --stats.loaded;
      ++stats.unsupported;
      continue;
    }
    set->AddOrReplace(LoadedRule{std::move(*rule), {}});
  }
  return stats;
}

}  // namespace lir
