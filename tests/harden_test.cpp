// `lambda-ir harden` on the audit scenario (audit_fixture.h): what it fixes disappears from
// audit, --undo puts every prior value back, the dry-run's lines run through the aws CLI reach
// the same end state, and a run killed at any point between journal writes and changes
// completes on rerun without repeating a change or losing a prior value.
#include <fmt/format.h>

#include "audit_fixture.h"
#include "response/harden_steps.h"

namespace lir {
namespace {

constexpr const char* kProfile = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/release/abcdef0123";
constexpr const char* kQueue = "arn:aws:sqs:us-east-1:123456789012:clean-dlq";

std::vector<std::string> HardenAll(const std::string& dir) {
  return {"harden", "legacy", "worker", "clean", "--fixes", "all", "--on-failure-destination", kQueue, "--signing-profile-version-arn",
          kProfile, "--case", dir};
}

class Harden : public Audit {
 protected:
  // The us-east-1 audit's findings as "id function-or-resource".
  std::set<std::string> Findings() const {
    const auto r = Lir({"audit", "--all-functions", "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> out;
    const json report = json::parse(r.out);
    for (const json& f : report["findings"]) {
      out.insert(f["id"].get<std::string>() + " " + (f["function"] == "" ? f["resource"] : f["function"]).get<std::string>());
    }
    return out;
  }
};

// --fixes all, then audit: exactly the findings harden fixes are gone, and nothing else changed.
TEST_F(Harden, FixesAllThenAuditShowsThemGone) {
  auto expected = Findings();
  for (const char* fixed : {"lambda_config_policy_public legacy", "lambda_config_url_public legacy",
                            "lambda_posture_code_signing_warn_only legacy", "lambda_config_no_code_signing worker",
                            "lambda_posture_async_no_failure_destination legacy", "lambda_posture_async_no_failure_destination worker",
                            "lambda_posture_trail_no_lambda_data_events 123456789012",
                            "lambda_posture_policy_foreign_source_bucket legacy", "lambda_posture_policy_foreign_source_bucket worker"}) {
    ASSERT_EQ(expected.erase(fixed), 1u) << fixed << " not in " << json(expected).dump();
  }
  test::TempDir tmp;
  auto args = HardenAll(tmp.File("case"));
  args.push_back("--yes");
  const auto r = Lir(args);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("10 changed, 0 done by an earlier run, 0 failed"), std::string::npos) << r.out;
  EXPECT_EQ(Findings(), expected);
  // Run again: every fix is in place, nothing to change.
  const auto again = Lir(args);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("harden: nothing to change"), std::string::npos) << again.out;
}

// --undo puts back every value harden recorded: the state read with boto3 is the one before.
TEST_F(Harden, UndoRestoresThePriorStateExactly) {
  const json before = State();
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  auto args = HardenAll(dir);
  args.push_back("--yes");
  ASSERT_EQ(Lir(args).exit_code, 0);
  ASSERT_NE(State(), before);
  const auto undo = Lir({"harden", "--undo", "--case", dir, "--yes"});
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_EQ(State(), before);
  // The round is closed: undo has nothing more to do, and harden starts a new round that applies again.
  const auto twice = Lir({"harden", "--undo", "--case", dir, "--yes"});
  EXPECT_NE(twice.out.find("the journal has no hardening to undo"), std::string::npos) << twice.out;
  const auto again = Lir(args);
  EXPECT_NE(again.out.find("10 changed, 0 done by an earlier run, 0 failed"), std::string::npos) << again.out << again.err;
}

// The printed lines, run one after another through the aws CLI, make the changes harden makes.
TEST_F(Harden, DryRunLinesGiveTheSameEndState) {
  test::TempDir tmp;
  auto dry = HardenAll(tmp.File("dry"));
  dry.push_back("--dry-run");
  const auto printed = Lir(dry);
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  const auto ran = test::RunPython("run_cli_lines.py", {}, kAuditEnv, printed.out);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  const json by_hand = State();
  SetUp();  // the scenario again, as seeded
  auto args = HardenAll(tmp.File("case"));
  args.push_back("--yes");
  ASSERT_EQ(Lir(args).exit_code, 0);
  EXPECT_EQ(State(), by_hand);
}

// Re-opened after harden (by hand, or by an attacker): harden again closes it in a new round,
// and --undo undoes both rounds, newest first, back to the state before the first.
TEST_F(Harden, ReopenedThenHardenedAgainThenUndoneToTheStart) {
  const json before = State();
  test::TempDir tmp;
  const std::vector<std::string> args = {"harden", "legacy", "--fixes", "resource-policy", "--case", tmp.File("case"), "--yes"};
  ASSERT_EQ(Lir(args).exit_code, 0);
  Aws({"lambda", "add-permission", "--function-name", "legacy", "--statement-id", "public-url", "--action", "lambda:InvokeFunctionUrl",
       "--principal", "*"});
  const auto again = Lir(args);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("1 changed, 0 done by an earlier run, 0 failed"), std::string::npos) << again.out;
  EXPECT_EQ(State()["functions"]["legacy"]["policy"], nullptr);
  const auto undo = Lir({"harden", "--undo", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_EQ(State(), before);
}

// Keys name what they act on by kind: functions called "region" and "account" are undone like any.
TEST_F(Harden, FunctionsNamedLikeKeyWordsAreUndone) {
  const std::string role = Aws({"lambda", "get-function-configuration", "--function-name", "worker"})["Role"];
  for (const char* name : {"region", "account"}) {
    CreateFunction(name, role);
    Aws({"lambda", "add-permission", "--function-name", name, "--statement-id", "open", "--action", "lambda:InvokeFunction", "--principal", "*"});
  }
  const auto policy = [&](const char* name) {
    return Aws({"lambda", "get-policy", "--function-name", name})["Policy"].get<std::string>();
  };
  const std::string region_before = policy("region"), account_before = policy("account");
  test::TempDir tmp;
  ASSERT_EQ(Lir({"harden", "region", "account", "--fixes", "resource-policy", "--case", tmp.File("case"), "--yes"}).exit_code, 0);
  const auto undo = Lir({"harden", "--undo", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_EQ(json::parse(policy("region")), json::parse(region_before));
  EXPECT_EQ(json::parse(policy("account")), json::parse(account_before));
}

// The trail's selector leaves legacy out (NotEquals): harden adds its own, and its undo takes out
// only that one, keeping a selector someone added after harden.
TEST_F(Harden, DataEventsSeeExclusionsAndUndoKeepsLaterSelectors) {
  const json management = {{"Name", "management"}, {"FieldSelectors", {{{"Field", "eventCategory"}, {"Equals", {"Management"}}}}}};
  const json all_but_legacy = {{"Name", "all but legacy"},
                               {"FieldSelectors", {{{"Field", "eventCategory"}, {"Equals", {"Data"}}},
                                                   {{"Field", "resources.type"}, {"Equals", {"AWS::Lambda::Function"}}},
                                                   {{"Field", "resources.ARN"}, {"NotEquals", {"arn:aws:lambda:us-east-1:123456789012:function:legacy"}}}}}};
  Aws({"cloudtrail", "put-event-selectors", "--trail-name", "main", "--advanced-event-selectors", json::array({management, all_but_legacy}).dump()});
  test::TempDir tmp;
  const auto r = Lir({"harden", "legacy", "--fixes", "data-events", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 changed, 0 done by an earlier run, 0 failed"), std::string::npos) << r.out;
  const json later = {{"Name", "s3 writes"},
                      {"FieldSelectors", {{{"Field", "eventCategory"}, {"Equals", {"Data"}}}, {{"Field", "resources.type"}, {"Equals", {"AWS::S3::Object"}}}}}};
  json selectors = Aws({"cloudtrail", "get-event-selectors", "--trail-name", "main"})["AdvancedEventSelectors"];
  ASSERT_EQ(selectors.size(), 3u);
  selectors.push_back(later);
  Aws({"cloudtrail", "put-event-selectors", "--trail-name", "main", "--advanced-event-selectors", selectors.dump()});
  ASSERT_EQ(Lir({"harden", "--undo", "--case", tmp.File("case"), "--yes"}).exit_code, 0);
  EXPECT_EQ(Aws({"cloudtrail", "get-event-selectors", "--trail-name", "main"})["AdvancedEventSelectors"],
            json::array({management, all_but_legacy, later}));
}

// An alias's own policy is fixed like the function's: its public statement removed with the
// alias as qualifier, and put back there by --undo (legacy-b's alias blue, in us-west-2).
TEST_F(Harden, AliasPoliciesAreFixedAndUndone) {
  const std::vector<std::string> policy = {"lambda", "get-policy", "--function-name", "legacy-b", "--qualifier", "blue", "--region", "us-west-2"};
  const json before = json::parse(Aws(policy)["Policy"].get<std::string>());
  ASSERT_EQ(before["Statement"].size(), 1u);
  test::TempDir tmp;
  const auto r = Lir({"harden", "legacy-b", "--fixes", "resource-policy", "--region", "us-west-2", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("resource-policy statement alias-public of legacy-b (blue): removed (lambda_config_policy_public)"),
            std::string::npos)
      << r.out;
  const auto gone = test::RunPython("aws_cli.py", {"lambda", "get-policy", "--function-name", "legacy-b", "--qualifier", "blue", "--region",
                                                   "us-west-2", "--endpoint-url", control_->url()},
                                    kAuditEnv);
  EXPECT_NE(gone.err.find("ResourceNotFoundException"), std::string::npos) << gone.out << gone.err;
  ASSERT_EQ(Lir({"harden", "--undo", "--region", "us-west-2", "--case", tmp.File("case"), "--yes"}).exit_code, 0);
  EXPECT_EQ(json::parse(Aws(policy)["Policy"].get<std::string>()), before);
}

// A function's code signing config that could not be read is left alone, never replaced.
TEST_F(Harden, UnreadSigningConfigIsLeftAlone) {
  Deny({"lambda:GetCodeSigningConfig"});
  test::TempDir tmp;
  const auto r = Lir({"harden", "clean", "--fixes", "code-signing", "--signing-profile-version-arn", kProfile, "--case", tmp.File("case"), "--yes"});
  EXPECT_EQ(r.exit_code, 9) << r.out << r.err;
  EXPECT_NE(r.err.find("code-signing: clean has config arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-00000000000000001, "
                       "which could not be read: left as it is"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(State()["functions"]["clean"]["code_signing"], "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-00000000000000001");
}

// A fix that cannot be made (denied) is reported with the permission to grant; the others go on.
TEST_F(Harden, ADeniedFixIsReportedAndTheOthersGoOn) {
  Deny({"cloudtrail:PutEventSelectors"});
  test::TempDir tmp;
  auto args = HardenAll(tmp.File("case"));
  args.push_back("--yes");
  const auto r = Lir(args);
  EXPECT_EQ(r.exit_code, 9) << r.out << r.err;
  EXPECT_NE(r.out.find("9 changed, 0 done by an earlier run, 1 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cloudtrail:PutEventSelectors"), std::string::npos) << r.out;
}

// Each step has four crash points (after its intent, its prior, the change, its result); the
// run below has five steps: the Enforce config, legacy's attachment, its URL, its public
// statement and its on-failure destination.
constexpr int kHardenSteps = 5;

class HardenCrash : public Harden, public ::testing::WithParamInterface<int> {};

TEST_P(HardenCrash, KilledHereThenRerunCompletesWithoutRepeatingOrLosingPriors) {
  const std::vector<std::string> base = {"harden", "legacy", "--fixes", "url-auth,dlq,code-signing", "--on-failure-destination", kQueue,
                                         "--signing-profile-version-arn", kProfile, "--yes", "--jobs", "1"};
  const json before = State();
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  auto args = base;
  args.insert(args.end(), {"--case", dir});
  const auto killed = LirKilledAt(GetParam(), args);
  ASSERT_EQ(killed.exit_code, 128 + 9) << killed.out << killed.err;
  const auto rerun = Lir(args);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  const json hardened = State();
  // One Enforce config, whatever point the first run died at.
  size_t enforce = 0;
  for (const json& c : hardened["code_signing_configs"]) enforce += c[1] == "Enforce" ? 1 : 0;
  EXPECT_EQ(enforce, 2u);  // the scenario's own, and harden's
  EXPECT_EQ(hardened["functions"]["legacy"]["urls"].begin().value(), "AWS_IAM");
  // Undo from the journal the two runs wrote: every prior value was recorded.
  const auto undo = Lir({"harden", "--undo", "--case", dir, "--yes"});
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_EQ(State(), before);
}

// Undo puts a removed statement back with AddPermission: every condition AWS writes for its
// parameters maps back to it; one it has no parameter for is refused (never approximated).
TEST(HardenUndo, StatementsMapBackToAddPermissionExactlyOrNotAtAll) {
  const json url = json::parse(R"({"Sid":"FunctionURLAllowPublicAccess","Effect":"Allow","Principal":"*",
    "Action":"lambda:InvokeFunctionUrl","Resource":"arn:aws:lambda:us-east-1:111122223333:function:f",
    "Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}})");
  EXPECT_EQ(*AddPermissionBody(url), json::parse(R"({"StatementId":"FunctionURLAllowPublicAccess","Action":"lambda:InvokeFunctionUrl",
    "Principal":"*","FunctionUrlAuthType":"NONE"})"));
  const json s3 = json::parse(R"({"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction",
    "Resource":"arn:aws:lambda:us-east-1:111122223333:function:f",
    "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"},"StringEquals":{"AWS:SourceAccount":"111122223333"}}})");
  EXPECT_EQ(*AddPermissionBody(s3), json::parse(R"({"StatementId":"s3","Action":"lambda:InvokeFunction","Principal":"s3.amazonaws.com",
    "SourceArn":"arn:aws:s3:::b","SourceAccount":"111122223333"})"));
  json odd = s3;
  odd["Condition"]["IpAddress"] = {{"aws:SourceIp", "203.0.113.0/24"}};
  EXPECT_EQ(AddPermissionBody(odd).error().message, "condition IpAddress aws:SourceIp has no AddPermission parameter");
  json two = s3;
  two["Principal"] = {{"AWS", {"arn:aws:iam::1:root", "arn:aws:iam::2:root"}}};
  EXPECT_FALSE(AddPermissionBody(two).has_value());
}

INSTANTIATE_TEST_SUITE_P(EveryPoint, HardenCrash, ::testing::Range(1, kHardenSteps * 4 + 1));

}  // namespace
}  // namespace lir
