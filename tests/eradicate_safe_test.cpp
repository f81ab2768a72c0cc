// eradicate that leaves the attacker no way back: a recreated role without their trust and
// policies (boundary and tags kept, every alias moved off versions with the old role), the
// dry run's lines runnable as printed (the files they name written), and the footholds a
// suspect principal created outside the function taken away.
#include <set>

#include "response_fixture.h"

namespace lir {
namespace {

class EradicateSafely : public Response {
 protected:

  // A CloudTrail record of an IAM call by user dev (suspect: the trail also has dev open
  // payments to anyone, a critical finding).
  static json IamRecord(const std::string& name, const json& request, const json& response, int n) {
    json r = SampleRecord("lambda_permission_public");
    r["eventSource"] = "iam.amazonaws.com";
    r["eventName"] = name;
    r["eventTime"] = "2026-11-27T09:0" + std::to_string(n) + ":00Z";
    r["requestParameters"] = request;
    r["responseElements"] = response;
    r["eventID"] = "7e1d9a3c-0000-4000-8000-00000000a" + std::to_string(100 + n);
    return r;
  }

  static std::set<std::string> Strings(const json& list) { return list.get<std::set<std::string>>(); }
};

TEST_F(EradicateSafely, RecreatedRoleLeavesTheBackdoorsOutKeepsBoundaryAndTagsAndMovesEveryAlias) {
  const std::string boundary =
      Aws({"iam", "create-policy", "--policy-name", "lambda-boundary", "--policy-document",
           R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:*","s3:GetObject"],"Resource":"*"}]})"})["Policy"]["Arn"];
  Aws({"iam", "put-role-permissions-boundary", "--role-name", "payments-role", "--permissions-boundary", boundary});
  Aws({"iam", "tag-role", "--role-name", "payments-role", "--tags", "Key=team,Value=payments", "Key=cost-center,Value=42"});
  // The attacker's persistence: their account in the trust, admin rights, an inline policy.
  Aws({"iam", "update-assume-role-policy", "--role-name", "payments-role", "--policy-document",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"},)"
       R"({"Sid":"backdoor","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole"}]})"});
  const std::string admin =
      Aws({"iam", "create-policy", "--policy-name", "admin-all", "--policy-document",
           R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"})["Policy"]["Arn"];
  Aws({"iam", "attach-role-policy", "--role-name", "payments-role", "--policy-arn", admin});
  Aws({"iam", "put-role-policy", "--role-name", "payments-role", "--policy-name", "ops-extra", "--policy-document",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]})"});
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--steps", "throttle"}).exit_code, 0);
  // The case's trail: dev (suspect) put the inline policy.
  test::WriteFile(dir + "/artifacts/cloudtrail/lookup-events.json",
                  json{{"Records", json::array({SampleRecord("lambda_permission_public"),
                                                IamRecord("PutRolePolicy", {{"roleName", "payments-role"}, {"policyName", "ops-extra"}},
                                                          nullptr, 1)})}}
                      .dump());

  const auto r = Lir({"eradicate", "payments", "--case", dir, "--yes", "--recreate-role"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const std::string left : {"trust statement backdoor letting in arn:aws:iam::999988887777:root", 
                                 "attached policy arn:aws:iam::123456789012:policy/admin-all: grants administrator rights",
                                 "inline policy ops-extra: put by a suspect principal (by arn:aws:iam::123456789012:user/dev at 2026-11-27T09:01:00"}) {
    EXPECT_NE(r.err.find("left out of the new role: " + left), std::string::npos) << left << "\n" << r.err;
  }
  const std::string role_arn = Aws({"lambda", "get-function-configuration", "--function-name", "payments"})["Role"];
  const std::string role = role_arn.substr(role_arn.rfind('/') + 1);
  const json got = Aws({"iam", "get-role", "--role-name", role})["Role"];
  EXPECT_EQ(got["PermissionsBoundary"]["PermissionsBoundaryArn"], boundary);
  json tags = json::object();
  const json listed_tags = Aws({"iam", "list-role-tags", "--role-name", role});  // kept: a loop over a temporary's member dangles
  for (const auto& t : listed_tags["Tags"]) tags[t["Key"].get<std::string>()] = t["Value"];
  EXPECT_EQ(tags, json({{"team", "payments"}, {"cost-center", "42"}}));
  EXPECT_EQ(got["AssumeRolePolicyDocument"]["Statement"].size(), 1u);
  EXPECT_EQ(got["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"], "lambda.amazonaws.com");
  EXPECT_EQ(Strings(Aws({"iam", "list-role-policies", "--role-name", role})["PolicyNames"]), std::set<std::string>{"inline-logs"});
  std::set<std::string> attached;
  const json listed_attached = Aws({"iam", "list-attached-role-policies", "--role-name", role});
  for (const auto& a : listed_attached["AttachedPolicies"]) attached.insert(a["PolicyArn"]);
  EXPECT_EQ(attached, std::set<std::string>{seed_["policy_arn"]});
  // Every alias serves a version with the new role; the old role is gone.
  const json aliases = Aws({"lambda", "list-aliases", "--function-name", "payments"});
  for (const auto& a : aliases["Aliases"]) {
    EXPECT_EQ(Aws({"lambda", "get-function-configuration", "--function-name", "payments", "--qualifier", a["FunctionVersion"]})["Role"], role_arn)
        << a["Name"];
  }
  EXPECT_NE(test::RunPython("aws_cli.py", {"iam", "get-role", "--role-name", "payments-role", "--endpoint-url", proxy_->url()}, kEnv).exit_code, 0);
  EXPECT_NE(r.err.find("versions 1 keep the old role"), std::string::npos) << r.err;
}

TEST_F(EradicateSafely, DryRunLinesRunAsPrintedWithTheFilesTheyName) {
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--steps", "throttle"}).exit_code, 0);
  Aws({"lambda", "update-function-configuration", "--function-name", "payments", "--handler", "evil.handler"});
  test::WriteFile(tmp.File("src/app.py"), "def handler(event, context):\n    return {'ok': True}\n");
  const auto dry = Lir({"eradicate", "payments", "--case", dir, "--dry-run", "--redeploy", tmp.File("src"), "--restore-config", "version:1",
                        "--region", "us-east-1"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(dry.out.find("(environment of"), std::string::npos) << dry.out;
  EXPECT_EQ(dry.out.find("hunter2"), std::string::npos);  // in a file only the caller can read, not in the line
  const size_t at = dry.err.find("the files these lines name are in ");
  ASSERT_NE(at, std::string::npos) << dry.err;
  const auto ran = test::RunPython("run_cli_lines.py", {}, kEnv, dry.out);
  ASSERT_EQ(ran.exit_code, 0) << ran.out;
  const json now = Aws({"lambda", "get-function-configuration", "--function-name", "payments"});
  EXPECT_EQ(now["Handler"], "app.handler");
  EXPECT_EQ(now["Environment"]["Variables"], json({{"DB_PASSWORD", "hunter2"}}));
  const std::string live = Aws({"lambda", "get-alias", "--function-name", "payments", "--name", "live"})["FunctionVersion"];
  EXPECT_NE(live, "1");
  EXPECT_EQ(Aws({"lambda", "get-function-configuration", "--function-name", "payments", "--qualifier", live})["CodeSha256"], now["CodeSha256"]);
  const std::string files = dry.err.substr(at + 35, dry.err.find(' ', at + 35) - at - 35);
  test::RunCommand({"rm", "-rf", files});
}

TEST_F(EradicateSafely, AttackerIamFootholdsAreTakenAwayAfterBeingRecorded) {
  Aws({"iam", "create-user", "--user-name", "backdoor"});
  const std::string key = Aws({"iam", "create-access-key", "--user-name", "backdoor"})["AccessKey"]["AccessKeyId"];
  Aws({"iam", "create-login-profile", "--user-name", "backdoor", "--password", "Attacker-Pa55!"});
  test::TempDir tmp;
  json records = json::array({SampleRecord("lambda_permission_public"),
                              IamRecord("CreateUser", {{"userName", "backdoor"}}, {{"user", {{"userName", "backdoor"}}}}, 1),
                              IamRecord("CreateAccessKey", {{"userName", "backdoor"}},
                                        {{"accessKey", {{"accessKeyId", key}, {"userName", "backdoor"}, {"status", "Active"}}}}, 2),
                              IamRecord("CreateLoginProfile", {{"userName", "backdoor"}}, {{"loginProfile", {{"userName", "backdoor"}}}}, 3)});
  test::WriteFile(tmp.File("trail.json"), json{{"Records", records}}.dump());
  const std::string dir = tmp.File("case");
  const auto r = Lir({"eradicate", "payments", "--case", dir, "--skip-packages", "--yes", "--attacker-iam", "--evidence", tmp.File("trail.json")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("attacker's access-key " + key + ": created by arn:aws:iam::123456789012:user/dev"), std::string::npos) << r.out;
  json keys = Aws({"iam", "list-access-keys", "--user-name", "backdoor"})["AccessKeyMetadata"];
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["Status"], "Inactive");
  EXPECT_EQ(Aws({"iam", "get-user-policy", "--user-name", "backdoor", "--policy-name", "DenyAll-IncidentResponse"})["PolicyDocument"], kDenyAll);
  EXPECT_NE(test::RunPython("aws_cli.py", {"iam", "get-login-profile", "--user-name", "backdoor", "--endpoint-url", proxy_->url()}, kEnv).exit_code, 0);
  const json journal = Journal(dir);
  EXPECT_EQ(StepNamed(journal, "eradicate/payments/access-key/" + key)["prior_state"]["Status"], "Active");
  EXPECT_EQ(StepNamed(journal, "eradicate/payments/login-profile/backdoor")["prior_state"]["UserName"], "backdoor");
  EXPECT_EQ(r.out.find("Attacker-Pa55"), std::string::npos);
}

// What the attacker created is gone already (deleted by someone else, or never made it past
// the error the trail does not show): eradication's goal holds, so nothing failed.
TEST_F(EradicateSafely, AttackerIdentitiesAlreadyGoneAreNoChangeNotFailures) {
  test::TempDir tmp;
  json records = json::array({SampleRecord("lambda_permission_public"),
                              IamRecord("CreateUser", {{"userName", "ghost"}}, {{"user", {{"userName", "ghost"}}}}, 1),
                              IamRecord("CreateAccessKey", {{"userName", "ghost"}},
                                        {{"accessKey", {{"accessKeyId", "AKIAGHOSTGHOSTGHOST1"}, {"userName", "ghost"}, {"status", "Active"}}}}, 2)});
  test::WriteFile(tmp.File("trail.json"), json{{"Records", records}}.dump());
  const auto r = Lir({"eradicate", "payments", "--case", tmp.File("case"), "--skip-packages", "--yes", "--attacker-iam", "--evidence",
                      tmp.File("trail.json")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("(the user does not exist (any more))"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(the key does not exist (any more))"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 changed, 2 already as wanted, 0 done by an earlier run, 0 failed"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace lir
