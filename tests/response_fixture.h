// The response scenario shared by the response tests: moto_server with the provisioned-
// concurrency proxy in front (moto lacks that API), seeded by tests/seed_response.py, every
// state read back with boto3 (tests/read_state.py).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace lir {

using nlohmann::json;

inline const std::map<std::string, std::string> kEnv = {{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "planted-secret-key-7Qm2"},
                                                 {"AWS_SESSION_TOKEN", "planted-session-token-9Xv4"},
                                                 {"AWS_DEFAULT_REGION", "us-east-1"}};  // secrets: test::PlantedSecrets

inline const json kDenyAll = json::parse(R"({"Version":"2012-10-17","Statement":[{"Sid":"IncidentResponseDenyAll","Effect":"Deny","Action":"*","Resource":"*"}]})");

class Response : public ::testing::Test {
 protected:
  void SetUp() override { Reseed(); }

  // moto and the proxy reset (its provisioned configs live in memory), the scenario seeded.
  void Reseed() {
    const std::string moto = test::FreshMoto();
    static test::ChildServer proxy({"python3", test::SourceDir() + "/tests/servers/lambda_gaps_proxy.py", moto});
    proxy_ = &proxy;
    test::ResetServer(proxy.url());
    ResetControl();
    const auto seed = test::RunPython("seed_response.py", {moto, proxy_->url()});
    ASSERT_EQ(seed.exit_code, 0) << seed.err;
    seed_ = json::parse(seed.out);
    before_ = State();
  }

  json State() const {
    const auto r = test::RunPython("read_state.py", {proxy_->url(), "payments"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }

  test::CommandResult Lir(std::vector<std::string> args, std::map<std::string, std::string> env = kEnv,
                          const std::string& endpoint = "") const {
    args.insert(args.begin(), test::BinaryPath());
    args.push_back("--endpoint-url");
    args.push_back(endpoint.empty() ? proxy_->url() : endpoint);
    return test::RunWithEnv(args, env);
  }

  // The command run with the test-only hook that SIGKILLs it at the `point`th crash point.
  test::CommandResult LirKilledAt(int point, std::vector<std::string> args) const {
    auto env = kEnv;
    env["LAMBDA_IR_TEST_CRASH_AT"] = std::to_string(point);
    return Lir(std::move(args), env);
  }

  // An aws CLI command against the scenario (or `endpoint`), its JSON answer ({} for none).
  json Aws(const std::vector<std::string>& args, const std::string& endpoint = "") const {
    std::vector<std::string> argv = args;
    argv.insert(argv.end(), {"--endpoint-url", endpoint.empty() ? proxy_->url() : endpoint, "--output", "json"});
    const auto r = test::RunPython("aws_cli.py", argv, kEnv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out.empty() ? "{}" : r.out);
  }

  // A role as the aws CLI sees it: trust, inline and attached policies.
  json RoleState(const std::string& role, const std::string& endpoint = "") const {
    json out;
    out["trust"] = Aws({"iam", "get-role", "--role-name", role}, endpoint)["Role"]["AssumeRolePolicyDocument"];
    out["inline"] = Aws({"iam", "list-role-policies", "--role-name", role}, endpoint)["PolicyNames"];
    out["attached"] = json::array();
    const json attached = Aws({"iam", "list-attached-role-policies", "--role-name", role}, endpoint);
    for (const auto& a : attached["AttachedPolicies"]) out["attached"].push_back(a["PolicyArn"]);
    return out;
  }

  json Journal(const std::string& case_dir) const {
    const auto r = test::RunTool({"status", case_dir, "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }

  static const json& StepNamed(const json& journal, const std::string& key) {
    for (const auto& s : journal) {
      if (s["key"] == key) return s;
    }
    static const json kMissing;
    ADD_FAILURE() << "no journal step " << key;
    return kMissing;
  }

  // What the default containment leaves: throttled, every mapping disabled, the role denied.
  void ExpectContained(const json& now, const std::string& deny_name = "DenyAll-IncidentResponse") const {
    EXPECT_EQ(now["reserved"], 0);
    EXPECT_EQ(now["provisioned"], json::object());
    ASSERT_EQ(now["mappings"].size(), before_["mappings"].size());
    for (const auto& [uuid, state] : now["mappings"].items()) EXPECT_EQ(state, "Disabled") << uuid;
    EXPECT_EQ(now["inline_policies"][deny_name], kDenyAll);
  }

  // The journal holds the true prior values, whatever happened on the way.
  void ExpectPriorsRecorded(const json& journal, int round = 1) const {
    const std::string prefix = "contain/payments/r" + std::to_string(round) + "/";
    EXPECT_EQ(StepNamed(journal, prefix + "reserved-concurrency")["prior_state"], json({{"ReservedConcurrentExecutions", 7}}));
    EXPECT_EQ(StepNamed(journal, prefix + "provisioned-concurrency/live")["prior_state"]["RequestedProvisionedConcurrentExecutions"], 3);
    EXPECT_EQ(StepNamed(journal, prefix + "mapping/" + seed_["esm_uuid"].get<std::string>())["prior_state"]["State"], "Enabled");
    EXPECT_EQ(StepNamed(journal, prefix + "mapping/" + seed_["disabled_esm_uuid"].get<std::string>())["prior_state"]["State"], "Disabled");
    EXPECT_EQ(StepNamed(journal, prefix + "deny-policy")["prior_state"]["PolicyDocument"], nullptr);
  }

  // The control proxy (tests/servers/control_proxy.py) in front of the scenario: denies,
  // answers or logs operations as a test tells it. One per test binary, reset with the scenario.
  std::string Controlled() {
    static test::ChildServer control({"python3", test::SourceDir() + "/tests/servers/control_proxy.py", proxy_->url()});
    return control.url();
  }
  void SetRules(const json& rules) {
    const auto r = test::PostJson(Controlled() + "/_proxy/rules", rules.dump());
    ASSERT_EQ(r, "{}");
  }
  // Every operation asked through the control proxy since the last reset, as IAM actions.
  json ControlLog() { return json::parse(test::PostJson(Controlled() + "/_proxy/log", "")); }
  void ResetControl() { test::ResetServer(Controlled()); }

  // A rule's sample event moved to the emulator's account (123456789012), with `edit` applied.
  static json SampleRecord(const std::string& rule, const std::function<void(json&)>& edit = nullptr) {
    std::string text = test::ReadFile(test::SourceDir() + "/rules/" + rule + "/tests/match/01.json");
    for (size_t at; (at = text.find("111122223333")) != std::string::npos;) text.replace(at, 12, "123456789012");
    json record = json::parse(text);
    if (edit) edit(record);
    return record;
  }

  test::ChildServer* proxy_ = nullptr;  // one per test binary, reset per test
  json seed_, before_;
};

}  // namespace lir
