// recover cannot reopen the door: before a contained function runs again, the live function
// is checked against the case. Each test plants what a responder would find in a case (the
// trail records collect's LookupEvents pages would hold, written into the case's
// artifacts/cloudtrail as they would be) and what an attacker leaves on the function.
#include <set>

#include "response_fixture.h"

namespace lir {
namespace {

class RecoverGuard : public Response {
 protected:
  // CloudTrail records in the case, as collect stores LookupEvents pages.
  static void AddTrailToCase(const std::string& dir, const json& records) {
    test::WriteFile(dir + "/artifacts/cloudtrail/lookup-events.json", json{{"Records", records}}.dump());
  }

  static std::set<std::string> Refusals(const std::string& err) {
    std::set<std::string> out;
    for (size_t at = err.find("refused: "); at != std::string::npos; at = err.find("refused: ", at + 1)) {
      const size_t start = at + 9, end = err.find(". First: ", start);
      out.insert(err.substr(start, end - start));
    }
    return out;
  }

};

TEST_F(RecoverGuard, RefusesWhileTheFlaggedCodeRunsAndRecoversOnceItIsRedeployed) {
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  // Everything but the code closed: sessions revoked, the public statement removed, URLs AWS_IAM.
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--steps", "all"}).exit_code, 0);
  // The case's trail: user dev replaced the code (a high finding about it).
  AddTrailToCase(dir, json::array({SampleRecord("lambda_function_code_updated_by_user")}));
  const std::string code = Aws({"lambda", "get-function-configuration", "--function-name", "payments"})["CodeSha256"];
  const json contained = State();

  const auto refused = Lir({"recover", "payments", "--case", dir, "--yes"});
  EXPECT_EQ(refused.exit_code, 8) << refused.out << refused.err;
  // At $LATEST, and on version 1, which alias live serves.
  EXPECT_EQ(Refusals(refused.err), (std::set<std::string>{"the code the case flags is still deployed (CodeSha256 " + code + ")",
                                                          "alias live serves version 1, the code the case flags (CodeSha256 " + code + ")"}))
      << refused.err;
  EXPECT_NE(refused.err.find("First: eradicate payments --case " + dir + " --redeploy DIR|ZIP|git:REPO@REF"), std::string::npos);
  EXPECT_EQ(State(), contained);  // nothing changed

  test::WriteFile(tmp.File("src/app.py"), "def handler(event, context):\n    return {'ok': True, 'clean': True}\n");
  ASSERT_EQ(Lir({"eradicate", "payments", "--case", dir, "--yes", "--redeploy", tmp.File("src")}).exit_code, 0);
  const auto recovered = Lir({"recover", "payments", "--case", dir, "--yes"});
  ASSERT_EQ(recovered.exit_code, 0) << recovered.out << recovered.err;
  EXPECT_EQ(State()["reserved"], 7);
  EXPECT_EQ(test::ReadFile(dir + "/custody.log").find("recover-forced"), std::string::npos);
}

TEST_F(RecoverGuard, ListsEveryOpenDoorAndForceIsRecordedInCustody) {
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes"}).exit_code, 0);
  // The attacker's leftovers: a runtime-hijacking variable, and a trigger they created.
  Aws({"lambda", "update-function-configuration", "--function-name", "payments", "--environment",
       "Variables={AWS_LAMBDA_EXEC_WRAPPER=/tmp/w,DB_PASSWORD=hunter2}"});
  const std::string esm = seed_["esm_uuid"];
  AddTrailToCase(dir, json::array({SampleRecord("lambda_permission_public"), SampleRecord("lambda_event_source_mapping_changed", [&](json& r) {
                                     r["responseElements"]["uUID"] = esm;
                                   })}));
  const auto refused = Lir({"recover", "payments", "--case", dir, "--yes"});
  EXPECT_EQ(refused.exit_code, 8) << refused.out << refused.err;
  const std::set<std::string> reasons = Refusals(refused.err);
  std::set<std::string> first_words;
  for (const auto& r : reasons) first_words.insert(r.substr(0, r.find(' ', r.find(' ') + 1)));
  EXPECT_EQ(reasons.size(), 5u) << refused.err;
  EXPECT_TRUE(reasons.count("live: Environment variable AWS_LAMBDA_EXEC_WRAPPER can run code before the handler "
                            "(lambda_config_env_runtime_hijack)")) << refused.err;
  EXPECT_TRUE(reasons.count("live: Function URL requires no authentication (lambda_config_url_public)")) << refused.err;
  EXPECT_TRUE(reasons.count("live: Statement open-invoke lets anyone invoke (lambda_config_policy_public)")) << refused.err;
  EXPECT_TRUE(reasons.count("the deny-all comes off the execution role payments-role, but its sessions issued before containment were "
                            "never revoked: credentials the attacker took work again")) << refused.err;
  bool mapping = false;
  for (const auto& r : reasons) mapping = mapping || r.rfind("event source mapping " + esm + " was created by arn:aws:iam::123456789012:user/dev", 0) == 0;
  EXPECT_TRUE(mapping) << refused.err;
  EXPECT_EQ(refused.out.find("hunter2") + refused.err.find("hunter2"), 2 * std::string::npos);  // values never shown

  const auto forced = Lir({"recover", "payments", "--case", dir, "--yes", "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.out << forced.err;
  const std::string custody = test::ReadFile(dir + "/custody.log");
  const size_t at = custody.find("recover-forced");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(custody.find("AWS_LAMBDA_EXEC_WRAPPER", at), std::string::npos);
  EXPECT_EQ(test::RunTool({"verify", dir}).exit_code, 7);  // the trail planted by hand is not in the manifest
}

TEST_F(RecoverGuard, DryRunSaysWhatWouldBeRefusedAndChangesNothing) {
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes"}).exit_code, 0);
  const json contained = State();
  const auto dry = Lir({"recover", "payments", "--case", dir, "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.err.find("would refuse: the deny-all comes off the execution role"), std::string::npos) << dry.err;
  EXPECT_NE(dry.out.find("aws iam delete-role-policy --role-name payments-role --policy-name DenyAll-IncidentResponse"), std::string::npos);
  EXPECT_EQ(State(), contained);
}

}  // namespace
}  // namespace lir
