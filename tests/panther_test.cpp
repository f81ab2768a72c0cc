// Our rules against Panther's unit-test events for its Lambda rules (Apache-2.0, copied in
// ../shared/corpora/panther-cloudtrail-tests with its LICENSE). Where our rule has the same
// intent we must reach Panther's ExpectedResult; where we differ on purpose, the table says
// so and why, and the test asserts our result instead.
#include <gtest/gtest.h>

#include <map>

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

struct Deliberate {
  bool ours;
  const char* why;
};

struct Mapping {
  const char* panther_file;
  const char* our_rule;
  std::map<int, Deliberate> differences;  // by test index
};

const char* kLayersWhy =
    "Panther keys on responseElements.layers, which lists every layer a function has after any "
    "configuration change (a timeout change on a function with an old layer fires). We key on the "
    "request that sets layers; Panther's hand-written events carry layers only in the response.";

const Mapping kMappings[] = {
    {"aws_overwrite_lambda_code.yml", "lambda_function_code_updated_by_user", {}},
    {"aws_backdoor_lambda_function.yml", "lambda_permission_added", {}},
    {"aws_lambda_crud.yml", "lambda_function_deleted",
     {{2, {true, "Panther exempts any ARN ending in DeployRole; a name is not an authorisation, and stolen "
                 "deploy credentials are exactly what we look for."}}}},
    {"aws_add_malicious_lambda_extension.yml", "lambda_layer_added",
     {{0, {false, kLayersWhy}}, {2, {false, kLayersWhy}}, {3, {false, kLayersWhy}}}},
};

TEST(Panther, LambdaRulesAgreeWithExpectedResults) {
  LIR_REQUIRE_CORPORA();
  const RuleSet rules = LoadEmbeddedRules();
  ASSERT_TRUE(rules.issues.empty());
  int compared = 0, deliberate = 0;
  for (const Mapping& m : kMappings) {
    const std::string path =
        test::CorporaDir() + "/panther-cloudtrail-tests/rules/aws_cloudtrail_rules/" + m.panther_file;
    const YAML::Node doc = YAML::LoadFile(path);
    const auto rule = std::find_if(rules.rules.begin(), rules.rules.end(),
                                   [&](const LoadedRule& r) { return r.rule.id == m.our_rule; });
    ASSERT_NE(rule, rules.rules.end()) << m.our_rule;
    const YAML::Node tests = doc["Tests"];
    ASSERT_TRUE(tests.IsSequence()) << path;
    for (size_t i = 0; i < tests.size(); ++i) {
      if (tests[i]["Mocks"]) continue;
      const std::string name = tests[i]["Name"].Scalar();
      const bool panther_expected = tests[i]["ExpectedResult"].as<bool>();
      const std::string event = ToJson(tests[i]["Log"]).dump();
      ScanOptions options;
      options.jobs = 1;
      const AnalysisResult result = Analyze({{name, event.size(), &event}}, {rule->rule}, options);
      ASSERT_EQ(result.stats.events, 1u) << m.panther_file << " #" << i << " " << name;
      const bool ours = !result.findings.empty();
      auto diff = m.differences.find(static_cast<int>(i));
      if (diff != m.differences.end()) {
        ++deliberate;
        EXPECT_NE(diff->second.ours, panther_expected) << "listed as a difference but agrees: " << name;
        EXPECT_EQ(ours, diff->second.ours) << m.panther_file << " #" << i << " " << name << ": " << diff->second.why;
      } else {
        ++compared;
        EXPECT_EQ(ours, panther_expected) << m.panther_file << " #" << i << " " << name;
      }
    }
  }
  EXPECT_EQ(compared, 13);
  EXPECT_EQ(deliberate, 4);
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
