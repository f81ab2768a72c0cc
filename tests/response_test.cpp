// contain, recover and status against moto_server (with the provisioned-concurrency proxy in
// front, since moto lacks that API), every resulting state read back with boto3
// (tests/read_state.py): a function with reserved concurrency 7, provisioned concurrency 3
// on its alias, two mappings of which one was disabled before, a URL with AuthType NONE,
// an existing inline policy and a public resource-policy statement.
#include <gtest/gtest.h>

#include <memory>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace lir {
namespace {

using nlohmann::json;

const std::map<std::string, std::string> kEnv = {{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"},
                                                 {"AWS_DEFAULT_REGION", "us-east-1"}};

const json kDenyAll = json::parse(R"({"Version":"2012-10-17","Statement":[{"Sid":"IncidentResponseDenyAll","Effect":"Deny","Action":"*","Resource":"*"}]})");

class Response : public ::testing::Test {
 protected:
  void SetUp() override { Reseed(); }

  // moto reset, a new proxy (its provisioned configs live in memory), the scenario seeded.
  void Reseed() {
    proxy_.reset();
    const std::string moto = test::FreshMoto();
    proxy_ = std::make_unique<test::ChildServer>(
        std::vector<std::string>{"python3", test::SourceDir() + "/tests/servers/provisioned_concurrency_proxy.py", moto});
    const auto seed = test::RunCommand({"python3", test::SourceDir() + "/tests/seed_response.py", moto, proxy_->url()});
    ASSERT_EQ(seed.exit_code, 0) << seed.err;
    seed_ = json::parse(seed.out);
    before_ = State();
  }

  json State() const {
    const auto r = test::RunCommand({"python3", test::SourceDir() + "/tests/read_state.py", proxy_->url(), "payments"});
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

  std::unique_ptr<test::ChildServer> proxy_;
  json seed_, before_;
};

TEST_F(Response, SeededScenarioIsWhatTheTestsAssume) {
  EXPECT_EQ(before_["reserved"], 7);
  EXPECT_EQ(before_["provisioned"], json({{"live", 3}}));
  EXPECT_EQ(before_["mappings"][seed_["esm_uuid"].get<std::string>()], "Enabled");
  EXPECT_EQ(before_["mappings"][seed_["disabled_esm_uuid"].get<std::string>()], "Disabled");
  EXPECT_EQ(before_["urls"]["$LATEST"], "NONE");
  EXPECT_TRUE(before_["inline_policies"].contains("inline-logs"));
  EXPECT_EQ(before_["statements"], json({"open-invoke", "s3-invoke"}));
}

TEST_F(Response, ContainThenRecoverRestoresEveryValue) {
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  const std::string queue = seed_["queue_arn"];
  const auto contained = Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--steps", "all",
                              "--on-failure-destination", queue});
  ASSERT_EQ(contained.exit_code, 0) << contained.out << contained.err;
  EXPECT_NE(contained.err.find("retried for up to 21600 s"), std::string::npos) << contained.err;
  EXPECT_NE(contained.err.find("Expired events go to " + queue), std::string::npos);
  EXPECT_EQ(contained.out.find("hunter2"), std::string::npos);  // env values stay in the case

  const json during = State();
  ExpectContained(during);
  EXPECT_EQ(during["urls"], json({{"$LATEST", "AWS_IAM"}, {"live", "AWS_IAM"}}));
  EXPECT_EQ(during["statements"], json({"s3-invoke"}));  // only the flagged statement removed
  EXPECT_EQ(during["event_invoke_config"]["DestinationConfig"]["OnFailure"]["Destination"], queue);
  const json revoke = during["inline_policies"]["RevokeOlderSessions-IncidentResponse"];
  EXPECT_EQ(revoke["Statement"][0]["Condition"]["DateLessThan"].begin().key(), "aws:TokenIssueTime");
  EXPECT_EQ(during["inline_policies"]["inline-logs"], before_["inline_policies"]["inline-logs"]);

  // The snapshot came first: the env var value is in the case, as collected.
  EXPECT_NE(test::ReadFile(dir + "/artifacts/lambda/payments/function.json").find("hunter2"), std::string::npos);
  const json journal = Journal(dir);
  ExpectPriorsRecorded(journal);
  EXPECT_EQ(StepNamed(journal, "contain/payments/r1/url/$LATEST")["prior_state"]["AuthType"], "NONE");
  EXPECT_EQ(StepNamed(journal, "contain/payments/r1/statement/$LATEST/open-invoke")["prior_state"]["Flagged"], "lambda_config_policy_public");
  EXPECT_EQ(StepNamed(journal, "contain/payments/r1/on-failure-destination")["prior_state"], json::object());
  for (const auto& s : journal) {
    EXPECT_EQ(s["status"], "done") << s["key"];
    EXPECT_EQ(s["actor"], "arn:aws:sts::123456789012:user/moto");
  }

  const auto recovered = Lir({"recover", "payments", "--case", dir, "--yes"});
  ASSERT_EQ(recovered.exit_code, 0) << recovered.out << recovered.err;
  EXPECT_NE(recovered.err.find("statement open-invoke not put back"), std::string::npos);
  json after = State();
  // Everything as before, except what recovery deliberately keeps: the flagged statement stays
  // removed and sessions issued before containment stay denied.
  json expected = before_;
  expected["statements"] = json({"s3-invoke"});
  expected["inline_policies"]["RevokeOlderSessions-IncidentResponse"] = revoke;
  EXPECT_EQ(after, expected);
  // Reserved concurrency was put back to 7, not deleted (the runbook's trap).
  const auto put_back = StepNamed(Journal(dir), "recover/payments/r1/reserved-concurrency");
  EXPECT_NE(put_back["action"].get<std::string>().find("put-function-concurrency --function-name payments --reserved-concurrent-executions 7"),
            std::string::npos);
  EXPECT_EQ(test::RunTool({"verify", dir}).exit_code, 0);
}

TEST_F(Response, RecoverDeletesReservedConcurrencyOnlyWhenThereWasNone) {
  ASSERT_EQ(test::RunWithEnv({"aws", "lambda", "delete-function-concurrency", "--function-name", "payments", "--endpoint-url",
                              proxy_->url()}, kEnv).exit_code, 0);
  // Provisioned concurrency needs room in the reserved pool only when one is set: none now.
  before_ = State();
  ASSERT_EQ(before_["reserved"], nullptr);
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes"}).exit_code, 0);
  EXPECT_EQ(State()["reserved"], 0);
  EXPECT_EQ(StepNamed(Journal(dir), "contain/payments/r1/reserved-concurrency")["prior_state"], json::object());
  ASSERT_EQ(Lir({"recover", "payments", "--case", dir, "--yes"}).exit_code, 0);
  EXPECT_EQ(State(), before_);
  EXPECT_NE(StepNamed(Journal(dir), "recover/payments/r1/reserved-concurrency")["action"].get<std::string>().find("delete-function-concurrency"),
            std::string::npos);
}

TEST_F(Response, ContainTwiceChangesNothingMoreAndKeepsThePriors) {
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes"}).exit_code, 0);
  const json first = Journal(dir);
  const auto again = Lir({"contain", "payments", "--case", dir, "--yes"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("0 changed"), std::string::npos) << again.out;
  ExpectContained(State());
  const json second = Journal(dir);
  ASSERT_EQ(second.size(), first.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(second[i]["prior_state"], first[i]["prior_state"]);
  ExpectPriorsRecorded(second);
  // After recovery, a new containment is a new round with its own priors.
  ASSERT_EQ(Lir({"recover", "payments", "--case", dir, "--yes"}).exit_code, 0);
  EXPECT_EQ(State(), before_);
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--yes"}).exit_code, 0);
  ExpectContained(State());
  ExpectPriorsRecorded(Journal(dir), 2);
}

TEST_F(Response, SameNamedPolicyIsReplacedThenPutBack) {
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--steps", "deny", "--deny-policy-name", "inline-logs"}).exit_code, 0);
  EXPECT_EQ(State()["inline_policies"]["inline-logs"], kDenyAll);
  EXPECT_EQ(StepNamed(Journal(dir), "contain/payments/r1/deny-policy")["prior_state"]["PolicyDocument"],
            before_["inline_policies"]["inline-logs"]);
  ASSERT_EQ(Lir({"recover", "payments", "--case", dir, "--yes"}).exit_code, 0);
  EXPECT_EQ(State(), before_);
}

TEST_F(Response, SharedRoleIsRefusedUnlessAllowed) {
  test::TempDir tmp;
  ASSERT_EQ(test::RunCommand({"python3", "-c", "import sys,zipfile; zipfile.ZipFile(sys.argv[1],'w').writestr('app.py','')",
                              tmp.File("billing.zip")}).exit_code, 0);
  const auto made = test::RunWithEnv({"aws", "lambda", "create-function", "--function-name", "billing", "--runtime", "python3.12",
                                      "--handler", "app.handler", "--role", seed_["role_arn"], "--zip-file",
                                      "fileb://" + tmp.File("billing.zip"), "--endpoint-url", proxy_->url()},
                                     kEnv);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto refused = Lir({"contain", "payments", "--case", tmp.File("case"), "--skip-packages", "--yes"});
  EXPECT_EQ(refused.exit_code, 8);
  EXPECT_NE(refused.err.find("role payments-role is also the execution role of billing"), std::string::npos) << refused.err;
  EXPECT_EQ(State(), before_);  // nothing changed
  // Leaving the role alone is allowed; so is denying it for all, when asked.
  ASSERT_EQ(Lir({"contain", "payments", "--case", tmp.File("case"), "--yes", "--steps", "throttle,mappings"}).exit_code, 0);
  EXPECT_FALSE(State()["inline_policies"].contains("DenyAll-IncidentResponse"));
  ASSERT_EQ(Lir({"contain", "payments", "--case", tmp.File("case2"), "--skip-packages", "--yes", "--allow-shared-role"}).exit_code, 0);
  ExpectContained(State());
}

TEST_F(Response, WithoutYesAndNoTerminalNothingChanges) {
  test::TempDir tmp;
  const auto r = Lir({"contain", "payments", "--case", tmp.File("case"), "--skip-packages"});
  EXPECT_EQ(r.exit_code, 8);
  EXPECT_NE(r.err.find("Pass --yes"), std::string::npos);
  EXPECT_EQ(State(), before_);
}

TEST_F(Response, StatusShowsEveryStepWithWhoWhenAndBefore) {
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes"}).exit_code, 0);
  const auto r = test::RunTool({"status", dir});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("done     contain/payments/r1/reserved-concurrency"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("by arn:aws:sts::123456789012:user/moto started "), std::string::npos);
  EXPECT_NE(r.out.find("before: {\"ReservedConcurrentExecutions\":7}"), std::string::npos);
  EXPECT_NE(r.out.find("5 steps, 0 not done"), std::string::npos);
  EXPECT_EQ(test::RunTool({"status", tmp.File("nowhere")}).exit_code, 3);
}

}  // namespace
}  // namespace lir
