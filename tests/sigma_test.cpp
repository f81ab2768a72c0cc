// Sigma rules in the engine: Sigma's value and condition semantics, the bundled SigmaHQ
// CloudTrail rules (Detection Rule License 1.1, sigma/), what is refused and why, and what
// Sigma findings may not do (name suspects).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/engine.h"
#include "analysis/rule_prefilter.h"
#include "analysis/sigma_rule.h"
#include "sources/input_files.h"
#include "test_support.h"

namespace lir {
namespace {

// A Sigma rule around one detection block.
std::string SigmaYaml(const std::string& detection, const std::string& level = "high") {
  return fmt::format(R"(title: Test rule
id: 00000000-0000-0000-0000-000000000001
status: test
description: A test.
author: Tester
tags:
  - attack.persistence
  - attack.t1098.001
logsource:
  product: aws
  service: cloudtrail
detection:
{}
falsepositives:
  - Admins
level: {}
)",
                     detection, level);
}

Rule Compile(const std::string& detection, std::vector<LintIssue>* issues = nullptr) {
  std::vector<LintIssue> local;
  SigmaLoadStats stats;
  auto rule = ParseSigmaRule(SigmaYaml(detection), "t/aws_test_rule.yml", issues ? issues : &local, &stats);
  if (!rule) {
    ADD_FAILURE() << "not compiled: " << (local.empty() ? std::string("?") : local[0].message);
    return Rule{};
  }
  return *rule;
}

// Whether the rule matches one event (a CloudTrail record's JSON text).
bool Matches(const Rule& rule, const std::string& event) {
  nlohmann::json record_json = nlohmann::json::parse(event);
  const std::pair<const char*, const char*> defaults[] = {{"eventTime", "2026-11-27T00:00:00Z"},
                                                         {"eventID", "e1"},
                                                         {"eventSource", "test.amazonaws.com"},
                                                         {"eventName", "Test"}};
  for (const auto& [key, value] : defaults) {
    if (!record_json.contains(key)) record_json[key] = value;
  }
  const std::string record = record_json.dump();
  ScanOptions options;
  options.jobs = 1;
  const AnalysisResult result = Analyze({{"event", record.size(), &record}}, {rule}, options);
  EXPECT_EQ(result.stats.events, 1u) << record;
  return !result.findings.empty();
}

std::string Unsupported(const std::string& detection) {
  std::vector<LintIssue> issues;
  SigmaLoadStats stats;
  EXPECT_FALSE(ParseSigmaRule(SigmaYaml(detection), "t/aws_test_rule.yml", &issues, &stats).has_value());
  EXPECT_EQ(stats.unsupported, 1u);
  return issues.size() == 1 && issues[0].lint_id == "L015" ? issues[0].message : "(no single L015 issue)";
}

TEST(Sigma, MetadataKeepsAuthorAndIdAsTheLicenceAsks) {
  const Rule r = Compile("  selection:\n    eventName: X\n  condition: selection");
  EXPECT_EQ(r.id, "sigma_aws_test_rule");
  EXPECT_EQ(r.title, "Sigma: Test rule");
  EXPECT_EQ(r.severity, Severity::kHigh);
  EXPECT_EQ(r.sigma_id, "00000000-0000-0000-0000-000000000001");
  EXPECT_EQ(r.author, "Tester");
  EXPECT_EQ(r.description,
            "A test. Sigma rule 00000000-0000-0000-0000-000000000001 by Tester (Detection Rule License 1.1, "
            "https://github.com/SigmaHQ/sigma).");
  EXPECT_EQ(r.remediation, "Review the matching events and the caller's other activity. Known false positives: Admins");
  EXPECT_EQ(r.mitre, std::vector<std::string>{"T1098.001"});
  EXPECT_EQ(r.category, "persistence");
  EXPECT_EQ(r.grouping, Grouping::kActor);
}

TEST(Sigma, ValuesAreCaseInsensitiveWithWildcardsUnlessCased) {
  const Rule plain = Compile("  selection:\n    userAgent: 'aws-cli*linux?x'\n  condition: selection");
  EXPECT_TRUE(Matches(plain, R"({"userAgent":"AWS-CLI/2.15 Linux/x"})"));
  EXPECT_FALSE(Matches(plain, R"({"userAgent":"aws-cli/2.15 linux/xx"})"));  // '?' is one character
  EXPECT_FALSE(Matches(plain, R"({"userAgent":"boto3 aws-cli linuxx"})"));   // anchored at the start
  const Rule cased = Compile("  selection:\n    userAgent|cased: 'TruffleHog'\n  condition: selection");
  EXPECT_TRUE(Matches(cased, R"({"userAgent":"TruffleHog"})"));
  EXPECT_FALSE(Matches(cased, R"({"userAgent":"trufflehog"})"));
  const Rule escaped = Compile("  selection:\n    requestParameters.name: 'a\\*b'\n  condition: selection");
  EXPECT_TRUE(Matches(escaped, R"({"requestParameters":{"name":"a*b"}})"));
  EXPECT_FALSE(Matches(escaped, R"({"requestParameters":{"name":"axxb"}})"));
}

TEST(Sigma, ModifiersContainsStartsEndsAllAndLists) {
  const Rule contains = Compile("  selection:\n    userAgent|contains:\n      - terraform\n      - pulumi\n  condition: selection");
  EXPECT_TRUE(Matches(contains, R"({"userAgent":"APN/1.0 HashiCorp/1.0 Terraform/1.5"})"));
  EXPECT_TRUE(Matches(contains, R"({"userAgent":"Pulumi/3"})"));
  EXPECT_FALSE(Matches(contains, R"({"userAgent":"aws-cli/2"})"));
  const Rule all = Compile("  selection:\n    userAgent|contains|all:\n      - terraform\n      - linux\n  condition: selection");
  EXPECT_TRUE(Matches(all, R"({"userAgent":"Terraform/1.5 linux"})"));
  EXPECT_FALSE(Matches(all, R"({"userAgent":"Terraform/1.5 darwin"})"));
  const Rule starts = Compile("  selection:\n    eventName|startswith: 'UpdateFunctionConfiguration'\n  condition: selection");
  EXPECT_TRUE(Matches(starts, R"({"eventName":"UpdateFunctionConfiguration20150331v2"})"));
  const Rule ends = Compile("  selection:\n    userIdentity.arn|endswith: '/admin'\n  condition: selection");
  EXPECT_TRUE(Matches(ends, R"({"userIdentity":{"arn":"arn:aws:iam::1:user/ADMIN"}})"));
  EXPECT_FALSE(Matches(ends, R"({"userIdentity":{"arn":"arn:aws:iam::1:user/admin2"}})"));
}

TEST(Sigma, NullExistsCidrRegexAndFieldref) {
  const Rule null_value = Compile("  selection:\n    errorCode: null\n  condition: selection");
  EXPECT_TRUE(Matches(null_value, R"({"eventName":"X"})"));
  EXPECT_TRUE(Matches(null_value, R"({"eventName":"X","errorCode":null})"));
  EXPECT_FALSE(Matches(null_value, R"({"eventName":"X","errorCode":"AccessDenied"})"));
  const Rule exists = Compile("  selection:\n    requestParameters.layers|exists: true\n  condition: selection");
  EXPECT_TRUE(Matches(exists, R"({"requestParameters":{"layers":["arn:x"]}})"));
  EXPECT_FALSE(Matches(exists, R"({"requestParameters":{}})"));
  const Rule cidr = Compile("  selection:\n    sourceIPAddress|cidr:\n      - 203.0.113.0/24\n      - 2001:db8::/32\n  condition: selection");
  EXPECT_TRUE(Matches(cidr, R"({"sourceIPAddress":"203.0.113.9"})"));
  EXPECT_TRUE(Matches(cidr, R"({"sourceIPAddress":"::ffff:203.0.113.9"})"));
  EXPECT_TRUE(Matches(cidr, R"({"sourceIPAddress":"2001:db8:1::5"})"));
  EXPECT_FALSE(Matches(cidr, R"({"sourceIPAddress":"203.0.114.1"})"));
  EXPECT_FALSE(Matches(cidr, R"({"sourceIPAddress":"lambda.amazonaws.com"})"));
  const Rule regex = Compile("  selection:\n    userIdentity.arn|re|i: ':ASSUMED-role/aws:.+'\n  condition: selection");
  EXPECT_TRUE(Matches(regex, R"({"userIdentity":{"arn":"arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"}})"));
  EXPECT_FALSE(Matches(regex, R"({"userIdentity":{"arn":"arn:aws:sts::1:assumed-role/app/i-1"}})"));
  const Rule fieldref = Compile("  selection:\n    userIdentity.userName|fieldref: requestParameters.userName\n  condition: selection");
  EXPECT_TRUE(Matches(fieldref, R"({"userIdentity":{"userName":"bob"},"requestParameters":{"userName":"Bob"}})"));
  EXPECT_FALSE(Matches(fieldref, R"({"userIdentity":{"userName":"bob"},"requestParameters":{"userName":"eve"}})"));
  EXPECT_FALSE(Matches(fieldref, R"({"userIdentity":{"userName":"bob"}})"));
}

TEST(Sigma, ConditionsQuantifiersNotAndPrecedence) {
  const std::string items =
      "  selection_a:\n    eventName: A\n  selection_b:\n    eventName: B\n  filter:\n    userAgent: ci\n"
      "  _helper:\n    eventName: H\n";
  const Rule one_of = Compile(items + "  condition: 1 of selection_* and not filter");
  EXPECT_TRUE(Matches(one_of, R"({"eventName":"B","userAgent":"me"})"));
  EXPECT_FALSE(Matches(one_of, R"({"eventName":"B","userAgent":"CI"})"));
  EXPECT_FALSE(Matches(one_of, R"({"eventName":"H"})"));
  // `them` leaves out identifiers starting with '_'.
  const Rule any_of_them = Compile(items + "  condition: 1 of them");
  EXPECT_TRUE(Matches(any_of_them, R"({"eventName":"X","userAgent":"ci"})"));
  EXPECT_FALSE(Matches(any_of_them, R"({"eventName":"H"})"));
  const Rule all_of = Compile(items + "  condition: all of selection_*");
  EXPECT_FALSE(Matches(all_of, R"({"eventName":"A"})"));
  // and binds tighter than or; parentheses change it.
  const Rule precedence = Compile(items + "  condition: selection_a or selection_b and filter");
  EXPECT_TRUE(Matches(precedence, R"({"eventName":"A","userAgent":"me"})"));
  const Rule grouped = Compile(items + "  condition: (selection_a or selection_b) and filter");
  EXPECT_FALSE(Matches(grouped, R"({"eventName":"A","userAgent":"me"})"));
  EXPECT_TRUE(Matches(grouped, R"({"eventName":"A","userAgent":"ci"})"));
  // A list of maps is any of them.
  const Rule list = Compile("  selection:\n    - eventName: A\n    - userAgent: ci\n  condition: selection");
  EXPECT_TRUE(Matches(list, R"({"eventName":"Z","userAgent":"ci"})"));
  EXPECT_FALSE(Matches(list, R"({"eventName":"Z","userAgent":"me"})"));
}

// eventSource and eventName compare exactly (CloudTrail writes one spelling), so the engine
// indexes Sigma rules by source and normalised name like its own rules.
TEST(Sigma, EventNamesCompareExactlyAndAreIndexed) {
  const Rule r = Compile("  selection:\n    eventSource: lambda.amazonaws.com\n    eventName:\n"
                         "      - UpdateFunctionCode20150331v2\n      - CreateFunctionUrlConfig\n  condition: selection");
  EXPECT_TRUE(Matches(r, R"({"eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionCode20150331v2"})"));
  EXPECT_FALSE(Matches(r, R"({"eventSource":"lambda.amazonaws.com","eventName":"updatefunctioncode20150331v2"})"));
  // Sigma's value is the raw name: the unsuffixed one is another name, as in SigmaHQ's tools.
  EXPECT_FALSE(Matches(r, R"({"eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionCode"})"));
  const RulePrefilter filter(r);
  ASSERT_NE(filter.names(), nullptr);
  EXPECT_EQ(*filter.names(), (std::vector<std::string>{"CreateFunctionUrlConfig", "UpdateFunctionCode"}));
  EXPECT_EQ(filter.sources(), std::vector<std::string>{"lambda.amazonaws.com"});
}

TEST(Sigma, UnsupportedConstructsAreNamedPerRule) {
  EXPECT_EQ(Unsupported("  keywords:\n    - evil\n  condition: keywords"),
            "keywords: keyword lists (a search of the whole record for values) are not supported; name the field");
  EXPECT_EQ(Unsupported("  selection:\n    userAgent|base64: x\n  condition: selection"),
            "selection: userAgent: modifier 'base64' is not supported");
  EXPECT_EQ(Unsupported("  selection:\n    eventName: X\n  condition: selection | count() > 5"),
            "condition 'selection | count() > 5': aggregation ('| count()', '| near') is not part of Sigma any "
            "more and is not supported");
  EXPECT_EQ(Unsupported("  selection:\n    eventName: X\n  condition: selection and other"),
            "condition 'selection and other': the condition names 'other', which the detection does not define");
  EXPECT_EQ(Unsupported("  selection:\n    eventName: X\n  condition: 2 of selection*"),
            "condition '2 of selection*': '2 of' is not supported: Sigma defines '1 of' and 'all of'");
  EXPECT_EQ(Unsupported("  selection:\n    sourceIPAddress|cidr: 10.0.0.0/33\n  condition: selection"),
            "selection: sourceIPAddress: '10.0.0.0/33' is not a CIDR block");
  EXPECT_EQ(Unsupported("  selection:\n    eventName: X\n  timeframe: 5m\n  condition: selection"),
            "timeframe (a window for counting matches) is not supported");
}

// A rule handed to the responder may be built to break the tool: refused with a reason.
TEST(Sigma, HostileRulesAreRefusedNotFollowed) {
  std::string deep = "  a:\n    eventName: X\n  condition: " + std::string(5000, '(') + "a" + std::string(5000, ')');
  EXPECT_EQ(Unsupported(deep), "condition '" + std::string(5000, '(') + "a" + std::string(5000, ')') +
                                   "': the condition nests deeper than 64 levels");
  std::string values = "  a:\n    eventName:\n";
  for (int i = 0; i < 2000; ++i) values += fmt::format("      - v{}\n", i);
  std::string many = values + "  condition: a";
  for (int i = 0; i < 60; ++i) many += " or a";
  EXPECT_NE(Unsupported(many).find("expands to more than 100000 expression nodes"), std::string::npos);
  EXPECT_EQ(Unsupported("  a:\n    eventName: X\n    eventName: Y\n  condition: a"), "a: field 'eventName' given twice");
  std::vector<LintIssue> issues;
  SigmaLoadStats stats;
  EXPECT_FALSE(ParseSigmaRule(SigmaYaml("  a:\n    eventName: X\n  condition: a") + "---\n" +
                                  SigmaYaml("  a:\n    eventName: Y\n  condition: a"),
                              "t/aws_two.yml", &issues, &stats));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].message,
            "2 YAML documents in one file (a Sigma rule collection) are not supported; give each rule its own file");
}

// A value ending in a lone backslash keeps it: the wildcard |contains adds is not escaped.
TEST(Sigma, TrailingBackslashStaysLiteral) {
  const Rule contains = Compile("  selection:\n    userAgent|contains: 'C:\\'\n  condition: selection");
  EXPECT_TRUE(Matches(contains, R"({"userAgent":"xC:\\temp"})"));
  const Rule starts = Compile("  selection:\n    userAgent|startswith: 'C:\\'\n  condition: selection");
  EXPECT_TRUE(Matches(starts, R"({"userAgent":"C:\\temp"})"));
  EXPECT_FALSE(Matches(starts, R"({"userAgent":"C:temp"})"));
}

// A field holding an object is matched as its JSON text (SIEMs keep requestParameters as
// text): SigmaHQ's aws_disable_bucket_versioning looks for 'Suspended' in requestParameters.
TEST(Sigma, ObjectFieldsMatchAsText) {
  const Rule r = Compile("  selection:\n    requestParameters|contains: 'Suspended'\n  condition: selection");
  EXPECT_TRUE(Matches(r, R"({"requestParameters":{"bucketName":"b","VersioningConfiguration":{"Status":"Suspended"}}})"));
  EXPECT_FALSE(Matches(r, R"({"requestParameters":{"bucketName":"b","VersioningConfiguration":{"Status":"Enabled"}}})"));
}

TEST(Sigma, TwoFilesOfOneNameInADirectoryAreBothTold) {
  test::TempDir tmp;
  std::filesystem::create_directories(tmp.File("a"));
  std::filesystem::create_directories(tmp.File("b"));
  std::ofstream(tmp.File("a/aws_same.yml")) << SigmaYaml("  a:\n    eventName: X\n  condition: a");
  std::ofstream(tmp.File("b/aws_same.yml")) << SigmaYaml("  a:\n    eventName: Y\n  condition: a");
  RuleSet set;
  const SigmaLoadStats stats = AddSigmaRulesFromDirectory(tmp.path(), &set);
  EXPECT_EQ(stats.loaded, 1u);
  ASSERT_EQ(set.issues.size(), 1u);
  EXPECT_EQ(set.issues[0].lint_id, "L013");
  EXPECT_EQ(set.issues[0].message, "same rule id sigma_aws_same as " + tmp.File("a/aws_same.yml") + ": rename one of the files");
}

TEST(Sigma, OtherLogSourcesAreCountedNotReported) {
  std::vector<LintIssue> issues;
  SigmaLoadStats stats;
  const std::string windows = "title: W\nlogsource:\n  product: windows\n  service: security\n"
                              "detection:\n  selection:\n    EventID: 4624\n  condition: selection\n";
  EXPECT_FALSE(ParseSigmaRule(windows, "w.yml", &issues, &stats).has_value());
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(stats.other_logsource, 1u);
}

TEST(Sigma, BundledRulesAllLoad) {
  RuleSet set;
  const SigmaLoadStats stats = AddEmbeddedSigmaRules(&set);
  for (const auto& issue : set.issues) ADD_FAILURE() << issue.file << ": " << issue.message;
  EXPECT_EQ(stats.loaded, 57u);
  EXPECT_EQ(set.rules.size(), 57u);
  for (const auto& l : set.rules) {
    EXPECT_TRUE(l.rule.is_sigma()) << l.rule.id;
    EXPECT_NE(l.rule.author, "(no author given)") << l.rule.id;
  }
}

// The corpus's unsupported folder uses the aggregation syntax Sigma dropped; each is refused
// with its reason, and the placeholder rule with its `expand` modifier.
TEST(Sigma, CorpusUnsupportedRulesAreEachExplained) {
  LIR_REQUIRE_CORPORA();
  RuleSet set;
  const SigmaLoadStats stats = AddSigmaRulesFromDirectory(test::CorporaDir() + "/sigma-cloudtrail", &set);
  EXPECT_EQ(stats.loaded, 57u);
  EXPECT_EQ(stats.unsupported, 9u);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"aws_cloudtrail_console_login_success_from_susp_locations.yml", "filter_main_country: src_country: modifier 'expand'"},
      {"aws_ec2_download_userdata.yml", "condition 'selection_source | count() > 10': aggregation"},
      {"aws_enum_backup.yml", "condition 'selection | count() > 5': aggregation"},
      {"aws_enum_listing.yml", "condition 'selection_eventname | count() > 50': aggregation"},
      {"aws_enum_network.yml", "condition 'selection | count() > 5': aggregation"},
      {"aws_enum_storage.yml", "condition 'selection | count() > 5': aggregation"},
      {"aws_lambda_function_created_or_invoked.yml", "condition 'selection1 | near selection2': aggregation"},
      {"aws_macic_evasion.yml", "condition 'selection | count() by sourceIPAddress > 5': aggregation"},
      {"aws_ses_messaging_enabled.yml", "timeframe (a window for counting matches) is not supported"},
  };
  ASSERT_EQ(set.issues.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const LintIssue& issue = set.issues[i];
    EXPECT_EQ(issue.lint_id, "L015");
    EXPECT_EQ(issue.file.substr(issue.file.rfind('/') + 1), want[i].first);
    EXPECT_TRUE(issue.message.starts_with(want[i].second)) << issue.message;
  }
}

struct SigmaFinding {
  std::string rule_id;
  Severity severity;
  std::string actor;
  size_t events;
  uint64_t not_listed;
  bool operator==(const SigmaFinding&) const = default;
};

std::ostream& operator<<(std::ostream& os, const SigmaFinding& f) {
  return os << f.rule_id << " " << ToString(f.severity) << " " << f.actor << " " << f.events << "+" << f.not_listed;
}

// The bundled rules on the sample incident, beside lambda-ir's own: exactly these Sigma
// findings, one per rule and caller, the earliest 500 events listed and the rest counted. None of them names a suspect, so the suspect findings
// are the same with and without Sigma.
TEST(Sigma, SampleIncidentFindings) {
  RuleSet set = LoadEmbeddedRules();
  const size_t own = set.rules.size();
  AddEmbeddedSigmaRules(&set);
  ASSERT_TRUE(set.issues.empty());
  std::vector<ReadIssue> discovery;
  const std::vector<InputFile> inputs = DiscoverInputs({test::SourceDir() + "/examples/incident"}, &discovery);
  ASSERT_TRUE(discovery.empty());
  ScanOptions options;
  const AnalysisResult with_sigma = Analyze(inputs, set.Rules(), options);
  std::vector<Rule> own_rules = set.Rules();
  own_rules.resize(own);
  const AnalysisResult without = Analyze(inputs, own_rules, options);
  std::vector<SigmaFinding> got;
  for (const Finding& f : with_sigma.findings) {
    if (f.rule_id.starts_with("sigma_")) got.push_back({f.rule_id, f.severity, f.actor, f.event_ids.size(), f.events_not_listed});
  }
  std::sort(got.begin(), got.end(), [](const SigmaFinding& a, const SigmaFinding& b) {
    return std::tie(a.rule_id, a.actor) < std::tie(b.rule_id, b.actor);
  });
  const std::string acct = "arn:aws:sts::111122223333:assumed-role/";
  const std::vector<SigmaFinding> want = {
      {"sigma_aws_cloudtrail_disable_logging", Severity::kMedium, "arn:aws:iam::111122223333:user/ci-legacy", 1, 0},
      {"sigma_aws_enum_buckets", Severity::kLow, "cloudtrail.amazonaws.com", 70, 0},
      {"sigma_aws_iam_backdoor_users_keys", Severity::kMedium, acct + "payments-processor-role/payments-processor", 1, 0},
      {"sigma_aws_lambda_function_url", Severity::kMedium, "arn:aws:iam::111122223333:user/ci-legacy", 1, 0},
      {"sigma_aws_new_lambda_layer_attached", Severity::kLow, "arn:aws:iam::111122223333:user/ci-legacy", 1, 0},
      {"sigma_aws_sts_assumerole_misuse", Severity::kLow, acct + "AWSServiceRoleForConfig/AWSConfig-Describe", 500, 348},
      {"sigma_aws_sts_assumerole_misuse", Severity::kLow, acct + "datadog-integration/datadog", 174, 0},
      {"sigma_aws_sts_assumerole_misuse", Severity::kLow, acct + "github-deploy/gha-run-3495636", 24, 0},
      {"sigma_aws_sts_assumerole_misuse", Severity::kLow, acct + "orders-api-role/orders-api", 147, 0},
      {"sigma_aws_sts_assumerole_misuse", Severity::kLow, acct + "payments-processor-role/payments-processor", 157, 0},
      {"sigma_aws_sts_assumerole_misuse", Severity::kLow, acct + "report-builder-role/report-builder", 165, 0},
      {"sigma_aws_sts_assumerole_misuse", Severity::kLow, acct + "thumbnailer-role/thumbnailer", 175, 0},
  };
  EXPECT_EQ(got, want);
  EXPECT_EQ(with_sigma.findings.size(), without.findings.size() + want.size());
}

// A Sigma level is a SIEM queue's, not this account's: a high Sigma match does not make its
// caller a suspect whose later writes become findings.
TEST(Sigma, HighSigmaMatchNamesNoSuspect) {
  RuleSet set = LoadEmbeddedRules();
  AddEmbeddedSigmaRules(&set);
  const std::string events =
      R"({"eventTime":"2026-11-27T10:00:00Z","eventID":"a","eventSource":"iam.amazonaws.com","eventName":"UpdateLoginProfile","awsRegion":"us-east-1","recipientAccountId":"1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/admin","accountId":"1","accessKeyId":"AKIAEXAMPLEADMIN0001"},"sourceIPAddress":"198.51.100.7","requestParameters":{"userName":"bob"}})"
      "\n"
      R"({"eventTime":"2026-11-27T10:05:00Z","eventID":"b","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","recipientAccountId":"1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/admin","accountId":"1","accessKeyId":"AKIAEXAMPLEADMIN0001"},"sourceIPAddress":"198.51.100.7","requestParameters":{"userName":"carol"},"responseElements":{"user":{"arn":"arn:aws:iam::1:user/carol","userName":"carol"}}})"
      "\n";
  ScanOptions options;
  options.jobs = 1;
  const AnalysisResult result = Analyze({{"events.jsonl", events.size(), &events}}, set.Rules(), options);
  std::vector<std::pair<std::string, Severity>> got;
  for (const Finding& f : result.findings) got.emplace_back(f.rule_id, f.severity);
  const std::vector<std::pair<std::string, Severity>> want = {{"sigma_aws_update_login_profile", Severity::kHigh}};
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace lir
