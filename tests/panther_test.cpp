// Our rules against Panther's unit-test events (Apache-2.0, copied in
// ../shared/corpora/panther-cloudtrail-tests with its LICENSE). Where our rule has the same
// intent (tools/coverage_map.yaml) we must reach Panther's ExpectedResult; where we differ on
// purpose, the map says so and why, and the test asserts the opposite of Panther's result.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "analysis/engine.h"
#include "analysis/rule_set.h"
#include "test_support.h"

namespace lir {
namespace {

// YAML (Panther writes events as flow JSON inside YAML) to JSON text.
nlohmann::json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json obj = nlohmann::json::object();
      for (auto it = node.begin(); it != node.end(); ++it) obj[it->first.Scalar()] = ToJson(it->second);
      return obj;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& item : node) arr.push_back(ToJson(item));
      return arr;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") return s;  // quoted
      if (s == "true" || s == "false") return s == "true";
      if (s == "null" || s == "~") return nullptr;
      char* end = nullptr;
      const long long i = std::strtoll(s.c_str(), &end, 10);
      if (!s.empty() && *end == '\0') return i;
      return s;
    }
    default:
      return nullptr;
  }
}

// The same-intent pairs and the deliberate differences live in tools/coverage_map.yaml, which
// also feeds docs/detection-coverage.md: one list, checked here test by test.
TEST(Panther, SameIntentRulesAgreeWithExpectedResults) {
  LIR_REQUIRE_CORPORA();
  const RuleSet rules = LoadEmbeddedRules();
  ASSERT_TRUE(rules.issues.empty());
  const YAML::Node map = YAML::LoadFile(test::SourceDir() + "/tools/coverage_map.yaml")["panther"];
  ASSERT_TRUE(map.IsMap());
  int compared = 0, deliberate = 0;
  for (auto entry = map.begin(); entry != map.end(); ++entry) {
    const std::string panther_file = entry->first.Scalar() + ".yml";
    const std::string our_rule = entry->second["rule"].Scalar();
    const YAML::Node differences = entry->second["differences"];
    const std::string path =
        test::CorporaDir() + "/panther-cloudtrail-tests/rules/aws_cloudtrail_rules/" + panther_file;
    const YAML::Node doc = YAML::LoadFile(path);
    const auto rule = std::find_if(rules.rules.begin(), rules.rules.end(),
                                   [&](const LoadedRule& r) { return r.rule.id == our_rule; });
    ASSERT_NE(rule, rules.rules.end()) << our_rule;
    const YAML::Node tests = doc["Tests"];
    ASSERT_TRUE(tests.IsSequence()) << path;
    for (size_t i = 0; i < tests.size(); ++i) {
      if (tests[i]["Mocks"]) continue;
      const std::string name = tests[i]["Name"].Scalar();
      const bool panther_expected = tests[i]["ExpectedResult"].as<bool>();
      const std::string event = ToJson(tests[i]["Log"]).dump();
      ScanOptions options;
      options.jobs = 1;
      // All rules run, as in `rules eval`: a rule may lean on what another found.
      const AnalysisResult result = Analyze({{name, event.size(), &event}}, rules.Rules(), options);
      ASSERT_EQ(result.stats.events, 1u) << panther_file << " #" << i << " " << name;
      const bool ours = std::any_of(result.findings.begin(), result.findings.end(),
                                    [&](const Finding& f) { return f.rule_id == our_rule; });
      if (differences && differences[std::to_string(i)]) {
        ++deliberate;
        EXPECT_NE(ours, panther_expected) << "listed as a difference but agrees: " << panther_file << " #" << i;
      } else {
        ++compared;
        EXPECT_EQ(ours, panther_expected) << panther_file << " #" << i << " " << name;
      }
    }
  }
  EXPECT_EQ(compared, 18);
  EXPECT_EQ(deliberate, 5);
}

// Panther's AWS.LAMBDA.CRUD lists unversioned names; real records carry suffixes. Our
// normalisation matches both, so the same DeleteFunction event matches under either name.
TEST(Panther, VersionedAndUnversionedNamesMatchAlike) {
  const RuleSet rules = LoadEmbeddedRules();
  const auto rule = std::find_if(rules.rules.begin(), rules.rules.end(),
                                 [](const LoadedRule& r) { return r.rule.id == "lambda_function_deleted"; });
  ASSERT_NE(rule, rules.rules.end());
  for (const char* name : {"DeleteFunction", "DeleteFunction20150331"}) {
    const std::string event = std::string(R"({"eventTime":"2026-11-27T00:00:00Z","eventSource":"lambda.amazonaws.com","eventName":")") +
                              name + R"(","requestParameters":{"functionName":"f"},"eventID":"1"})";
    ScanOptions options;
    options.jobs = 1;
    const auto result = Analyze({{"e", event.size(), &event}}, {rule->rule}, options);
    EXPECT_EQ(result.findings.size(), 1u) << name;
  }
}

}  // namespace
}  // namespace lir
