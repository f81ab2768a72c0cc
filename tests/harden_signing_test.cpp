// `harden --fixes code-signing` without a profile version given: harden makes the Signer profile
// (lambda_ir_release) and trusts its current version; --undo keeps the profile (Signer never
// frees a canceled profile's name); a profile it did not make is trusted only when named, and one
// that cannot sign Lambda code, or cannot be read, is never used.
#include <fmt/format.h>

#include "audit_fixture.h"

namespace lir {
namespace {

const json kActive = {{"status", "Active"}, {"platformId", "AWSLambda-SHA384-ECDSA"}};

// harden legacy's code signing in the case `dir`, then `tail` (by default: without asking).
std::vector<std::string> SignLegacy(const std::string& dir, const std::vector<std::string>& tail = {"--yes"}) {
  std::vector<std::string> args = {"harden", "legacy", "--fixes", "code-signing", "--case", dir};
  args.insert(args.end(), tail.begin(), tail.end());
  return args;
}

class HardenSigning : public Audit {
 protected:
  // A Signer profile of harden's default name, made by someone else.
  void PutProfile(const std::string& platform) const {
    Aws({"signer", "put-signing-profile", "--profile-name", "lambda_ir_release", "--platform-id", platform});
  }
  // The Enforce config that trusts the profile's current version, as the state reads it.
  static std::vector<json> TrustingProfile(const json& state) {
    std::vector<json> out;
    for (const json& c : state["code_signing_configs"]) {
      if (c[2] == json::array({"lambda_ir_release/<current>"})) out.push_back(c);
    }
    return out;
  }
};

// No profile: one is made for Lambda, legacy gets an Enforce config trusting it; a rerun changes
// nothing; --undo gives back the state before but for the profile, kept and said so; harden
// again after that trusts the profile this case made.
TEST_F(HardenSigning, MakesTheProfileAndUndoKeepsIt) {
  const json before = State();
  ASSERT_TRUE(before["signing_profile"].is_null());
  test::TempDir tmp;
  auto args = SignLegacy(tmp.File("case"));
  const auto r = Lir(args);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("3 changed, 0 done by an earlier run, 0 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("--profile-name lambda_ir_release"), std::string::npos) << r.err;  // how to sign
  const json hardened = State();
  EXPECT_EQ(hardened["signing_profile"], kActive);
  const auto trusting = TrustingProfile(hardened);
  ASSERT_EQ(trusting.size(), 1u) << hardened["code_signing_configs"].dump();
  EXPECT_EQ(trusting[0][1], "Enforce");
  EXPECT_EQ(hardened["functions"]["legacy"]["code_signing"], trusting[0][0]);
  const auto again = Lir(args);
  EXPECT_NE(again.out.find("harden: nothing to change"), std::string::npos) << again.out << again.err;

  const auto undo = Lir({"harden", "--undo", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_NE(undo.err.find("kept: Signer profile lambda_ir_release (made by harden) is kept, no longer trusted by any config harden made; "
                          "cancel it if no one signs with it: aws signer cancel-signing-profile --profile-name lambda_ir_release"),
            std::string::npos)
      << undo.err;
  json expected = before;
  expected["signing_profile"] = kActive;
  EXPECT_EQ(State(), expected);
  const auto rehardened = Lir(args);
  EXPECT_NE(rehardened.out.find("2 changed, 0 done by an earlier run, 0 failed"), std::string::npos) << rehardened.out << rehardened.err;
}

// A profile of the default name this case did not make may be anyone's: refused unless named on
// purpose; named, it is trusted as it is, and undo keeps it.
TEST_F(HardenSigning, AProfileItDidNotMakeIsTrustedOnlyWhenNamed) {
  PutProfile("AWSLambda-SHA384-ECDSA");
  const json before = State();
  test::TempDir tmp;
  auto args = SignLegacy(tmp.File("case"));
  const auto refused = Lir(args);
  EXPECT_EQ(refused.exit_code, 9) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("harden: code-signing: a Signer profile lambda_ir_release exists that this case did not make: not trusted "
                             "unasked; check who may sign with it (aws signer list-profile-permissions --profile-name lambda_ir_release), "
                             "then give --signing-profile-name lambda_ir_release to trust it"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(State(), before);
  args.insert(args.end(), {"--signing-profile-name", "lambda_ir_release"});
  const auto r = Lir(args);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("2 changed, 0 done by an earlier run, 0 failed"), std::string::npos) << r.out;
  EXPECT_EQ(TrustingProfile(State()).size(), 1u);
  ASSERT_EQ(Lir({"harden", "--undo", "--case", tmp.File("case"), "--yes"}).exit_code, 0);
  EXPECT_EQ(State(), before);
}

// --fixes all enforces code signing only with a profile named: without one it is skipped, said.
TEST_F(HardenSigning, FixesAllSkipsCodeSigningUnlessAProfileIsNamed) {
  test::TempDir tmp;
  const auto r = Lir({"harden", "legacy", "--fixes", "all", "--on-failure-destination", "arn:aws:sqs:us-east-1:123456789012:clean-dlq",
                      "--case", tmp.File("case"), "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("harden: code-signing skipped: it needs --signing-profile-version-arn ARN or --signing-profile-name NAME"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out.find("signing"), std::string::npos) << r.out;
}

// A responder without signer:PutSigningProfile: the profile's step fails with the grant to ask
// for, the config and attachment that need it are not tried, nothing changes (exit 6: failed).
TEST_F(HardenSigning, ADeniedProfileCreationChangesNothing) {
  Deny({"signer:PutSigningProfile"});
  const json before = State();
  test::TempDir tmp;
  auto args = SignLegacy(tmp.File("case"));
  const auto r = Lir(args);
  EXPECT_EQ(r.exit_code, 6) << r.out << r.err;
  EXPECT_NE(r.out.find("0 changed, 0 done by an earlier run, 1 failed, 2 not tried"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Next: grant signer:PutSigningProfile to "), std::string::npos) << r.out;
  SetRules(json::object());  // the state is read through the same proxy
  EXPECT_EQ(State(), before);
  // Someone else makes a profile of that name meanwhile: the failed step made nothing, so the
  // rerun does not take it for this case's.
  PutProfile("AWSLambda-SHA384-ECDSA");
  const auto rerun = Lir(args);
  EXPECT_EQ(rerun.exit_code, 9) << rerun.out << rerun.err;
  EXPECT_NE(rerun.err.find("a Signer profile lambda_ir_release exists that this case did not make"), std::string::npos) << rerun.err;
}

// The printed lines (the profile's version read by the aws CLI where they need it) reach the
// state the run reaches.
TEST_F(HardenSigning, DryRunLinesGiveTheSameEndState) {
  test::TempDir tmp;
  const auto printed = Lir(SignLegacy(tmp.File("dry"), {"--dry-run"}));
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_NE(printed.out.find("aws signer put-signing-profile --profile-name lambda_ir_release --platform-id AWSLambda-SHA384-ECDSA"),
            std::string::npos)
      << printed.out;
  const auto ran = test::RunPython("run_cli_lines.py", {}, kAuditEnv, printed.out);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  const json by_hand = State();
  EXPECT_EQ(TrustingProfile(by_hand).size(), 1u) << by_hand.dump();
  SetUp();
  ASSERT_EQ(Lir(SignLegacy(tmp.File("case"))).exit_code, 0);
  EXPECT_EQ(State(), by_hand);
}

// A profile of that name for another platform is never trusted, nor replaced: exit 9, no change.
TEST_F(HardenSigning, AProfileThatCannotSignLambdaIsRefused) {
  PutProfile("AmazonFreeRTOS-Default");
  const json before = State();
  test::TempDir tmp;
  auto args = SignLegacy(tmp.File("case"));
  const auto r = Lir(args);
  EXPECT_EQ(r.exit_code, 9) << r.out << r.err;
  EXPECT_NE(r.err.find("harden: code-signing: Signer profile lambda_ir_release cannot sign Lambda code (its platform is "
                       "AmazonFreeRTOS-Default, not AWSLambda-SHA384-ECDSA): not planned; give another --signing-profile-name or "
                       "--signing-profile-version-arn"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(State(), before);
}

// A responder without signer:GetSigningProfile: code signing is not planned, with the grant to
// ask for; the other fixes go on.
TEST_F(HardenSigning, AnUnreadableProfileIsReportedAndTheOthersGoOn) {
  Deny({"signer:GetSigningProfile"});
  test::TempDir tmp;
  const auto r = Lir({"harden", "legacy", "--fixes", "code-signing,url-auth", "--case", tmp.File("case"), "--yes"});
  EXPECT_EQ(r.exit_code, 9) << r.out << r.err;
  EXPECT_NE(r.err.find("harden: code-signing: Signer profile lambda_ir_release could not be read ("), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("grant signer:GetSigningProfile to the caller): not planned; or give --signing-profile-version-arn"),
            std::string::npos)
      << r.err;
  SetRules(json::object());  // the state is read through the same proxy
  EXPECT_EQ(State()["functions"]["legacy"]["urls"].begin().value(), "AWS_IAM");
  EXPECT_TRUE(State()["signing_profile"].is_null());
}

// Killed at each crash point of the profile's step (its intent, prior, the put, its result),
// then rerun: one profile, one config; undo from the two runs' journal takes the config away
// and keeps the profile.
class HardenSigningCrash : public HardenSigning, public ::testing::WithParamInterface<int> {};

TEST_P(HardenSigningCrash, KilledInTheProfileStepThenRerunThenUndo) {
  const json before = State();
  test::TempDir tmp;
  const auto args = SignLegacy(tmp.File("case"), {"--yes", "--jobs", "1"});
  const auto killed = LirKilledAt(GetParam(), args);
  ASSERT_EQ(killed.exit_code, 128 + 9) << killed.out << killed.err;
  const auto rerun = Lir(args);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_EQ(TrustingProfile(State()).size(), 1u);
  const auto undo = Lir({"harden", "--undo", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  json expected = before;
  expected["signing_profile"] = kActive;
  EXPECT_EQ(State(), expected);
}

INSTANTIATE_TEST_SUITE_P(ProfileStep, HardenSigningCrash, ::testing::Range(1, 5));

// Killed after the config was made but before its ARN was journaled, then undone without a
// rerun: the config is found by its description and deleted.
TEST_F(HardenSigning, UndoAfterACrashWithoutRerunDeletesTheConfig) {
  const json before = State();
  test::TempDir tmp;
  const auto args = SignLegacy(tmp.File("case"), {"--yes", "--jobs", "1"});
  const auto killed = LirKilledAt(7, args);  // the profile's step is points 1-4, the config's 5-8
  ASSERT_EQ(killed.exit_code, 128 + 9) << killed.out << killed.err;
  ASSERT_EQ(TrustingProfile(State()).size(), 1u);
  const auto undo = Lir({"harden", "--undo", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  json expected = before;
  expected["signing_profile"] = kActive;
  EXPECT_EQ(State(), expected);
}

}  // namespace
}  // namespace lir
