// The response journal: intent before acting, prior state kept from the first run, a
// finished step never redone, and everything surviving a process that dies mid-step.
#include <gtest/gtest.h>

#include "response/journal.h"
#include "test_support.h"

namespace lir {
namespace {

TEST(Journal, RecordsIntentPriorStateAndResultInOrder) {
  test::TempDir dir;
  auto j = Journal::Open(dir.path(), "arn:aws:sts::1:assumed-role/ir/alice");
  ASSERT_TRUE(j) << j.error().message;
  auto step = (*j)->Begin("contain/payments/reserved-concurrency",
                          "aws lambda put-function-concurrency --function-name payments --reserved-concurrent-executions 0");
  ASSERT_TRUE(step);
  EXPECT_EQ(step->status, StepStatus::kIntended);
  ASSERT_TRUE((*j)->RecordPrior("contain/payments/reserved-concurrency", R"({"ReservedConcurrentExecutions":7})"));
  ASSERT_TRUE((*j)->Finish("contain/payments/reserved-concurrency", StepStatus::kDone, R"({"ReservedConcurrentExecutions":0})"));
  ASSERT_TRUE((*j)->Begin("contain/payments/esm/uuid-1", "aws lambda update-event-source-mapping --uuid uuid-1 --no-enabled"));
  auto steps = (*j)->Steps();
  ASSERT_TRUE(steps);
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ((*steps)[0].key, "contain/payments/reserved-concurrency");
  EXPECT_EQ((*steps)[0].status, StepStatus::kDone);
  EXPECT_EQ((*steps)[0].prior_state, R"({"ReservedConcurrentExecutions":7})");
  EXPECT_EQ((*steps)[0].actor, "arn:aws:sts::1:assumed-role/ir/alice");
  EXPECT_GT((*steps)[0].finished_at, 0);
  EXPECT_EQ((*steps)[1].status, StepStatus::kIntended);
}

TEST(Journal, RerunAfterACrashNeitherRepeatsNorLosesThePriorValue) {
  test::TempDir dir;
  {
    auto j = Journal::Open(dir.path(), "first-run");
    ASSERT_TRUE((*j)->Begin("a", "step a"));
    ASSERT_TRUE((*j)->RecordPrior("a", "7"));
    ASSERT_TRUE((*j)->Finish("a", StepStatus::kDone, "ok"));
    ASSERT_TRUE((*j)->Begin("b", "step b"));
    ASSERT_TRUE((*j)->RecordPrior("b", R"({"Enabled":true})"));
    // the process dies here: b was changed or not, its prior value is already safe
  }
  auto j = Journal::Open(dir.path(), "second-run");
  ASSERT_TRUE(j);
  auto a = (*j)->Begin("a", "step a");
  EXPECT_EQ(a->status, StepStatus::kDone);  // the caller skips it
  auto b = (*j)->Begin("b", "step b");
  EXPECT_EQ(b->status, StepStatus::kIntended);
  // Re-reading state now would see our own change (Enabled=false): it must not replace the prior.
  ASSERT_TRUE((*j)->RecordPrior("b", R"({"Enabled":false})"));
  ASSERT_TRUE((*j)->Finish("b", StepStatus::kDone, "ok"));
  auto found = (*j)->Find("b");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->prior_state, R"({"Enabled":true})");
  EXPECT_EQ((*found)->actor, "second-run");
}

}  // namespace
}  // namespace lir
