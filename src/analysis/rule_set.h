// Loading rules from the embedded tree and from --rules directories, with lint.
#pragma once

#include <string>
#include <vector>

#include "analysis/finding.h"
#include "analysis/rule.h"

namespace lir {

// Stable lint ids: scripts and CI may match on them.
//   L001 yaml-syntax      the rule file is not valid YAML
//   L002 id-mismatch      `id` differs from the folder name
//   L003 missing-field    a required key (id, title, severity, description, remediation, match) is absent
//   L004 bad-severity     severity is not info|low|medium|high|critical
//   L005 bad-expression   a match node is malformed or uses an unknown operator or virtual field
//   L006 bad-regex        a regex does not compile under RE2
//   L007 bad-name         the id is not snake_case with at least two words
//   L008 unknown-key      an unknown top-level key (typos silently disable logic otherwise)
//   L009 bad-mitre        a MITRE id is not Tnnnn or Tnnnn.nnn
//   L010 missing-tests    tests/match and tests/nomatch must each hold at least one .json
//   L011 bad-context      a context, threshold or severity_context block, a category or a group is malformed
//   L012 bad-test-event   a test file is not valid JSON
//   L013 duplicate-id     the same id is defined twice in one source
//   L014 unsafe-file      a file in a rule directory is not a regular file or is too large
//   L015 sigma-unsupported a Sigma rule uses a construct the compiler does not support (named)
struct LintIssue {
  std::string lint_id;  // "L003"
  std::string name;     // "missing-field"
  std::string file;
  std::string message;
};

struct RuleTestCase {
  std::string file;     // "<rule>/tests/match/x.json"
  std::string content;
  bool expect_match;
};

struct LoadedRule {
  Rule rule;
  std::vector<RuleTestCase> tests;
};

// A check on case evidence written in C++ (configuration, package, logs, metrics): its
// metadata, from rules/<id>/check.yaml, so that `rules list`, lint, docs and reports cover
// every check like the CloudTrail rules.
struct CaseCheck {
  std::string id;
  std::string title;
  Severity severity = Severity::kInfo;  // the highest it reports
  std::string category;
  std::vector<std::string> mitre;
  std::string description;
  std::string remediation;
  std::string evidence;        // configuration | package | logs | metrics | posture (audit only)
  std::string implemented_in;  // the source file
  std::vector<std::string> controls;  // AWS Security Hub controls it answers (Lambda.1 ...)
  std::string harden;                 // the `harden --fixes` name that fixes it, if any
  std::string origin;          // rules/<id>/check.yaml
};

struct RuleSet {
  std::vector<LoadedRule> rules;
  std::vector<CaseCheck> checks;  // embedded only
  std::vector<LintIssue> issues;

  std::vector<Rule> Rules() const;
  // A rule whose id is already present replaces it (responders tune shipped rules so).
  void AddOrReplace(LoadedRule rule);
};

// One rule from YAML text; `folder` is the rule's folder name. Lint issues are appended.
std::optional<Rule> ParseRule(const std::string& yaml_text, const std::string& folder,
                              const std::string& file, std::vector<LintIssue>* issues);

// One check's metadata from YAML text; lint issues are appended.
std::optional<CaseCheck> ParseCaseCheck(const std::string& yaml_text, const std::string& folder,
                                        const std::string& file, std::vector<LintIssue>* issues);

// The rules compiled into the binary, with the case checks' metadata.
RuleSet LoadEmbeddedRules();

// The embedded metadata of a case check, or null for an id without any.
const CaseCheck* FindCaseCheck(const std::string& id);
// A check's finding completed from its metadata (category and ATT&CK where the C++ left them
// out); the metadata, or null.
const CaseCheck* FillFromCaseCheck(Finding& finding);
// Adds the rules of a directory laid out as <dir>/<rule_id>/rule.yaml (+ tests/). A rule
// whose id is already present replaces it: responders tune shipped rules this way.
void AddRulesFromDirectory(const std::string& dir, RuleSet* set);

}  // namespace lir
