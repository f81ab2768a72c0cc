// `harden --fixes code-signing` without a profile version given: harden finds or makes the
// Signer profile (lambda_ir_release) and trusts its current version; --undo cancels the profile
// it made; a profile that cannot sign Lambda code, or cannot be read, is never used.
#include <fmt/format.h>

#include "audit_fixture.h"

namespace lir {
namespace {

const json kActive = {{"status", "Active"}, {"platformId", "AWSLambda-SHA384-ECDSA"}};

std::vector<std::string> SignLegacy(const std::string& dir) { return {"harden", "legacy", "--fixes", "code-signing", "--case", dir}; }

class HardenSigning : public Audit {
 protected:
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
// nothing; --undo gives back the state before, but for the profile, canceled (Signer keeps it).
TEST_F(HardenSigning, MakesTheProfileThenUndoCancelsIt) {
  const json before = State();
  ASSERT_TRUE(before["signing_profile"].is_null());
  test::TempDir tmp;
  auto args = SignLegacy(tmp.File("case"));
  args.push_back("--yes");
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
  json expected = before;
  expected["signing_profile"] = {{"status", "Canceled"}, {"platformId", "AWSLambda-SHA384-ECDSA"}};
  EXPECT_EQ(State(), expected);
}

// A profile of that name already there and usable is trusted as it is, and undo keeps it.
TEST_F(HardenSigning, AnExistingProfileIsTrustedAndKept) {
  Aws({"signer", "put-signing-profile", "--profile-name", "lambda_ir_release", "--platform-id", "AWSLambda-SHA384-ECDSA"});
  const json before = State();
  test::TempDir tmp;
  auto args = SignLegacy(tmp.File("case"));
  args.push_back("--yes");
  const auto r = Lir(args);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("2 changed, 0 done by an earlier run, 0 failed"), std::string::npos) << r.out;
  EXPECT_EQ(TrustingProfile(State()).size(), 1u);
  ASSERT_EQ(Lir({"harden", "--undo", "--case", tmp.File("case"), "--yes"}).exit_code, 0);
  EXPECT_EQ(State(), before);
}

// The printed lines (the profile's version read by the aws CLI where they need it) reach the
// state the run reaches.
TEST_F(HardenSigning, DryRunLinesGiveTheSameEndState) {
  test::TempDir tmp;
  auto dry = SignLegacy(tmp.File("dry"));
  dry.push_back("--dry-run");
  const auto printed = Lir(dry);
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_NE(printed.out.find("aws signer put-signing-profile --profile-name lambda_ir_release --platform-id AWSLambda-SHA384-ECDSA"),
            std::string::npos)
      << printed.out;
  const auto ran = test::RunPython("run_cli_lines.py", {}, kAuditEnv, printed.out);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  const json by_hand = State();
  EXPECT_EQ(TrustingProfile(by_hand).size(), 1u) << by_hand.dump();
  SetUp();
  auto args = SignLegacy(tmp.File("case"));
  args.push_back("--yes");
  ASSERT_EQ(Lir(args).exit_code, 0);
  EXPECT_EQ(State(), by_hand);
}

// A profile of that name for another platform is never trusted, nor replaced: exit 9, no change.
TEST_F(HardenSigning, AProfileThatCannotSignLambdaIsRefused) {
  Aws({"signer", "put-signing-profile", "--profile-name", "lambda_ir_release", "--platform-id", "AmazonFreeRTOS-Default"});
  const json before = State();
  test::TempDir tmp;
  auto args = SignLegacy(tmp.File("case"));
  args.push_back("--yes");
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
// then rerun: one profile, one config; undo from the two runs' journal cancels it.
class HardenSigningCrash : public HardenSigning, public ::testing::WithParamInterface<int> {};

TEST_P(HardenSigningCrash, KilledInTheProfileStepThenRerunThenUndo) {
  const json before = State();
  test::TempDir tmp;
  auto args = SignLegacy(tmp.File("case"));
  args.insert(args.end(), {"--yes", "--jobs", "1"});
  const auto killed = LirKilledAt(GetParam(), args);
  ASSERT_EQ(killed.exit_code, 128 + 9) << killed.out << killed.err;
  const auto rerun = Lir(args);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_EQ(TrustingProfile(State()).size(), 1u);
  const auto undo = Lir({"harden", "--undo", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  json expected = before;
  expected["signing_profile"] = {{"status", "Canceled"}, {"platformId", "AWSLambda-SHA384-ECDSA"}};
  EXPECT_EQ(State(), expected);
}

INSTANTIATE_TEST_SUITE_P(ProfileStep, HardenSigningCrash, ::testing::Range(1, 5));

}  // namespace
}  // namespace lir
