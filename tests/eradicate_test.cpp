// eradicate against moto_server: the attacker's function collected then deleted, known-good
// code redeployed from a directory (zipped deterministically) and its CodeSha256 checked,
// a known-good configuration restored from a published version, with env values kept out
// of the output and the journal.
#include <chrono>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "response_fixture.h"

namespace lir {
namespace {

std::string CodeSha256Of(const std::string& path) {
  const auto r = test::RunCommand({"python3", "-c",
                                   "import sys,hashlib,base64; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],'rb').read()).digest()).decode())",
                                   path});
  return r.out.substr(0, r.out.find('\n'));
}


TEST_F(Response, EradicateCollectsTheAttackersFunctionThenDeletesIt) {
  test::TempDir tmp;
  ASSERT_EQ(test::RunCommand({"python3", "-c", "import sys,zipfile; zipfile.ZipFile(sys.argv[1],'w').writestr('app.py','')",
                              tmp.File("f.zip")}).exit_code, 0);
  // Same name in two regions: the trail says dev made both, only one is in this region.
  for (const char* region : {"us-east-1", "us-west-2"}) {
    Aws({"lambda", "create-function", "--function-name", "cache-warmer", "--runtime", "python3.12", "--handler", "app.handler", "--role",
             seed_["role_arn"], "--zip-file", "fileb://" + tmp.File("f.zip"), "--region", region});
  }
  // dev opens payments to anyone (critical: dev is suspect), then creates cache-warmer in both.
  json records = json::array({SampleRecord("lambda_permission_public"), SampleRecord("lambda_function_created")});
  records.push_back(SampleRecord("lambda_function_created", [](json& r) {
    r["awsRegion"] = "us-west-2";
    r["eventID"] = "7e1d9a3c-0000-4000-8000-0000000000f1";
    r["responseElements"]["functionArn"] = "arn:aws:lambda:us-west-2:123456789012:function:cache-warmer";
  }));
  test::WriteFile(tmp.File("trail.json"), json{{"Records", records}}.dump());
  const std::string dir = tmp.File("case");
  const auto r = Lir({"eradicate", "payments", "--case", dir, "--skip-packages", "--yes", "--delete-attacker-functions", "--evidence",
                      tmp.File("trail.json")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("attacker's function arn:aws:lambda:us-east-1:123456789012:function:cache-warmer: created by "
                       "arn:aws:iam::123456789012:user/dev"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("attacker's function arn:aws:lambda:us-west-2:123456789012:function:cache-warmer is not in account 123456789012 "
                       "region us-east-1: left alone here"),
            std::string::npos)
      << r.err;
  auto names = [&](const char* region) {
    json out = json::array();
    const json listed = Aws({"lambda", "list-functions", "--region", region});
    for (const auto& f : listed["Functions"]) out.push_back(f["FunctionName"]);
    return out;
  };
  EXPECT_EQ(names("us-east-1"), json({"payments"}));
  EXPECT_EQ(names("us-west-2"), json({"cache-warmer"}));  // another region's: not this command's
  // Collected before it went: its configuration is evidence now.
  const json kept = json::parse(test::ReadFile(dir + "/artifacts/lambda/cache-warmer/function.json"));
  EXPECT_EQ(kept["Configuration"]["FunctionName"], "cache-warmer");
  const json step = StepNamed(Journal(dir), "eradicate/payments/delete-function/cache-warmer");
  EXPECT_EQ(step["prior_state"]["snapshot"], "artifacts/lambda/cache-warmer/function.json");
  EXPECT_EQ(test::RunTool({"verify", dir}).exit_code, 0);
}

TEST_F(Response, EvidenceOfAnotherAccountNamesNothingToDelete) {
  test::TempDir tmp;
  ASSERT_EQ(test::RunCommand({"python3", "-c", "import sys,zipfile; zipfile.ZipFile(sys.argv[1],'w').writestr('app.py','')",
                              tmp.File("f.zip")}).exit_code, 0);
  // The bundled sample is account 111122223333's; its cache-warmer is not this one.
  Aws({"lambda", "create-function", "--function-name", "cache-warmer", "--runtime", "python3.12", "--handler", "app.handler", "--role",
           seed_["role_arn"], "--zip-file", "fileb://" + tmp.File("f.zip")});
  const auto r = Lir({"eradicate", "payments", "--case", tmp.File("case"), "--skip-packages", "--yes", "--delete-attacker-functions",
                      "--evidence", test::SourceDir() + "/examples/incident"});
  EXPECT_EQ(r.exit_code, 8) << r.out << r.err;
  EXPECT_NE(r.err.find("the evidence in " + test::SourceDir() + "/examples/incident is of account 111122223333, but these credentials act "
                       "on account 123456789012"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Aws({"lambda", "list-functions"})["Functions"].size(), 2u);
}

TEST_F(Response, RedeployIsDeterministicAndItsCodeSha256Verified) {
  const json old_code = Aws({"lambda", "get-function-configuration", "--function-name", "payments"})["CodeSha256"];
  test::TempDir tmp;
  const std::string src = tmp.File("src");
  test::RunCommand({"mkdir", "-p", src + "/lib"});
  test::WriteFile(src + "/app.py", "def handler(event, context):\n    return {'ok': True}\n");
  test::WriteFile(src + "/lib/util.py", "X = 1\n");
  auto sha_line = [&] {
    const auto dry = Lir({"eradicate", "payments", "--dry-run", "--redeploy", src});
    EXPECT_EQ(dry.exit_code, 0) << dry.err;
    const size_t at = dry.err.find("redeploy ");  // stdout holds only the aws CLI lines
    return dry.err.substr(at, dry.err.find('\n', at) - at);
  };
  const std::string first = sha_line();
  test::RunCommand({"touch", "-d", "2001-02-03", src + "/app.py"});  // timestamps do not matter
  EXPECT_EQ(sha_line(), first);

  const std::string dir = tmp.File("case");
  const auto r = Lir({"eradicate", "payments", "--case", dir, "--skip-packages", "--yes", "--redeploy", src});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto manifest = json::parse(test::ReadFile(dir + "/manifest.json"));
  std::string package;
  for (const auto& a : manifest["artifacts"]) {
    if (a["path"].get<std::string>().rfind("artifacts/redeploy/payments-", 0) == 0) package = dir + "/" + a["path"].get<std::string>();
  }
  ASSERT_FALSE(package.empty());
  const std::string expected = CodeSha256Of(package);
  EXPECT_NE(first.find(expected), std::string::npos) << first;
  EXPECT_EQ(Aws({"lambda", "get-function-configuration", "--function-name", "payments"})["CodeSha256"], expected);
  const auto zipped = test::RunCommand({"unzip", "-Z1", package});
  EXPECT_EQ(zipped.out, "app.py\nlib/util.py\n");
  json step;
  for (const auto& s : Journal(dir)) {
    if (s["key"].get<std::string>().rfind("eradicate/payments/redeploy/", 0) == 0) step = s;
  }
  EXPECT_EQ(step["result"]["CodeSha256"], expected);
  EXPECT_EQ(step["result"]["verified"], true);
  EXPECT_EQ(step["prior_state"]["CodeSha256"], old_code);
  // Alias live served version 1, which runs the replaced code: it moved to a new version of
  // the known-good code, so nothing serves the old code any more.
  const json alias = Aws({"lambda", "get-alias", "--function-name", "payments", "--name", "live"});
  EXPECT_NE(alias["FunctionVersion"], "1");
  const json served = Aws({"lambda", "get-function-configuration", "--function-name", "payments", "--qualifier",
                               alias["FunctionVersion"].get<std::string>()});
  EXPECT_EQ(served["CodeSha256"], expected);
  EXPECT_EQ(StepNamed(Journal(dir), "eradicate/payments/alias/live")["prior_state"]["FunctionVersion"], "1");
}

TEST_F(Response, RestoreConfigFromAVersionRemovesTheAttackersChangesWithoutPrintingSecrets) {
  Aws({"lambda", "update-function-configuration", "--function-name", "payments", "--handler", "evil.handler", "--environment",
           "Variables={AWS_LAMBDA_EXEC_WRAPPER=/tmp/wrapper,DB_PASSWORD=hunter2}"});
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  const auto r = Lir({"eradicate", "payments", "--case", dir, "--skip-packages", "--yes", "--restore-config", "version:1"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const json now = Aws({"lambda", "get-function-configuration", "--function-name", "payments"});
  EXPECT_EQ(now["Handler"], "app.handler");
  EXPECT_EQ(now["Environment"]["Variables"], json({{"DB_PASSWORD", "hunter2"}}));
  const auto status = test::RunTool({"status", dir, "--format", "json"});
  for (const std::string& text : {r.out, r.err, status.out}) EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  json step;
  for (const auto& s : Journal(dir)) {
    if (s["key"].get<std::string>().rfind("eradicate/payments/restore-config/", 0) == 0) step = s;
  }
  EXPECT_EQ(step["prior_state"]["Handler"], "evil.handler");
  EXPECT_TRUE(step["prior_state"]["Environment"]["Variables"].contains("AWS_LAMBDA_EXEC_WRAPPER"));
  EXPECT_EQ(step["result"]["verified"], true);
}

TEST_F(Response, RestoreConfigPreIncidentPicksTheLastVersionBeforeTheFirstFinding) {
  // Version 1 was published at seeding. A second later the attacker opens the function to
  // anyone (in the trail below), then changes its configuration and publishes version 2.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string attack_time = test::RunCommand({"date", "-u", "+%Y-%m-%dT%H:%M:%SZ"}).out.substr(0, 20);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  Aws({"lambda", "update-function-configuration", "--function-name", "payments", "--handler", "evil.handler"});
  Aws({"lambda", "publish-version", "--function-name", "payments"});
  test::TempDir tmp;
  // The rule's sample event, moved to the account the emulator acts as.
  std::string text = test::ReadFile(test::SourceDir() + "/rules/lambda_permission_public/tests/match/01.json");
  for (size_t at; (at = text.find("111122223333")) != std::string::npos;) text.replace(at, 12, "123456789012");
  json record = json::parse(text);
  record["eventTime"] = attack_time;
  test::WriteFile(tmp.File("trail.json"), json{{"Records", json::array({record})}}.dump());

  const std::string dir = tmp.File("case");
  const auto r = Lir({"eradicate", "payments", "--case", dir, "--skip-packages", "--yes", "--restore-config", "pre-incident",
                      "--evidence", tmp.File("trail.json")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("pre-incident configuration: version 1 (the incident's first finding about payments is at " + attack_time.substr(0, 19)),
            std::string::npos) << r.out;
  EXPECT_EQ(Aws({"lambda", "get-function-configuration", "--function-name", "payments"})["Handler"], "app.handler");
}

TEST_F(Response, RecreateRoleMovesTheFunctionToACleanCopyAndDeletesTheOldRole) {
  const json old_role = RoleState("payments-role");
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--steps", "deny"}).exit_code, 0);
  const auto r = Lir({"eradicate", "payments", "--case", dir, "--yes", "--recreate-role"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const json config = Aws({"lambda", "get-function-configuration", "--function-name", "payments"});
  const std::string role_arn = config["Role"];
  const std::string new_role = role_arn.substr(role_arn.rfind('/') + 1);
  EXPECT_EQ(new_role.rfind("payments-role-ir-", 0), 0u) << role_arn;
  // Same trust and permissions; the incident-response deny stays behind with the old role.
  EXPECT_EQ(RoleState(new_role), old_role);
  const auto gone = test::RunPython("aws_cli.py", {"iam", "get-role", "--role-name", "payments-role", "--endpoint-url", proxy_->url()}, kEnv);
  EXPECT_NE(gone.exit_code, 0);
  EXPECT_NE(gone.err.find("NoSuchEntity"), std::string::npos);
  // Its state was in the case before it went, and the journal has its documents.
  EXPECT_NE(test::ReadFile(dir + "/artifacts/iam/roles/payments-role/role.json").find("payments-role"), std::string::npos);
  const json journal = Journal(dir);
  const json step = StepNamed(journal, "eradicate/payments/recreate-role");
  EXPECT_EQ(step["prior_state"]["Inline"].begin().key(), "inline-logs");
  const auto old_inline = step["prior_state"]["OldRole"]["AllInlineNames"].get<std::set<std::string>>();  // as it was
  EXPECT_EQ(old_inline, (std::set<std::string>{"DenyAll-IncidentResponse", "inline-logs"}));
  EXPECT_EQ(StepNamed(journal, "eradicate/payments/delete-old-role")["result"], json({{"deleted", "payments-role"}}));
  // Version 1 runs with the old role: alias live moved to a version with the new one.
  const json alias = Aws({"lambda", "get-alias", "--function-name", "payments", "--name", "live"});
  EXPECT_EQ(Aws({"lambda", "get-function-configuration", "--function-name", "payments", "--qualifier",
                     alias["FunctionVersion"].get<std::string>()})["Role"], role_arn);
  // Run again: nothing more happens (no second new role).
  const auto again = Lir({"eradicate", "payments", "--case", dir, "--yes", "--recreate-role"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("0 changed, 3 done by an earlier run, 0 failed"), std::string::npos) << again.out;
  const json roles = Aws({"iam", "list-roles"});
  EXPECT_EQ(roles["Roles"].size(), 1u);
}

TEST_F(Response, RecreateRoleDryRunLinesDoTheSameThroughTheAwsCli) {
  const json old_role = RoleState("payments-role");
  const auto dry = Lir({"eradicate", "payments", "--dry-run", "--recreate-role", "--region", "us-east-1"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  const auto ran = test::RunPython("run_cli_lines.py", {}, kEnv, dry.out);
  ASSERT_EQ(ran.exit_code, 0) << ran.out;
  const std::string role_arn = Aws({"lambda", "get-function-configuration", "--function-name", "payments"})["Role"];
  EXPECT_EQ(RoleState(role_arn.substr(role_arn.rfind('/') + 1)), old_role);
  EXPECT_NE(test::RunPython("aws_cli.py", {"iam", "get-role", "--role-name", "payments-role", "--endpoint-url", proxy_->url()}, kEnv).exit_code, 0);
}

TEST_F(Response, RevokeSessionsDeniesCredentialsIssuedBeforeNow) {
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  const auto r = Lir({"eradicate", "payments", "--case", dir, "--skip-packages", "--yes", "--revoke-sessions"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const json doc = Aws({"iam", "get-role-policy", "--role-name", "payments-role", "--policy-name", "RevokeOlderSessions-IncidentResponse"},
                           proxy_->url())["PolicyDocument"];
  const json& statement = doc["Statement"][0];
  EXPECT_EQ(statement["Effect"], "Deny");
  EXPECT_EQ(statement["Action"], "*");
  const std::string issued_before = statement["Condition"]["DateLessThan"]["aws:TokenIssueTime"];
  const json step = Journal(dir).back();
  EXPECT_EQ(step["key"].get<std::string>().rfind("eradicate/payments/revoke-sessions/" + issued_before.substr(0, 16), 0), 0u) << step["key"];
  EXPECT_EQ(step["prior_state"]["PolicyDocument"], nullptr);
}

}  // namespace
}  // namespace lir
