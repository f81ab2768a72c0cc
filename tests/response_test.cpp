// contain, recover and status against moto_server (with the provisioned-concurrency proxy in
// front, since moto lacks that API), every resulting state read back with boto3
// (tests/read_state.py): a function with reserved concurrency 7, provisioned concurrency 3
// on its alias, two mappings of which one was disabled before, a URL with AuthType NONE,
// an existing inline policy and a public resource-policy statement.
#include <ctime>

#include "response_fixture.h"

namespace lir {
namespace {

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
  EXPECT_EQ(StepNamed(journal, "contain/payments/r1/on-failure-destination")["prior_state"], json({{"Qualifier", ""}}));
  for (const auto& s : journal) {
    EXPECT_EQ(s["status"], "done") << s["key"];
    EXPECT_EQ(s["actor"], "arn:aws:sts::123456789012:user/moto");
  }

  const auto recovered = Lir({"recover", "payments", "--case", dir, "--yes"});
  ASSERT_EQ(recovered.exit_code, 0) << recovered.out << recovered.err;
  EXPECT_NE(recovered.err.find("statement open-invoke not put back"), std::string::npos);
  json after = State();
  // Everything as before, except what recovery deliberately keeps: the flagged statement stays
  // removed, sessions issued before containment stay denied, and the URLs, public only with that
  // statement, stay AWS_IAM rather than come back half open.
  EXPECT_NE(recovered.out.find("left AWS_IAM: the statement that made the URL public is gone"), std::string::npos) << recovered.out;
  json expected = before_;
  expected["statements"] = json({"s3-invoke"});
  expected["urls"] = json({{"$LATEST", "AWS_IAM"}, {"live", "AWS_IAM"}});
  expected["inline_policies"]["RevokeOlderSessions-IncidentResponse"] = revoke;
  EXPECT_EQ(after, expected);
  // Reserved concurrency was put back to 7, not deleted (the runbook's trap).
  const auto put_back = StepNamed(Journal(dir), "recover/payments/r1/reserved-concurrency");
  EXPECT_NE(put_back["action"].get<std::string>().find("put-function-concurrency --function-name payments --reserved-concurrent-executions 7"),
            std::string::npos);
  EXPECT_EQ(test::RunTool({"verify", dir}).exit_code, 0);
}

TEST_F(Response, RecoverDeletesReservedConcurrencyOnlyWhenThereWasNone) {
  ASSERT_EQ(test::RunPython("aws_cli.py", {"lambda", "delete-function-concurrency", "--function-name", "payments", "--endpoint-url",
                              proxy_->url()}, kEnv).exit_code, 0);
  // Provisioned concurrency needs room in the reserved pool only when one is set: none now.
  before_ = State();
  ASSERT_EQ(before_["reserved"], nullptr);
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes"}).exit_code, 0);
  EXPECT_EQ(State()["reserved"], 0);
  EXPECT_EQ(StepNamed(Journal(dir), "contain/payments/r1/reserved-concurrency")["prior_state"], json::object());
  ASSERT_EQ(Lir({"recover", "payments", "--case", dir, "--yes", "--force"}).exit_code, 0);
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
  ASSERT_EQ(Lir({"recover", "payments", "--case", dir, "--yes", "--force"}).exit_code, 0);
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
  ASSERT_EQ(Lir({"recover", "payments", "--case", dir, "--yes", "--force"}).exit_code, 0);
  EXPECT_EQ(State(), before_);
}

TEST_F(Response, SharedRoleIsRefusedUnlessAllowed) {
  test::TempDir tmp;
  ASSERT_EQ(test::RunCommand({"python3", "-c", "import sys,zipfile; zipfile.ZipFile(sys.argv[1],'w').writestr('app.py','')",
                              tmp.File("billing.zip")}).exit_code, 0);
  const auto made = test::RunPython("aws_cli.py", {"lambda", "create-function", "--function-name", "billing", "--runtime", "python3.12",
                                      "--handler", "app.handler", "--role", seed_["role_arn"], "--zip-file",
                                      "fileb://" + tmp.File("billing.zip"), "--endpoint-url", proxy_->url()},
                                     kEnv);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  // The function is stopped all the same (its throttle harms nobody else); the deny-all,
  // which would stop billing too, is held back and said so: contained, one step not done.
  const auto held = Lir({"contain", "payments", "--case", tmp.File("case"), "--skip-packages", "--yes"});
  EXPECT_EQ(held.exit_code, 9) << held.out << held.err;
  EXPECT_NE(held.out.find("not tried   execution role payments-role of payments: + inline policy DenyAll-IncidentResponse (deny "
                          "everything): held back: role payments-role is also used by function billing (us-east-1): the deny-all "
                          "would stop them too. Rerun with --allow-shared-role"),
            std::string::npos)
      << held.out;
  EXPECT_NE(held.out.find("payments: contained (reserved concurrency 0)"), std::string::npos) << held.out;
  json now = State();
  EXPECT_EQ(now["reserved"], 0);
  EXPECT_FALSE(now["inline_policies"].contains("DenyAll-IncidentResponse"));
  EXPECT_EQ(StepNamed(Journal(tmp.File("case")), "contain/payments/r1/deny-policy")["status"], "skipped");
  // Denying it for all, when asked, completes the same containment.
  const auto allowed = Lir({"contain", "payments", "--case", tmp.File("case"), "--yes", "--allow-shared-role"});
  ASSERT_EQ(allowed.exit_code, 0) << allowed.out << allowed.err;
  EXPECT_NE(allowed.out.find("1 changed, 4 done by an earlier run, 0 failed"), std::string::npos) << allowed.out;
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

TEST_F(Response, RecoverWithMonitorCreatesExpiringAlarmsThatCleanupRemoves) {
  // A baseline to set thresholds against: 40 invocations in one 5-minute period a day ago
  // (the seed's 3 are from now, another period).
  ASSERT_EQ(test::RunPython("aws_cli.py", {"cloudwatch", "put-metric-data", "--namespace", "AWS/Lambda", "--metric-name", "Invocations",
                              "--dimensions", "FunctionName=payments", "--value", "40", "--timestamp",
                              std::to_string(std::time(nullptr) - 86400), "--endpoint-url", proxy_->url()}, kEnv).exit_code, 0);
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes"}).exit_code, 0);
  const auto r = Lir({"recover", "payments", "--case", dir, "--yes", "--force", "--monitor", "48h"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto described = test::RunPython("aws_cli.py", {"cloudwatch", "describe-alarms", "--alarm-name-prefix", "lambda-ir-payments-",
                                           "--endpoint-url", proxy_->url(), "--output", "json"}, kEnv);
  const json alarms = json::parse(described.out)["MetricAlarms"];
  ASSERT_EQ(alarms.size(), 5u);
  std::map<std::string, double> thresholds;
  for (const auto& a : alarms) thresholds[a["AlarmName"]] = a["Threshold"];
  EXPECT_EQ(thresholds["lambda-ir-payments-invocations"], 90);  // 2 x 40 + 10
  const auto tags = test::RunPython("aws_cli.py", {"cloudwatch", "list-tags-for-resource", "--resource-arn", alarms[0]["AlarmArn"],
                                      "--endpoint-url", proxy_->url(), "--output", "json"}, kEnv);
  EXPECT_NE(tags.out.find("lambda-ir:expires"), std::string::npos) << tags.out;

  // Not expired yet: cleanup keeps them. Three days on, it removes them all.
  const auto early = Lir({"monitor", "cleanup"});
  ASSERT_EQ(early.exit_code, 0) << early.err;
  EXPECT_NE(early.out.find("0 expired alarms removed, 5 kept"), std::string::npos) << early.out;
  const auto later = Lir({"monitor", "cleanup", "--now", std::to_string(std::time(nullptr) * 1000LL + 72LL * 3600 * 1000)});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_NE(later.out.find("5 expired alarms removed, 0 kept"), std::string::npos) << later.out;
  const auto after = test::RunPython("aws_cli.py", {"cloudwatch", "describe-alarms", "--alarm-name-prefix", "lambda-ir-", "--endpoint-url",
                                       proxy_->url(), "--output", "json"}, kEnv);
  EXPECT_EQ(json::parse(after.out)["MetricAlarms"].size(), 0u);
}

TEST_F(Response, ASharedRoleStaysDeniedUntilTheLastOfItsFunctionsIsRecovered) {
  test::TempDir tmp;
  ASSERT_EQ(test::RunCommand({"python3", "-c", "import sys,zipfile; zipfile.ZipFile(sys.argv[1],'w').writestr('app.py','')",
                              tmp.File("billing.zip")}).exit_code, 0);
  ASSERT_EQ(test::RunPython("aws_cli.py", {"lambda", "create-function", "--function-name", "billing", "--runtime", "python3.12", "--handler",
                              "app.handler", "--role", seed_["role_arn"], "--zip-file", "fileb://" + tmp.File("billing.zip"),
                              "--endpoint-url", proxy_->url()}, kEnv).exit_code, 0);
  before_ = State();
  const std::string dir = tmp.File("case");
  // Contained one after the other: the second sees the first's deny, which is not a prior.
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--allow-shared-role"}).exit_code, 0);
  const auto second = Lir({"contain", "billing", "--case", dir, "--skip-packages", "--yes", "--allow-shared-role", "--steps", "deny"});
  ASSERT_EQ(second.exit_code, 0);
  // The second snapshot reads the shared role again: each answer is kept beside the first copy
  // (the inline policy list now holds the deny), never over it and never as a failure.
  EXPECT_EQ(second.err.find("File exists"), std::string::npos) << second.err;
  const std::string manifest = test::ReadFile(dir + "/manifest.json");
  EXPECT_NE(manifest.find("\"artifacts/iam/roles/payments-role/role.json\""), std::string::npos);
  EXPECT_NE(manifest.find("\"artifacts/iam/roles/payments-role/inline-policies.2.page-1.json\""), std::string::npos);
  EXPECT_NE(test::ReadFile(dir + "/artifacts/iam/roles/payments-role/inline-policies.2.page-1.json").find("DenyAll-IncidentResponse"),
            std::string::npos);
  EXPECT_EQ(StepNamed(Journal(dir), "contain/billing/r1/deny-policy")["prior_state"]["AlreadyInPlace"], true);
  const auto first = Lir({"recover", "payments", "--case", dir, "--yes", "--force"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.err.find("DenyAll-IncidentResponse on role payments-role kept: billing is still contained"), std::string::npos) << first.err;
  EXPECT_EQ(State()["inline_policies"]["DenyAll-IncidentResponse"], kDenyAll);
  ASSERT_EQ(Lir({"recover", "billing", "--case", dir, "--yes", "--force"}).exit_code, 0);
  EXPECT_EQ(State(), before_);

  // Contained together: each its own step, one after the other, and the same rule: the role
  // stays denied until the last of them is recovered.
  const std::string together = tmp.File("together");
  // Planned together, the role's deny is one line of the script, not one per function.
  const auto planned = Lir({"contain", "payments", "billing", "--dry-run", "--steps", "deny"});
  ASSERT_EQ(planned.exit_code, 0) << planned.err;
  size_t puts = 0;
  for (size_t at = planned.out.find("aws iam put-role-policy --role-name payments-role"); at != std::string::npos;
       at = planned.out.find("aws iam put-role-policy --role-name payments-role", at + 1)) {
    ++puts;
  }
  EXPECT_EQ(puts, 1u) << planned.out;
  const auto both = Lir({"contain", "payments", "billing", "--case", together, "--skip-packages", "--yes", "--steps", "deny"});
  ASSERT_EQ(both.exit_code, 0) << both.out << both.err;
  EXPECT_NE(both.out.find("2 changed, 0 done by an earlier run, 0 failed"), std::string::npos) << both.out;
  const json journal = Journal(together);
  EXPECT_EQ(StepNamed(journal, "contain/payments/r1/deny-policy")["prior_state"]["PolicyDocument"], nullptr);
  EXPECT_EQ(StepNamed(journal, "contain/billing/r1/deny-policy")["prior_state"]["AlreadyInPlace"], true);
  ASSERT_EQ(Lir({"recover", "payments", "--case", together, "--yes", "--force"}).exit_code, 0);
  EXPECT_EQ(State()["inline_policies"]["DenyAll-IncidentResponse"], kDenyAll);
  ASSERT_EQ(Lir({"recover", "billing", "--case", together, "--yes", "--force"}).exit_code, 0);
  EXPECT_EQ(State(), before_);

  // One of them deleted by eradicate: it holds the role no more, and recovering the other
  // takes the deny off (else the recovered function would run with a role that denies all).
  const std::string deleted = tmp.File("deleted");
  ASSERT_EQ(Lir({"contain", "payments", "billing", "--case", deleted, "--skip-packages", "--yes", "--steps", "deny"}).exit_code, 0);
  const auto eradicated = Lir({"eradicate", "payments", "--case", deleted, "--delete-function", "billing", "--yes"});
  ASSERT_EQ(eradicated.exit_code, 0) << eradicated.out << eradicated.err;
  const auto recovered = Lir({"recover", "payments", "--case", deleted, "--yes", "--force"});
  ASSERT_EQ(recovered.exit_code, 0) << recovered.out << recovered.err;
  EXPECT_EQ(recovered.err.find("kept: billing is still contained"), std::string::npos) << recovered.err;
  EXPECT_EQ(State()["inline_policies"].contains("DenyAll-IncidentResponse"), false);
}

TEST_F(Response, ContainWarnsOfAVersionRunningWithAnotherRole) {
  // The attacker published a version with a role of their choosing, then set the role back.
  const std::string trust = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
  ASSERT_EQ(test::RunPython("aws_cli.py", {"iam", "create-role", "--role-name", "attacker-role", "--assume-role-policy-document", trust,
                              "--endpoint-url", proxy_->url()}, kEnv).exit_code, 0);
  const std::string attacker_role = "arn:aws:iam::123456789012:role/attacker-role";
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"lambda", "update-function-configuration", "--function-name", "payments", "--role", attacker_role},
           {"lambda", "publish-version", "--function-name", "payments"},
           {"lambda", "update-function-configuration", "--function-name", "payments", "--role", seed_["role_arn"]}}) {
    std::vector<std::string> argv;
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--endpoint-url", proxy_->url()});
    ASSERT_EQ(test::RunPython("aws_cli.py", argv, kEnv).exit_code, 0) << args[1];
  }
  const auto r = Lir({"contain", "payments", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("version 2 runs with role " + attacker_role + ", which the deny-all policy does not cover"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace lir
