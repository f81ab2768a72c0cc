// Containment that survives what happens at 3 a.m.: the process killed at every point
// between journal writes and changes, a flaky network, and a responder who wants to see
// (and run by hand) the exact aws CLI commands first.
#include <fmt/format.h>

#include "response_fixture.h"

namespace lir {
namespace {

// Each step has four crash points: after its intent, after its prior, after the change,
// after its result. The default containment of the scenario has five steps.
constexpr int kStepsInDefaultContainment = 5;
constexpr int kCrashPointsPerStep = 4;

// One test per crash point, so ctest spreads them over the cores.
class ResponseCrash : public Response, public ::testing::WithParamInterface<int> {};

TEST_P(ResponseCrash, KilledHereThenRerunCompletesWithoutRepeatingOrLosingPriors) {
  const int point = GetParam();
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  // One job: steps in a fixed order, so each point is one place in the run.
  const auto killed = LirKilledAt(point, {"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--jobs", "1"});
  ASSERT_EQ(killed.exit_code, 128 + 9) << killed.out << killed.err;
  // Reserved 0 goes first and waits, blocked, while the provisioned config is removed: steps
  // do not finish in the order they start, so what the killed run finished is read back.
  int finished_before = 0;
  for (const auto& s : Journal(dir)) finished_before += s["status"] == "done" ? 1 : 0;
  EXPECT_LE(finished_before, (point - 1) / kCrashPointsPerStep + 1);

  // A step whose change was already in place ends "already as wanted" instead of changed: the
  // refunds mapping, disabled before containment, and a change the killed run made but had
  // not recorded as done. Counted from the journal, before and after the rerun.
  auto unchanged = [&] {
    int n = 0;
    for (const auto& s : Journal(dir)) n += s["status"] == "done" && s["result"].is_object() && s["result"].contains("unchanged") ? 1 : 0;
    return n;
  };
  const int unchanged_before = unchanged();
  // The same command again (packages skipped as before: a package the case lacks is a part done).
  const auto rerun = Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes", "--jobs", "1"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  const int already = unchanged() - unchanged_before;
  const std::string counts =
      already == 0 ? fmt::format("{} changed, {} done by an earlier run, 0 failed", kStepsInDefaultContainment - finished_before, finished_before)
                   : fmt::format("{} changed, {} already as wanted, {} done by an earlier run, 0 failed",
                                 kStepsInDefaultContainment - finished_before - already, already, finished_before);
  EXPECT_NE(rerun.out.find(counts), std::string::npos) << rerun.out;
  ExpectContained(State());
  const json journal = Journal(dir);
  ExpectPriorsRecorded(journal);
  for (const auto& s : journal) EXPECT_EQ(s["status"], "done") << s["key"];

  ASSERT_EQ(Lir({"recover", "payments", "--case", dir, "--yes", "--force"}).exit_code, 0);
  EXPECT_EQ(State(), before_);
}

INSTANTIATE_TEST_SUITE_P(EveryPoint, ResponseCrash, ::testing::Range(1, kStepsInDefaultContainment * kCrashPointsPerStep + 1));

// Recovery of the default containment: provisioned, reserved, the one mapping that was
// enabled, the deny policy, then the step that closes the round.
constexpr int kStepsInRecovery = 5;

class RecoveryCrash : public Response, public ::testing::WithParamInterface<int> {};

TEST_P(RecoveryCrash, KilledHereThenRerunRestoresEveryValue) {
  const int point = GetParam();
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes"}).exit_code, 0);
  const auto killed = LirKilledAt(point, {"recover", "payments", "--case", dir, "--yes", "--force", "--jobs", "1"});
  ASSERT_EQ(killed.exit_code, 128 + 9) << killed.out << killed.err;
  const auto rerun = Lir({"recover", "payments", "--case", dir, "--yes", "--force", "--jobs", "1"});
  if (point > (kStepsInRecovery - 1) * kCrashPointsPerStep) {
    // Killed while closing the round: every change was made; the rerun only closes it.
    EXPECT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  } else {
    ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
    EXPECT_NE(rerun.out.find(fmt::format("done by an earlier run, 0 failed")), std::string::npos) << rerun.out;
  }
  EXPECT_EQ(State(), before_);
  const json journal = Journal(dir);
  for (const auto& s : journal) EXPECT_EQ(s["status"], "done") << s["key"];
  EXPECT_EQ(StepNamed(journal, "recover/payments/r1/complete")["status"], "done");
}

INSTANTIATE_TEST_SUITE_P(EveryPoint, RecoveryCrash, ::testing::Range(1, kStepsInRecovery * kCrashPointsPerStep + 1));

TEST_F(Response, ThrottlingErrorsAndResetsDoNotStopContainmentAndTheJournalMatchesReality) {
  test::TempDir tmp;
  // Every distinct request meets one fault on its first attempt (which one is fixed by the
  // request, not by the order concurrent calls arrive in) and passes on its second: with the
  // standard retry mode's 3 attempts, every call succeeds, and so does every run.
  test::ChildServer faults({"python3", test::SourceDir() + "/tests/servers/fault_proxy.py", proxy_->url(),
                            "each:throttle,error500,reset,lost,pass", tmp.File("faults.log")});
  const std::string dir = tmp.File("case");
  const auto contained = Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes"}, kEnv, faults.url());
  ASSERT_EQ(contained.exit_code, 0) << contained.out << contained.err;
  ExpectContained(State());
  const json journal = Journal(dir);
  ExpectPriorsRecorded(journal);
  for (const auto& s : journal) EXPECT_EQ(s["status"], "done") << s["key"];
  const auto recovered = Lir({"recover", "payments", "--case", dir, "--yes", "--force"}, kEnv, faults.url());
  ASSERT_EQ(recovered.exit_code, 0) << recovered.out << recovered.err;
  EXPECT_EQ(State(), before_);
  // The faults did happen: the proxy logged requests it refused or cut.
  EXPECT_FALSE(test::ReadFile(tmp.File("faults.log")).empty());
}

TEST_F(Response, DryRunChangesNothingAndItsLinesAreTheSameChangesThroughTheAwsCli) {
  const auto dry = Lir({"contain", "payments", "--dry-run", "--steps", "all", "--region", "us-east-1"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(State(), before_);
  // Every line is an aws CLI invocation that runs as printed.
  const auto ran = test::RunPython("run_cli_lines.py", {}, kEnv, dry.out);
  ASSERT_EQ(ran.exit_code, 0) << ran.out;
  json by_hand = State();
  ExpectContained(by_hand);
  EXPECT_EQ(by_hand["urls"]["$LATEST"], "AWS_IAM");
  EXPECT_EQ(by_hand["statements"], json({"s3-invoke"}));

  // And recovery's lines undo a real containment exactly.
  Reseed();
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  ASSERT_EQ(Lir({"contain", "payments", "--case", dir, "--skip-packages", "--yes"}).exit_code, 0);
  const auto dry_recover = Lir({"recover", "payments", "--case", dir, "--dry-run", "--region", "us-east-1"});
  ASSERT_EQ(dry_recover.exit_code, 0) << dry_recover.err;
  ExpectContained(State());
  const auto undone = test::RunPython("run_cli_lines.py", {}, kEnv, dry_recover.out);
  ASSERT_EQ(undone.exit_code, 0) << undone.out << undone.err;
  EXPECT_EQ(State(), before_);
}

}  // namespace
}  // namespace lir
