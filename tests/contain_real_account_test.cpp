// contain as it meets a real account: the throttle comes first, whatever else is slow or
// refused; an endpoint without provisioned concurrency; a role other functions (in other
// regions) or other services use; a trust that lets in another account; destinations that
// send throttled events away; evidence or ARNs of another account; crafted answers; a
// preflight that changes nothing; a prompt that names where it acts.
#include <set>

#include "response_fixture.h"

namespace lir {
namespace {

class ContainInAccount : public Response {
 protected:

  void CreateFunction(const std::string& name, const std::string& role_arn, const std::string& region = "us-east-1") {
    test::TempDir tmp;
    ASSERT_EQ(test::RunCommand({"python3", "-c", "import sys,zipfile; zipfile.ZipFile(sys.argv[1],'w').writestr('app.py','')",
                                tmp.File("f.zip")}).exit_code, 0);
    Aws({"lambda", "create-function", "--function-name", name, "--runtime", "python3.12", "--handler", "app.handler", "--role", role_arn,
         "--zip-file", "fileb://" + tmp.File("f.zip"), "--region", region});
  }
};

TEST_F(ContainInAccount, TheThrottleIsTheFirstChangeBeforeTheRestOfTheSnapshot) {
  test::TempDir tmp;
  // One call at a time, so the order the proxy sees is the order of the work.
  const auto r = Lir({"contain", "payments", "--case", tmp.File("case"), "--skip-packages", "--yes", "--jobs", "1"}, kEnv, Controlled());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::vector<std::string> log = ControlLog();
  // Who is asking, the function itself (the snapshot's first answer, holding the reserved
  // value to restore), then reserved 0; refused while provisioned concurrency blocks it, the
  // configs are listed, removed, and reserved 0 applied again. Only then the snapshot's rest.
  log.resize(7);
  EXPECT_EQ(log, (std::vector<std::string>{"sts:GetCallerIdentity", "lambda:GetFunction", "lambda:PutFunctionConcurrency",
                                           "lambda:ListProvisionedConcurrencyConfigs", "lambda:DeleteProvisionedConcurrencyConfig",
                                           "lambda:PutFunctionConcurrency", "lambda:ListVersionsByFunction"}));
  // The function's answer is the snapshot's: stored as it was before the throttle.
  const json stored = json::parse(test::ReadFile(tmp.File("case") + "/artifacts/lambda/payments/function.json"));
  EXPECT_EQ(stored["Concurrency"]["ReservedConcurrentExecutions"], 7);
}

TEST_F(ContainInAccount, AnEndpointWithoutProvisionedConcurrencyIsAWarning) {
  // moto itself, without the proxy that adds provisioned concurrency: it answers 404 to those calls.
  const std::string moto = test::FreshMoto();
  ASSERT_EQ(test::RunPython("seed_moto.py", {moto}).exit_code, 0);
  test::TempDir tmp;
  const auto r = Lir({"contain", "payments", "--case", tmp.File("case"), "--skip-packages", "--yes"}, kEnv, moto);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("the endpoint does not implement ListProvisionedConcurrencyConfigs: provisioned concurrency not checked"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Aws({"lambda", "get-function-concurrency", "--function-name", "payments"}, moto)["ReservedConcurrentExecutions"], 0);
  EXPECT_EQ(r.err.find("invalid-argument"), std::string::npos);
}

TEST_F(ContainInAccount, ARoleUsedInAnotherRegionOrByAnotherServiceHoldsTheDenyBack) {
  CreateFunction("billing", seed_["role_arn"], "us-west-2");
  test::TempDir tmp;
  const auto r = Lir({"contain", "payments", "--case", tmp.File("case"), "--skip-packages", "--yes"});
  EXPECT_EQ(r.exit_code, 9) << r.out << r.err;
  EXPECT_NE(r.out.find("held back: role payments-role is also used by function billing (us-west-2)"), std::string::npos) << r.out;
  EXPECT_FALSE(State()["inline_policies"].contains("DenyAll-IncidentResponse"));
  EXPECT_EQ(State()["reserved"], 0);

  // A trust that lets EC2 assume the role: instances use it too.
  Reseed();
  Aws({"iam", "update-assume-role-policy", "--role-name", "payments-role", "--policy-document",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","ec2.amazonaws.com"]},"Action":"sts:AssumeRole"}]})"});
  const auto ec2 = Lir({"contain", "payments", "--case", tmp.File("case2"), "--skip-packages", "--yes"});
  EXPECT_EQ(ec2.exit_code, 9) << ec2.out << ec2.err;
  EXPECT_NE(ec2.out.find("held back: role payments-role is also used by service ec2.amazonaws.com"), std::string::npos) << ec2.out;
}

TEST_F(ContainInAccount, AForeignAccountInTheTrustIsWarnedOfAndDeniedToo) {
  Aws({"iam", "update-assume-role-policy", "--role-name", "payments-role", "--policy-document",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"},)"
       R"({"Sid":"backdoor","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole"}]})"});
  test::TempDir tmp;
  const auto r = Lir({"contain", "payments", "--case", tmp.File("case"), "--skip-packages", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("role payments-role trusts arn:aws:iam::999988887777:root outside account 123456789012: likely the attacker's way "
                       "back in"),
            std::string::npos)
      << r.err;
  ExpectContained(State());
}

TEST_F(ContainInAccount, ForeignDestinationsAreFlaggedAndReplacedOnEveryQualifierWhileContained) {
  const std::string foreign = "arn:aws:sqs:us-east-1:999988887777:exfil";
  Aws({"lambda", "put-function-event-invoke-config", "--function-name", "payments", "--maximum-retry-attempts", "1",
       "--destination-config", json{{"OnFailure", {{"Destination", foreign}}}}.dump()});
  Aws({"lambda", "put-function-event-invoke-config", "--function-name", "payments", "--qualifier", "live", "--destination-config",
       json{{"OnFailure", {{"Destination", foreign}}}}.dump()});
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  // Without a destination of our own: warned, named, left.
  const auto warned = Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--steps", "throttle"});
  ASSERT_EQ(warned.exit_code, 0) << warned.out << warned.err;
  EXPECT_NE(warned.err.find("OnFailure of payments ($LATEST) sends results to " + foreign + " in account 999988887777: every event "
                            "throttled now goes there"),
            std::string::npos)
      << warned.err;
  EXPECT_NE(warned.err.find("OnFailure of payments (live) sends results to " + foreign), std::string::npos) << warned.err;
  // Analysis of the case flags them too.
  const json report = json::parse(test::RunTool({"analyze", dir, "--format", "json"}).out);
  std::set<std::string> titles;
  for (const auto& f : report["findings"]) {
    if (f["rule_id"] == "lambda_config_destination_foreign") titles.insert(f["title"]);
  }
  EXPECT_EQ(titles, (std::set<std::string>{"OnFailure of payments ($LATEST) goes to account 999988887777",
                                           "OnFailure of payments (live) goes to account 999988887777"}));
  ASSERT_EQ(Lir({"recover", "payments", "--case", dir, "--yes", "--force"}).exit_code, 0);

  // With one: replaced on both, every other setting kept, and the printed line says so too.
  const std::string own = seed_["queue_arn"];
  const auto replaced = Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--steps", "throttle",
                             "--on-failure-destination", own});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.out << replaced.err;
  const json latest = Aws({"lambda", "get-function-event-invoke-config", "--function-name", "payments"});
  EXPECT_EQ(latest["DestinationConfig"]["OnFailure"]["Destination"], own);
  EXPECT_EQ(latest["MaximumRetryAttempts"], 1);
  EXPECT_EQ(Aws({"lambda", "get-function-event-invoke-config", "--function-name", "payments", "--qualifier", "live"})["DestinationConfig"]
               ["OnFailure"]["Destination"], own);
  const json step = StepNamed(Journal(dir), "contain/payments/r2/on-failure-destination");
  EXPECT_NE(step["action"].get<std::string>().find("--maximum-retry-attempts 1"), std::string::npos) << step["action"];
  // Recovery puts each back as it was.
  ASSERT_EQ(Lir({"recover", "payments", "--case", dir, "--yes", "--force"}).exit_code, 0);
  EXPECT_EQ(Aws({"lambda", "get-function-event-invoke-config", "--function-name", "payments", "--qualifier", "live"})["DestinationConfig"]
               ["OnFailure"]["Destination"], foreign);
}

TEST_F(ContainInAccount, EvidenceOrArnsOfAnotherAccountOrRegionAreRefused) {
  test::TempDir tmp;
  // A case collected in another account: its snapshot says so.
  const std::string other = tmp.File("other");
  ASSERT_EQ(Lir({"contain", "payments", "--case", other, "--skip-packages", "--yes", "--steps", "mappings"}).exit_code, 0);
  const std::string doc = other + "/artifacts/lambda/payments/function.json";
  std::string text = test::ReadFile(doc);
  for (size_t at; (at = text.find("123456789012")) != std::string::npos;) text.replace(at, 12, "999988887777");
  test::RunCommand({"chmod", "u+w", doc});
  test::WriteFile(doc, text);
  Reseed();
  const auto refused = Lir({"contain", "payments", "--case", other, "--skip-packages", "--yes"});
  EXPECT_EQ(refused.exit_code, 8) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("the case holds evidence of account 999988887777, but these credentials act on account 123456789012 in "
                             "region us-east-1"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(State(), before_);
  for (const char* arn : {"arn:aws:lambda:us-east-1:999988887777:function:payments", "arn:aws:lambda:eu-west-1:123456789012:function:payments"}) {
    const auto r = Lir({"contain", arn, "--case", tmp.File("case"), "--skip-packages", "--yes"});
    EXPECT_EQ(r.exit_code, 8) << arn << r.err;
  }
  EXPECT_EQ(State(), before_);
}

// A read collection is refused is listed when the case is analysed, with what it cost. It was
// nowhere: the public statement's finding was simply missing.
TEST_F(ContainInAccount, AnalysisOfACaseListsTheReadsItLacks) {
  test::TempDir tmp;
  const std::vector<std::string> collect = {"collect", "payments", "--case", tmp.File("case"), "--skip-packages", "--skip-cloudtrail",
                                            "--skip-metrics", "--skip-logs"};
  SetRules({{"deny", {"lambda:GetPolicy"}}});
  const auto refused = Lir(collect, kEnv, Controlled());
  EXPECT_EQ(refused.exit_code, 6) << refused.out << refused.err;
  EXPECT_NE(refused.out.find("  FAILED: artifacts/lambda/payments/alias-live/policy.json not collected: GetPolicy: AccessDeniedException: "),
            std::string::npos)
      << refused.out;
  EXPECT_NE(refused.out.find("(grant lambda:GetPolicy to the caller)\n"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("  next: grant lambda:GetPolicy (`lambda-ir permissions collect` prints the whole policy), then collect "
                             "into a new case\n"),
            std::string::npos)
      << refused.out;
  auto gaps = [&] {
    const auto r = Lir({"analyze", tmp.File("case"), "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const json report = json::parse(r.out);
    std::vector<std::string> out;
    for (const json& issue : report["issues"]) {
      if (issue["message"].get<std::string>().rfind("not collected (", 0) == 0) out.push_back(issue["file"].get<std::string>());
      EXPECT_NE(issue["message"].get<std::string>().find("the checks that read it did not run"), std::string::npos) << issue;
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<std::string> lacking = gaps();
  EXPECT_EQ(lacking, (std::vector<std::string>{"artifacts/lambda/payments/alias-live/policy.json", "artifacts/lambda/payments/policy.json",
                                               "artifacts/lambda/payments/version-1/policy.json"}));
}

TEST_F(ContainInAccount, CraftedAnswersAreCleanErrorsNeverAnAbort) {
  test::TempDir tmp;
  SetRules({{"answers",
             {{"lambda:ListVersionsByFunction", {{{"body", "[1,2,3]"}}}},
              {"logs:FilterLogEvents", {{{"body", R"({"events":[],"nextToken":"A"})"}}, {{"body", R"({"events":[],"nextToken":"B"})"}}}}}}});
  const auto contained = Lir({"contain", "payments", "--case", tmp.File("case"), "--skip-packages", "--yes"}, kEnv, Controlled());
  // Contained; the case lacks the versions: part done.
  ASSERT_EQ(contained.exit_code, 9) << contained.out << contained.err;
  EXPECT_NE(contained.err.find("ListVersionsByFunction: the answer is not a JSON object"), std::string::npos) << contained.err;
  EXPECT_NE(contained.out.find("Next: the case lacks what the snapshot of payments could not read (above): `lambda-ir collect payments "
                               "--case NEW_DIR --region us-east-1 --endpoint-url " + Controlled() + "` preserves it, as it is by then, in "
                               "a case of its own (running contain again does not).\n"),
            std::string::npos)
      << contained.out;
  ExpectContained(State());
  // A log stream whose pages point at each other: collection ends, and says why.
  const auto collected = Lir({"collect", "payments", "--case", tmp.File("collected"), "--skip-packages", "--skip-cloudtrail", "--skip-metrics"},
                             kEnv, Controlled());
  EXPECT_LT(collected.exit_code, 128) << collected.err;
  EXPECT_NE((collected.out + collected.err).find("FilterLogEvents: the endpoint sent a pagination token it had sent before after 3 pages"),
            std::string::npos)
      << collected.out << collected.err;
}

TEST_F(ContainInAccount, CheckTriesTheReadsAsksTheSimulatorAndChangesNothing) {
  test::TempDir tmp;
  SetRules({{"deny", {"iam:PutRolePolicy"}}});
  const auto r = Lir({"contain", "payments", "--case", tmp.File("case"), "--check"}, kEnv, Controlled());
  EXPECT_EQ(r.exit_code, 9) << r.out << r.err;
  EXPECT_NE(r.out.find("  denied   execution role payments-role of payments: + inline policy DenyAll-IncidentResponse (deny everything): "
                       "needs iam:PutRolePolicy"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  allowed  reserved concurrency of payments: 7 -> 0"), std::string::npos) << r.out;
  EXPECT_EQ(State(), before_);
  EXPECT_FALSE(std::filesystem::exists(tmp.File("case")));
  SetRules({{"deny", {"lambda:PutFunctionConcurrency"}}});
  EXPECT_EQ(Lir({"contain", "payments", "--check"}, kEnv, Controlled()).exit_code, 6);
  // A step whose change reads the prior state first fails when that read is refused: --check
  // says so, where it said "allowed" before.
  SetRules({{"deny", {"iam:GetRolePolicy", "lambda:GetEventSourceMapping"}}});
  const auto reads = Lir({"contain", "payments", "--check"}, kEnv, Controlled());
  EXPECT_EQ(reads.exit_code, 9) << reads.out << reads.err;
  EXPECT_NE(reads.out.find("  denied   execution role payments-role of payments: + inline policy DenyAll-IncidentResponse (deny "
                           "everything): needs iam:GetRolePolicy\n"),
            std::string::npos)
      << reads.out;
  EXPECT_NE(reads.out.find("(arn:aws:sqs:us-east-1:123456789012:orders) of payments: Enabled -> Disabled: needs "
                           "lambda:GetEventSourceMapping\n"),
            std::string::npos)
      << reads.out;
  EXPECT_NE(reads.out.find("  allowed  reserved concurrency of payments: 7 -> 0\n"), std::string::npos) << reads.out;
  EXPECT_NE(reads.out.find("5 steps: 3 would fail or are held back, 0 not known"), std::string::npos) << reads.out;
  EXPECT_EQ(State(), before_);
}

TEST_F(ContainInAccount, ThePromptNamesAccountRegionCallerAndEachChange) {
  test::TempDir tmp;
  const auto r = Lir({"contain", "payments", "--case", tmp.File("case"), "--skip-packages"});
  EXPECT_EQ(r.exit_code, 8);
  EXPECT_NE(r.out.find("contain payments in account 123456789012, region us-east-1, as arn:aws:sts::123456789012:user/moto"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  reserved concurrency of payments: 7 -> 0\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  provisioned concurrency of payments:live: 3 -> removed\n"), std::string::npos) << r.out;
  EXPECT_EQ(State(), before_);
}

}  // namespace
}  // namespace lir
