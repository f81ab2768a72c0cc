// Rules as data: the shipped set loads clean and passes its own samples; each kind of
// malformed rule is refused with its stable lint id; the expression language behaves.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <re2/re2.h>

#include "analysis/engine.h"
#include "analysis/rule_prefilter.h"
#include "analysis/rule_set.h"
#include "analysis/rule_tests.h"
#include "test_support.h"

namespace lir {
namespace {

TEST(Rules, ShippedRulesLoadCleanAndPassTheirSamples) {
  const RuleSet set = LoadEmbeddedRules();
  for (const auto& issue : set.issues) ADD_FAILURE() << issue.file << ": " << issue.lint_id << " " << issue.message;
  EXPECT_GE(set.rules.size(), 20u);
  size_t tests = 0;
  for (const auto& r : RunRuleTests(set)) {
    ++tests;
    EXPECT_TRUE(r.passed) << r.rule_id << " " << r.file << ": " << r.detail;
  }
  EXPECT_GE(tests, 2 * set.rules.size());
}

const char* kValid = R"(id: lambda_test_rule
title: T
severity: high
description: D
remediation: R
match:
  field: eventName
  equals: X
)";

std::vector<std::string> LintIds(const std::string& yaml, const std::string& folder = "lambda_test_rule") {
  std::vector<LintIssue> issues;
  ParseRule(yaml, folder, "rule.yaml", &issues);
  std::vector<std::string> ids;
  for (const auto& i : issues) ids.push_back(i.lint_id);
  return ids;
}

std::string With(std::string base, const std::string& from, const std::string& to) {
  const size_t at = base.find(from);
  return at == std::string::npos ? base : base.replace(at, from.size(), to);
}

TEST(RuleLint, EachMistakeHasItsStableId) {
  EXPECT_TRUE(LintIds(kValid).empty());
  EXPECT_EQ(LintIds("id: [unclosed"), std::vector<std::string>{"L001"});
  EXPECT_EQ(LintIds(kValid, "other_folder"), std::vector<std::string>{"L002"});
  EXPECT_EQ(LintIds(With(kValid, "title: T\n", "")), std::vector<std::string>{"L003"});
  EXPECT_EQ(LintIds(With(kValid, "severity: high", "severity: urgent")), std::vector<std::string>{"L004"});
  EXPECT_EQ(LintIds(With(kValid, "equals: X", "matches: X")), std::vector<std::string>{"L005"});
  EXPECT_EQ(LintIds(With(kValid, "field: eventName", "field: \"@nope\"")), std::vector<std::string>{"L005"});
  EXPECT_EQ(LintIds(With(kValid, "equals: X", "regex: \"(unclosed\"")), std::vector<std::string>{"L006"});
  EXPECT_EQ(LintIds(With(kValid, "lambda_test_rule", "BadName"), "BadName"), std::vector<std::string>{"L007"});
  // A 50,000-character id: std::regex recursed per character and overflowed the stack.
  std::string long_id;
  for (int i = 0; i < 25000; ++i) long_id += "a_";
  long_id += "B";
  EXPECT_EQ(LintIds(With(kValid, "lambda_test_rule", long_id), long_id), std::vector<std::string>{"L007"});
  EXPECT_EQ(LintIds(std::string(kValid) + "severty: low\n"), std::vector<std::string>{"L008"});
  EXPECT_EQ(LintIds(std::string(kValid) + "mitre: [T12]\n"), std::vector<std::string>{"L009"});
  EXPECT_EQ(LintIds(std::string(kValid) + "context:\n  new_principal:\n    min_history: soon\n"),
            std::vector<std::string>{"L011"});
  EXPECT_EQ(LintIds(std::string(kValid) + "threshold:\n  group_by: \"@actor\"\n  window: 10m\n  count: 1\n"),
            std::vector<std::string>{"L011"});
  // Context severity, categories and grouping.
  EXPECT_TRUE(LintIds(std::string(kValid) + "category: persistence\ngroup: actor\nseverity_context:\n  routine: low\n"
                      "  escalate:\n    - severity: critical\n      why: grants everything\n"
                      "      when: {field: requestParameters.policyDocument.Statement, any_item: {field: Action, equals: \"*\"}}\n")
                  .empty());
  EXPECT_EQ(LintIds(std::string(kValid) + "severity_context:\n  routine: lowish\n"), std::vector<std::string>{"L004"});
  EXPECT_EQ(LintIds(std::string(kValid) + "severity_context:\n  escalate:\n    - severity: high\n"),
            std::vector<std::string>{"L011"});
  EXPECT_EQ(LintIds(std::string(kValid) + "severity_context:\n  usual: low\n"), std::vector<std::string>{"L011"});
  EXPECT_EQ(LintIds(std::string(kValid) + "category: mischief\n"), std::vector<std::string>{"L011"});
  EXPECT_EQ(LintIds(std::string(kValid) + "group: session\n"), std::vector<std::string>{"L011"});
  EXPECT_EQ(LintIds(std::string(kValid) + "group: actor\nthreshold:\n  group_by: \"@actor\"\n  window: 10m\n  count: 3\n"),
            std::vector<std::string>{"L011"});
}

// 1.3 KB of nested aliases: yaml-cpp shares the nodes, but walking them expands 10^9 times.
TEST(RuleLint, AliasesAndOversizedRulesAreRefusedBeforeLoading) {
  std::string laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    laughs += fmt::format("{}: &{} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n", c, c, fmt::arg("p", std::string(1, c - 1)));
  }
  std::vector<LintIssue> issues;
  EXPECT_FALSE(ParseRule(std::string(kValid) + laughs, "lambda_test_rule", "rule.yaml", &issues));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].lint_id, "L001");
  EXPECT_EQ(issues[0].message, "line 9: anchors (&name) are not allowed in rule files");
  issues.clear();
  EXPECT_FALSE(ParseRule(std::string(kValid) + "note: " + std::string(300 * 1024, 'x') + "\n", "lambda_test_rule", "rule.yaml", &issues));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].message, "307320 bytes: rule files are at most 262144 bytes");
}

TEST(RuleLint, DirectoryChecksTestsAndRefusesOnlyTheBadRule) {
  test::TempDir dir;
  test::WriteFile(dir.File("lambda_test_rule/rule.yaml"), kValid);
  test::WriteFile(dir.File("lambda_test_rule/tests/match/a.json"), R"({"eventName":"X","eventTime":"2026-11-27T00:00:00Z"})");
  test::WriteFile(dir.File("lambda_test_rule/tests/nomatch/b.json"), "{not json");
  test::WriteFile(dir.File("lambda_other_rule/rule.yaml"), With(kValid, "lambda_test_rule", "lambda_other_rule"));
  RuleSet set;
  AddRulesFromDirectory(dir.path(), &set);
  std::vector<std::string> ids;
  for (const auto& i : set.issues) ids.push_back(i.lint_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"L010", "L012"}));
  EXPECT_TRUE(set.rules.empty());
}

TEST(RuleLint, LocalRuleOverridesShippedRuleOfTheSameId) {
  test::TempDir dir;
  test::WriteFile(dir.File("lambda_function_deleted/rule.yaml"),
                  With(With(kValid, "lambda_test_rule", "lambda_function_deleted"), "severity: high", "severity: critical"));
  test::WriteFile(dir.File("lambda_function_deleted/tests/match/a.json"), R"({"eventName":"X","eventTime":"2026-11-27T00:00:00Z"})");
  test::WriteFile(dir.File("lambda_function_deleted/tests/nomatch/b.json"), R"({"eventName":"Y","eventTime":"2026-11-27T00:00:00Z"})");
  RuleSet set = LoadEmbeddedRules();
  const size_t before = set.rules.size();
  AddRulesFromDirectory(dir.path(), &set);
  EXPECT_TRUE(set.issues.empty());
  EXPECT_EQ(set.rules.size(), before);
  for (const auto& r : set.rules) {
    if (r.rule.id == "lambda_function_deleted") {
      EXPECT_EQ(r.rule.severity, Severity::kCritical);
    }
  }
}

// One rule over one event, through the engine.
bool Matches(const std::string& match_yaml, const std::string& event) {
  std::vector<LintIssue> issues;
  auto rule = ParseRule(std::string("id: lambda_x_y\ntitle: t\nseverity: low\ndescription: d\nremediation: r\n") + match_yaml,
                        "lambda_x_y", "rule.yaml", &issues);
  EXPECT_TRUE(rule) << (issues.empty() ? "" : issues[0].message);
  if (!rule) return false;
  ScanOptions options;
  options.jobs = 1;
  const auto r = Analyze({{"e", event.size(), &event}}, {*rule}, options);
  EXPECT_EQ(r.stats.events, 1u);
  return !r.findings.empty();
}

const std::string kEvent = R"({"eventTime":"2026-11-27T00:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"AddPermission20150331v2",
 "recipientAccountId":"111122223333","requestParameters":{"functionName":"f","principal":"arn:aws:iam::444455556666:root",
 "layers":["arn:aws:lambda:us-east-1:111122223333:layer:a:1","arn:aws:lambda:us-east-1:444455556666:layer:b:1"],
 "environment":{"variables":{"NODE_OPTIONS":"--require /tmp/x.js"}},"timeout":900},
 "responseElements":{"statement":"{\"Sid\":\"s1\",\"Principal\":{\"AWS\":\"*\"},\"Condition\":null}"},
 "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/Dev"}})";

TEST(RuleExpressions, Operators) {
  EXPECT_TRUE(Matches("match:\n  field: \"@name\"\n  equals: AddPermission\n", kEvent));
  EXPECT_FALSE(Matches("match:\n  field: eventName\n  equals: AddPermission\n", kEvent));
  EXPECT_TRUE(Matches("match:\n  field: eventName\n  startswith: AddPermission\n", kEvent));
  EXPECT_TRUE(Matches("match:\n  field: eventName\n  endswith: v2\n", kEvent));
  EXPECT_TRUE(Matches("match:\n  field: userIdentity.arn\n  contains: user/dev\n  nocase: true\n", kEvent));
  EXPECT_FALSE(Matches("match:\n  field: userIdentity.arn\n  contains: user/dev\n", kEvent));
  EXPECT_TRUE(Matches("match:\n  field: eventName\n  regex: '^AddPermission\\d{8}v\\d+$'\n", kEvent));
  EXPECT_TRUE(Matches("match:\n  field: requestParameters.timeout\n  equals: 900\n", kEvent));
  EXPECT_FALSE(Matches("match:\n  field: requestParameters.timeout\n  equals: \"900\"\n", kEvent));
  EXPECT_TRUE(Matches("match:\n  field: \"@success\"\n  equals: true\n", kEvent));
  EXPECT_TRUE(Matches("match:\n  field: requestParameters.sourceArn\n  exists: false\n", kEvent));
  EXPECT_TRUE(Matches("match:\n  field: eventSource\n  in: [s3.amazonaws.com, lambda.amazonaws.com]\n", kEvent));
}

TEST(RuleExpressions, ArraysNestedJsonKeysAndAccounts) {
  // any-of over arrays
  EXPECT_TRUE(Matches("match:\n  field: requestParameters.layers\n  contains: ':layer:b:'\n", kEvent));
  // JSON inside a string is decoded on the way down
  EXPECT_TRUE(Matches("match:\n  field: responseElements.statement.Principal.AWS\n  equals: \"*\"\n", kEvent));
  EXPECT_TRUE(Matches("match:\n  field: responseElements.statement.Condition\n  exists: false\n", kEvent));
  // keys of an object
  EXPECT_TRUE(Matches("match:\n  field: requestParameters.environment.variables\n  haskey: [LD_PRELOAD, NODE_OPTIONS]\n", kEvent));
  // another account than the event's own
  EXPECT_TRUE(Matches("match:\n  field: requestParameters.principal\n  foreign_account: true\n", kEvent));
  EXPECT_TRUE(Matches("match:\n  field: requestParameters.layers\n  foreign_account: true\n", kEvent));
  EXPECT_FALSE(Matches("match:\n  field: requestParameters.functionName\n  foreign_account: true\n", kEvent));
  // boolean composition
  EXPECT_TRUE(Matches("match:\n  all:\n    - field: eventSource\n      equals: lambda.amazonaws.com\n"
                      "    - not:\n        field: requestParameters.principal\n        equals: \"*\"\n", kEvent));
  EXPECT_FALSE(Matches("match:\n  any:\n    - field: eventSource\n      equals: s3.amazonaws.com\n"
                       "    - field: \"@function\"\n      equals: g\n", kEvent));
  // some value outside a set (not + in says: none inside it)
  EXPECT_TRUE(Matches("match:\n  field: requestParameters.layers\n  some_not_in: [\"arn:aws:lambda:us-east-1:111122223333:layer:a:1\"]\n", kEvent));
  EXPECT_FALSE(Matches("match:\n  field: requestParameters.layers\n  some_not_in: [\"arn:aws:lambda:us-east-1:111122223333:layer:a:1\", "
                       "\"arn:aws:lambda:us-east-1:444455556666:layer:b:1\"]\n", kEvent));
  EXPECT_FALSE(Matches("match:\n  field: requestParameters.absent\n  some_not_in: [x]\n", kEvent));
}

// any_item: the conditions hold together within one element (one policy statement), not
// each in some element of its own.
TEST(RuleExpressions, AnyItemHoldsWithinOneElement) {
  const std::string policy = R"({"eventTime":"2026-11-27T00:00:00Z","eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy",
    "requestParameters":{"policyDocument":"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"},{\"Effect\":\"Deny\",\"Action\":\"*\"}]}"}})";
  const std::string allow_all = "match:\n  field: requestParameters.policyDocument.Statement\n  any_item:\n    all:\n"
                                "      - {field: Effect, equals: Allow}\n      - {field: Action, equals: \"*\"}\n";
  EXPECT_FALSE(Matches(allow_all, policy));
  std::string granted = policy;
  granted.replace(granted.find("Deny"), 4, "Allow");
  EXPECT_TRUE(Matches(allow_all, granted));
  // The old way, two leaves, matched across statements.
  EXPECT_TRUE(Matches("match:\n  all:\n    - {field: requestParameters.policyDocument.Statement.Effect, equals: Allow}\n"
                      "    - {field: requestParameters.policyDocument.Statement.Action, equals: \"*\"}\n", policy));
}

// Inside an item, a path is the item's even when its name is one of the event's common fields
// (eventName, eventType): those are read from the event only outside items.
TEST(RuleExpressions, AnItemsFieldsAreItsOwnEvenWithTheEventsNames) {
  const std::string event = R"({"eventTime":"2026-11-27T00:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"AddPermission",
    "eventType":"AwsApiCall","requestParameters":{"items":[{"eventType":"Inner","eventName":"Other"}]}})";
  EXPECT_TRUE(Matches("match:\n  field: requestParameters.items\n  any_item: {field: eventType, equals: Inner}\n", event));
  EXPECT_TRUE(Matches("match:\n  field: requestParameters.items\n  any_item: {field: eventName, equals: Other}\n", event));
  EXPECT_FALSE(Matches("match:\n  field: requestParameters.items\n  any_item: {field: eventType, equals: AwsApiCall}\n", event));
  // Virtual fields still read the event.
  EXPECT_TRUE(Matches("match:\n  field: requestParameters.items\n  any_item: {field: \"@name\", equals: AddPermission}\n", event));
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// Every check written in C++ has its metadata in rules/<id>/check.yaml and every metadata
// file names a check the code raises: a new check without metadata (or metadata left
// behind by a removed check) fails here.
TEST(CaseChecks, EveryCheckInTheCodeHasMetadataAndNoMore) {
  const RuleSet set = LoadEmbeddedRules();
  for (const auto& issue : set.issues) ADD_FAILURE() << issue.file << ": " << issue.lint_id << " " << issue.message;
  std::set<std::string> metadata;
  for (const CaseCheck& c : set.checks) {
    metadata.insert(c.id);
    // The source it names raises it.
    EXPECT_NE(test::ReadFile(test::SourceDir() + "/" + c.implemented_in).find("\"" + c.id + "\""), std::string::npos)
        << c.id << " is not in " << c.implemented_in;
  }
  std::set<std::string> in_code;
  static const RE2 kCheckId("\"(lambda_(?:config|package|logs|metrics|posture)_[a-z0-9_]+)\"");
  for (const auto& entry : std::filesystem::directory_iterator(test::SourceDir() + "/src/analysis")) {
    const std::string text = test::ReadFile(entry.path().string());
    re2::StringPiece input(text);
    std::string id;
    while (RE2::FindAndConsume(&input, kCheckId, &id)) in_code.insert(id);
  }
  EXPECT_EQ(metadata, in_code);
  EXPECT_EQ(metadata.size(), 45u);
  const CaseCheck* admin = FindCaseCheck("lambda_config_role_policy_admin");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(admin->category, "privilege_escalation");
  EXPECT_EQ(admin->mitre, std::vector<std::string>{"T1098.003"});
  EXPECT_EQ(FindCaseCheck("lambda_function_created"), nullptr);  // a CloudTrail rule, not a check
}

TEST(CaseChecks, MalformedMetadataHasLintIds) {
  std::vector<LintIssue> issues;
  const std::string good =
      "id: lambda_config_x\nevidence: configuration\ntitle: T\nseverity: high\ncategory: persistence\nmitre: [T1098]\n"
      "description: D\nremediation: R\nimplemented_in: src/analysis/x.cpp\n";
  EXPECT_TRUE(ParseCaseCheck(good, "lambda_config_x", "check.yaml", &issues).has_value());
  EXPECT_TRUE(issues.empty());
  auto ids = [&](const std::string& yaml, const std::string& folder = "lambda_config_x") {
    std::vector<LintIssue> found;
    ParseCaseCheck(yaml, folder, "check.yaml", &found);
    std::vector<std::string> out;
    for (const auto& i : found) out.push_back(i.lint_id);
    return out;
  };
  EXPECT_EQ(ids(good, "other"), std::vector<std::string>{"L002"});
  EXPECT_EQ(ids(With(good, "title: T\n", "")), std::vector<std::string>{"L003"});
  EXPECT_EQ(ids(With(good, "severity: high", "severity: dire")), std::vector<std::string>{"L004"});
  EXPECT_EQ(ids(good + "extra: 1\n"), std::vector<std::string>{"L008"});
  EXPECT_EQ(ids(With(good, "[T1098]", "[X1]")), std::vector<std::string>{"L009"});
  EXPECT_EQ(ids(With(good, "evidence: configuration", "evidence: vibes")), std::vector<std::string>{"L011"});
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

const Rule& ShippedRule(const std::vector<Rule>& rules, const std::string& id) {
  for (const Rule& r : rules) {
    if (r.id == id) return r;
  }
  throw std::runtime_error("no shipped rule " + id);
}

EventView LambdaCall(std::string_view name, bool read_only, std::string_view error = {}) {
  EventView v;
  v.source = "lambda.amazonaws.com";
  v.name = v.name_raw = name;
  v.read_only = read_only;
  v.error_code = error;
  return v;
}

// The prefilter reads off each rule what a record must be for the rule to hold, so that most
// records never walk its expression: the shipped rules must keep being read that way.
TEST(RulePrefilter, ShippedRulesAreIndexedByWhatTheyRequire) {
  const std::vector<Rule> rules = LoadEmbeddedRules().Rules();
  // An `any` whose every branch names events: dispatched by the union of the names.
  const RulePrefilter signing(ShippedRule(rules, "lambda_code_signing_weakened"));
  ASSERT_NE(signing.names(), nullptr);
  EXPECT_EQ(*signing.names(), (std::vector<std::string>{"CreateCodeSigningConfig", "DeleteCodeSigningConfig",
                                                        "DeleteFunctionCodeSigningConfig", "PutFunctionCodeSigningConfig",
                                                        "UpdateCodeSigningConfig"}));
  const RulePrefilter url(ShippedRule(rules, "lambda_public_access_attempted"));
  ASSERT_NE(url.names(), nullptr);
  EXPECT_EQ(*url.names(), (std::vector<std::string>{"AddPermission", "CreateFunctionUrlConfig", "UpdateFunctionUrlConfig"}));
  // @success and @mutating.
  const RulePrefilter change(ShippedRule(rules, "lambda_change_by_new_principal"));
  EXPECT_TRUE(change.MayMatch(LambdaCall("UpdateFunctionCode", false)));
  EXPECT_FALSE(change.MayMatch(LambdaCall("GetFunction", true)));
  EXPECT_FALSE(change.MayMatch(LambdaCall("UpdateFunctionCode", false, "AccessDeniedException")));
  EXPECT_TRUE(url.MayMatch(LambdaCall("AddPermission", false, "AccessDeniedException")));
  EXPECT_FALSE(url.MayMatch(LambdaCall("AddPermission", false)));
  // An `any` of one leaf is that leaf: the error codes of a burst rule.
  const RulePrefilter denied(ShippedRule(rules, "iam_access_denied_burst"));
  EXPECT_TRUE(denied.MayMatch(LambdaCall("GetFunction", true, "AccessDenied")));
  EXPECT_FALSE(denied.MayMatch(LambdaCall("GetFunction", true)));
  // userIdentity.type.
  const RulePrefilter outside(ShippedRule(rules, "lambda_role_credentials_used_outside_lambda"));
  EventView assumed = LambdaCall("GetFunction", true);
  EXPECT_FALSE(outside.MayMatch(assumed));
  assumed.actor_type = "AssumedRole";
  EXPECT_TRUE(outside.MayMatch(assumed));
  // not(userAgent contains AWS_Lambda): the runtime's own calls are never tried.
  assumed.user_agent = "aws-sdk-go/1.44 (go1.20; linux; amd64) exec-env/AWS_Lambda_go1.x";
  EXPECT_FALSE(outside.MayMatch(assumed));
  assumed.user_agent = "aws-cli/2.15.0 Python/3.11";
  EXPECT_TRUE(outside.MayMatch(assumed));
  // not(userIdentity.type equals AWSService): a service's own calls are never tried.
  const RulePrefilter assume(ShippedRule(rules, "suspect_role_assumed"));
  EventView by_service;
  by_service.source = "sts.amazonaws.com";
  by_service.name = by_service.name_raw = "AssumeRole";
  by_service.actor_type = "AWSService";
  EXPECT_FALSE(assume.MayMatch(by_service));
  by_service.actor_type = "IAMUser";
  EXPECT_TRUE(assume.MayMatch(by_service));
}

// An absent userIdentity.type reads as empty and a leaf holds nothing of it: not(type in
// ['', X]) holds for a record without a type, so the prefilter must not exclude it.
TEST(RulePrefilter, AnEmptyExcludedTypeExcludesNothing) {
  std::vector<LintIssue> issues;
  const std::optional<Rule> rule =
      ParseRule("id: no_type\ntitle: T\nseverity: low\ndescription: D\nremediation: R\nmatch:\n  all:\n"
                "    - not:\n        field: userIdentity.type\n        in: ['', AWSService]\n"
                "    - field: eventSource\n      equals: iam.amazonaws.com\n",
                "no_type", "no_type/rule.yaml", &issues);
  ASSERT_TRUE(rule.has_value());
  const RulePrefilter filter(*rule);
  EventView v;
  v.source = "iam.amazonaws.com";
  v.name = v.name_raw = "CreateUser";
  EXPECT_TRUE(filter.MayMatch(v));
  v.actor_type = "AWSService";
  EXPECT_FALSE(filter.MayMatch(v));
}

// not(userAgent contains ''): every text holds '', so the rule never matches a userAgent, but
// a record without one it may: '' excludes nothing. nocase text is the engine's to judge.
TEST(RulePrefilter, AnAgentExclusionIsExactTextOnly) {
  auto filter_of = [](const std::string& leaf) {
    std::vector<LintIssue> issues;
    const std::optional<Rule> rule =
        ParseRule("id: agent_text\ntitle: T\nseverity: low\ndescription: D\nremediation: R\nmatch:\n  all:\n"
                  "    - not:\n        field: userAgent\n" + leaf +
                  "    - field: eventSource\n      equals: iam.amazonaws.com\n",
                  "agent_text", "agent_text/rule.yaml", &issues);
    EXPECT_TRUE(rule.has_value()) << leaf << (issues.empty() ? "" : issues[0].message);
    return RulePrefilter(*rule);
  };
  EventView v;
  v.source = "iam.amazonaws.com";
  v.name = v.name_raw = "CreateUser";
  v.user_agent = "Boto3/1.34 exec-env/AWS_Lambda_python3.12";
  EXPECT_TRUE(filter_of("        contains: ''\n").MayMatch(v));
  EXPECT_TRUE(filter_of("        contains: aws_lambda\n        nocase: true\n").MayMatch(v));
  EXPECT_FALSE(filter_of("        contains: [Terraform, AWS_Lambda]\n").MayMatch(v));
  EXPECT_TRUE(filter_of("        contains: aws_lambda\n").MayMatch(v));
}

}  // namespace
}  // namespace lir
