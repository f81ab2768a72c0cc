// The step runner's rules, on fake steps with a real journal: waits, skips when a needed step
// failed, a blocked change retried once what blocks it (even if added later) has ended, tasks
// that are never journaled, and steps added while others run. Run at 1 and 8 jobs. Depends on
// nothing but the runner and the journal, so scripts/sanitize.sh also builds it alone under
// ThreadSanitizer.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "response/journal.h"
#include "response/step_runner.h"

namespace lir {
namespace {

using nlohmann::json;

struct Log {
  std::mutex mutex;
  std::vector<std::string> applied;
  void Add(const std::string& s) {
    std::lock_guard lock(mutex);
    applied.push_back(s);
  }
};

ResponseStep Step(const std::string& key, Log* log, bool ok = true) {
  ResponseStep s;
  s.key = key;
  s.action = "aws test " + key;
  s.summary = key;
  s.known_prior = json::object();
  s.apply = [key, log, ok](const json&) -> Result<json> {
    log->Add(key);
    if (!ok) return MakeError(ErrorCode::kPermissionDenied, key + " denied");
    return json{{"ok", key}};
  };
  return s;
}

const StepOutcome& Find(const std::vector<StepOutcome>& outcomes, const std::string& key) {
  for (const auto& o : outcomes) {
    if (o.key == key) return o;
  }
  static StepOutcome none;
  ADD_FAILURE() << "no outcome " << key;
  return none;
}

class StepRunnerTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "lir-steps-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    journal_ = std::move(*Journal::Open(dir_, "tester"));
  }
  void TearDown() override {
    journal_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
  std::unique_ptr<Journal> journal_;
};

TEST_P(StepRunnerTest, AStepWhoseNeededStepFailedIsSkippedWithWhyAndJournaledSo) {
  Log log;
  auto b = Step("b", &log);
  b.needs = {"a"};
  auto c = Step("c", &log);
  c.needs = {"b"};
  auto d = Step("d", &log);
  d.after = {"a"};  // order only: it runs although a failed
  const auto outcomes = RunSteps(*journal_, {Step("a", &log, false), b, c, d}, GetParam(), nullptr);
  EXPECT_EQ(Find(outcomes, "a").kind, StepOutcomeKind::kFailed);
  EXPECT_EQ(Find(outcomes, "b").kind, StepOutcomeKind::kSkipped);
  EXPECT_EQ(Find(outcomes, "b").error, "because a failed");
  EXPECT_EQ(Find(outcomes, "c").error, "because b was skipped");
  EXPECT_EQ(Find(outcomes, "d").kind, StepOutcomeKind::kDone);
  EXPECT_EQ(log.applied.size(), 2u);  // a and d only
  auto recorded = journal_->Find("b");
  ASSERT_TRUE(recorded && *recorded);
  EXPECT_EQ((*recorded)->status, StepStatus::kSkipped);
  // A rerun tries the skipped steps again.
  const auto again = RunSteps(*journal_, {Step("a", &log), b, c, d}, GetParam(), nullptr);
  EXPECT_EQ(Find(again, "b").kind, StepOutcomeKind::kDone);
  EXPECT_EQ(Find(again, "d").kind, StepOutcomeKind::kAlreadyDone);
}

TEST_P(StepRunnerTest, ABlockedChangeWaitsForWhatBlocksItEvenIfAddedLaterThenAppliesAgain) {
  Log log;
  std::atomic<bool> unblocked{false};
  ResponseStep reserved = Step("fn/reserved", &log);
  reserved.retry_after = {"fn/provisioned"};
  reserved.blocked_by = [](const Error& e) { return e.code == ErrorCode::kInvalidRequest; };
  reserved.apply = [&](const json&) -> Result<json> {
    log.Add("reserved");
    if (!unblocked) return MakeError(ErrorCode::kInvalidRequest, "less than the provisioned concurrency");
    return json{{"ok", true}};
  };
  StepRun run(*journal_, GetParam());
  // The list task adds the removal while it runs; the removal unblocks the put.
  ResponseStep list = Step("fn/provisioned-list", &log);
  list.journaled = false;
  list.apply = [&](const json&) -> Result<json> {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ResponseStep removal = Step("fn/provisioned/live", &log);
    removal.apply = [&](const json&) -> Result<json> {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      log.Add("removed");
      unblocked = true;
      return json::object();
    };
    run.Add({removal});
    return json::object();
  };
  run.Add({reserved, list});
  const auto outcomes = run.Wait();
  EXPECT_EQ(Find(outcomes, "fn/reserved").kind, StepOutcomeKind::kDone);
  EXPECT_EQ(log.applied, (std::vector<std::string>{"reserved", "removed", "reserved"}));
  EXPECT_FALSE(journal_->Find("fn/provisioned-list").value().has_value());  // a task: never journaled
}

TEST_P(StepRunnerTest, ABlockedChangeWhoseBlockerFailedFailsWithBoth) {
  Log log;
  ResponseStep reserved = Step("fn/reserved", &log);
  reserved.retry_after = {"fn/provisioned"};
  reserved.blocked_by = [](const Error&) { return true; };
  reserved.apply = [](const json&) -> Result<json> { return MakeError(ErrorCode::kInvalidRequest, "blocked"); };
  const auto outcomes = RunSteps(*journal_, {reserved, Step("fn/provisioned/live", &log, false)}, GetParam(), nullptr);
  const auto& r = Find(outcomes, "fn/reserved");
  EXPECT_EQ(r.kind, StepOutcomeKind::kFailed);
  EXPECT_EQ(r.cause.message, "blocked (and fn/provisioned/live failed, so it still blocks)");
}

TEST_P(StepRunnerTest, HeldBackStepsAreNotTriedAndSayHowToAllowThem) {
  Log log;
  auto deny = Step("deny", &log);
  deny.held_back = "role r is also used by billing; rerun with --allow-shared-role";
  const auto outcomes = RunSteps(*journal_, {deny}, GetParam(), nullptr);
  EXPECT_EQ(outcomes[0].kind, StepOutcomeKind::kSkipped);
  EXPECT_EQ(outcomes[0].error, "held back: role r is also used by billing; rerun with --allow-shared-role");
  EXPECT_TRUE(log.applied.empty());
}

INSTANTIATE_TEST_SUITE_P(Jobs, StepRunnerTest, ::testing::Values(1, 8));

}  // namespace
}  // namespace lir
