// A responder whose role lacks one permission: the control proxy answers AccessDenied, in
// each service's real format, for one operation at a time, for every read and write that
// contain, recover and eradicate make (the lists below are checked against what a full run
// asks for). Each run must do what it can (the function stopped whenever
// PutFunctionConcurrency itself is allowed), leave a journal that matches the live state,
// name the missing IAM action, and complete on a rerun once it is granted.
#include <set>

#include "response_fixture.h"

namespace lir {
namespace {

// contain --steps all --on-failure-destination QUEUE on the seeded scenario (GetFunctionConcurrency,
// asked only when GetFunction is refused, is covered by the GetFunction row).
const char* const kContainActions[] = {
    "lambda:GetFunction", "lambda:ListProvisionedConcurrencyConfigs", "lambda:ListAliases",
    "lambda:ListVersionsByFunction", "lambda:ListEventSourceMappings", "lambda:GetEventSourceMapping", "lambda:ListFunctions",
    "iam:GetRole", "iam:GetRolePolicy", "lambda:GetFunctionUrlConfig", "lambda:GetPolicy", "lambda:GetFunctionEventInvokeConfig",
    "lambda:ListFunctionEventInvokeConfigs", "lambda:ListTags", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
    "lambda:GetFunctionCodeSigningConfig", "iam:GetPolicy", "iam:GetPolicyVersion", "lambda:PutFunctionConcurrency",
    "lambda:DeleteProvisionedConcurrencyConfig", "lambda:UpdateEventSourceMapping", "iam:PutRolePolicy", "lambda:UpdateFunctionUrlConfig",
    "lambda:RemovePermission", "lambda:PutFunctionEventInvokeConfig"};

// recover --force of that containment.
const char* const kRecoverActions[] = {
    "lambda:GetFunction", "lambda:GetPolicy", "lambda:GetFunctionUrlConfig", "lambda:ListFunctionEventInvokeConfigs",
    "lambda:GetFunctionConcurrency", "lambda:PutFunctionConcurrency", "lambda:PutProvisionedConcurrencyConfig",
    "lambda:GetEventSourceMapping", "lambda:UpdateEventSourceMapping", "iam:GetRolePolicy", "iam:DeleteRolePolicy",
    "lambda:GetFunctionEventInvokeConfig", "lambda:DeleteFunctionEventInvokeConfig"};

// eradicate --recreate-role on a case that holds the snapshot already.
const char* const kEradicateActions[] = {
    "lambda:GetFunctionConfiguration", "iam:GetRole", "iam:ListRoleTags", "iam:ListRolePolicies", "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies", "lambda:ListVersionsByFunction", "lambda:ListAliases", "lambda:ListProvisionedConcurrencyConfigs",
    "iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "lambda:UpdateFunctionConfiguration", "lambda:PublishVersion",
    "lambda:GetAlias", "lambda:UpdateAlias", "lambda:ListFunctions", "iam:ListInstanceProfilesForRole", "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy", "iam:DeleteRole"};

class PermissionMatrix : public Response {
 protected:
  std::vector<std::string> ContainArgs(const std::string& dir) {
    return {"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--steps", "all", "--on-failure-destination", seed_["queue_arn"]};
  }

  // The full containment: every step's change live.
  void ExpectFullyContained(const json& now) const {
    ExpectContained(now);
    EXPECT_TRUE(now["inline_policies"].contains("RevokeOlderSessions-IncidentResponse"));
    EXPECT_EQ(now["urls"], json({{"$LATEST", "AWS_IAM"}, {"live", "AWS_IAM"}}));
    EXPECT_EQ(now["statements"], json({"s3-invoke"}));
    EXPECT_EQ(now["event_invoke_config"]["DestinationConfig"]["OnFailure"]["Destination"], seed_["queue_arn"]);
  }

  // What the journal says is done is live; what it does not is as it was.
  void ExpectJournalMatchesState(const json& journal, const json& now) const {
    std::map<std::string, bool> done;
    for (const auto& s : journal) done[s["key"]] = s["status"] == "done";
    const std::string p = "contain/payments/r1/";
    EXPECT_EQ(now["reserved"], done[p + "reserved-concurrency"] ? json(0) : json(7));
    EXPECT_EQ(now["provisioned"], done[p + "provisioned-concurrency/live"] ? json::object() : json({{"live", 3}}));
    const std::string esm = seed_["esm_uuid"];
    EXPECT_EQ(now["mappings"][esm], done[p + "mapping/" + esm] ? "Disabled" : "Enabled");
    EXPECT_EQ(now["inline_policies"].contains("DenyAll-IncidentResponse"), done[p + "deny-policy"]);
    EXPECT_EQ(now["inline_policies"].contains("RevokeOlderSessions-IncidentResponse"), done[p + "revoke-sessions"]);
    EXPECT_EQ(now["urls"]["$LATEST"], done[p + "url/$LATEST"] ? "AWS_IAM" : "NONE");
    EXPECT_EQ(now["statements"].size(), done[p + "statement/$LATEST/open-invoke"] ? 1u : 2u);
    EXPECT_EQ(now["event_invoke_config"].is_null(), !done[p + "on-failure-destination"]);
  }

  static bool Asked(const json& log, const std::string& action) {
    return std::find(log.begin(), log.end(), action) != log.end();
  }
};

class ContainPermission : public PermissionMatrix, public ::testing::WithParamInterface<const char*> {};

TEST_P(ContainPermission, DeniedContainsWhatItCanNamesTheActionAndCompletesOnceGranted) {
  const std::string action = GetParam();
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  SetRules({{"deny", {action}}});
  const auto r = Lir(ContainArgs(dir), kEnv, Controlled());
  const json log = ControlLog();
  ASSERT_TRUE(Asked(log, action)) << action << " was never asked for: the list above is out of date";
  const json now = State();
  // Lambda refuses reserved concurrency below the provisioned concurrency configured: with a
  // provisioned config in place, removing it is as necessary as the put itself.
  if (action == "lambda:PutFunctionConcurrency" || action == "lambda:DeleteProvisionedConcurrencyConfig") {
    EXPECT_EQ(r.exit_code, 6) << r.out << r.err;  // not contained: said by the exit code
    EXPECT_NE(r.out.find("payments: NOT contained"), std::string::npos) << r.out;
  } else {
    EXPECT_EQ(now["reserved"], 0) << r.out << r.err;  // stopped, whatever else was refused
    // Part done: a step failed, or the snapshot lacks a read (it exited 0 then).
    EXPECT_EQ(r.exit_code, 9) << r.out << r.err;
  }
  EXPECT_NE((r.out + r.err).find(action), std::string::npos) << "the output does not name " << action << "\n" << r.out << r.err;
  EXPECT_EQ((r.out + r.err).find("invalid-argument"), std::string::npos) << r.out << r.err;
  ExpectJournalMatchesState(Journal(dir), now);

  // Granted: the same command completes, repeating nothing it finished.
  SetRules(json::object());
  const auto again = Lir(ContainArgs(dir), kEnv, Controlled());
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  ExpectFullyContained(State());
  ExpectJournalMatchesState(Journal(dir), State());
}

INSTANTIATE_TEST_SUITE_P(EveryAction, ContainPermission, ::testing::ValuesIn(kContainActions),
                         [](const auto& info) { return std::string(info.param).replace(std::string(info.param).find(':'), 1, "_"); });

TEST_F(PermissionMatrix, TheContainListIsEveryOperationAFullContainmentAsksFor) {
  test::TempDir tmp;
  ASSERT_EQ(Lir(ContainArgs(tmp.File("case")), kEnv, Controlled()).exit_code, 0);
  std::set<std::string> asked;
  for (const auto& a : ControlLog()) asked.insert(a);
  asked.erase("sts:GetCallerIdentity");  // needs no permission: IAM cannot deny it
  EXPECT_EQ(asked, std::set<std::string>(std::begin(kContainActions), std::end(kContainActions)));
  // And `permissions contain` grants each of them.
  const json policy = json::parse(test::RunTool({"permissions", "contain"}).out);
  std::set<std::string> granted;
  for (const auto& s : policy["Statement"]) {
    for (const auto& a : s["Action"]) granted.insert(a);
  }
  for (const auto& a : asked) EXPECT_TRUE(granted.count(a)) << a << " is asked for but not in `permissions contain`";
}

class RecoverPermission : public PermissionMatrix, public ::testing::WithParamInterface<const char*> {};

TEST_P(RecoverPermission, DeniedRestoresWhatItCanNamesTheActionAndCompletesOnceGranted) {
  const std::string action = GetParam();
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir(ContainArgs(dir), kEnv, Controlled()).exit_code, 0);
  ResetControl();
  SetRules({{"deny", {action}}});
  const std::vector<std::string> recover = {"recover", "payments", "--case", dir, "--yes", "--force"};
  const auto r = Lir(recover, kEnv, Controlled());
  ASSERT_TRUE(Asked(ControlLog(), action)) << action << " was never asked for: the list above is out of date";
  // A check's read refused is one more reason listed (forced past here); a change refused fails.
  EXPECT_NE((r.out + r.err).find(action), std::string::npos) << "the output does not name " << action << "\n" << r.out << r.err;
  // Events never flow again while a change they need is not back.
  const json now = State();
  if (now["reserved"] == 0) {
    EXPECT_EQ(now["mappings"][seed_["esm_uuid"].get<std::string>()], "Disabled");
  }
  SetRules(json::object());
  const auto again = Lir(recover, kEnv, Controlled());
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  json expected = before_;  // what recovery deliberately keeps (see ContainThenRecoverRestoresEveryValue)
  expected["statements"] = json({"s3-invoke"});
  expected["urls"] = json({{"$LATEST", "AWS_IAM"}, {"live", "AWS_IAM"}});
  json after = State();
  after["inline_policies"].erase("RevokeOlderSessions-IncidentResponse");
  EXPECT_EQ(after, expected);
}

INSTANTIATE_TEST_SUITE_P(EveryAction, RecoverPermission, ::testing::ValuesIn(kRecoverActions),
                         [](const auto& info) { return std::string(info.param).replace(std::string(info.param).find(':'), 1, "_"); });

class EradicatePermission : public PermissionMatrix, public ::testing::WithParamInterface<const char*> {};

TEST_P(EradicatePermission, DeniedNamesTheActionAndCompletesOnceGranted) {
  const std::string action = GetParam();
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--steps", "throttle"}).exit_code, 0);
  ResetControl();
  SetRules({{"deny", {action}}});
  const std::vector<std::string> eradicate = {"eradicate", "payments", "--case", dir, "--yes", "--recreate-role"};
  const auto r = Lir(eradicate, kEnv, Controlled());
  ASSERT_TRUE(Asked(ControlLog(), action)) << action << " was never asked for: the list above is out of date";
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find(action), std::string::npos) << "the output does not name " << action << "\n" << r.out << r.err;
  // The old role is never deleted while the function or an alias might still need it.
  const auto old_role = test::RunPython("aws_cli.py", {"iam", "get-role", "--role-name", "payments-role", "--endpoint-url", proxy_->url()}, kEnv);
  const std::string role = json::parse(test::RunPython("aws_cli.py", {"lambda", "get-function-configuration", "--function-name", "payments",
                                                         "--endpoint-url", proxy_->url()}, kEnv).out)["Role"];
  if (old_role.exit_code != 0) {
    EXPECT_EQ(role.find("role/payments-role-ir-"), role.find("role/")) << role;
  }
  SetRules(json::object());
  const auto again = Lir(eradicate, kEnv, Controlled());
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(test::RunPython("aws_cli.py", {"iam", "get-role", "--role-name", "payments-role", "--endpoint-url", proxy_->url()}, kEnv).exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(EveryAction, EradicatePermission, ::testing::ValuesIn(kEradicateActions),
                         [](const auto& info) { return std::string(info.param).replace(std::string(info.param).find(':'), 1, "_"); });

}  // namespace
}  // namespace lir
