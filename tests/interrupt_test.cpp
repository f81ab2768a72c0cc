// Ctrl-C inside an InterruptScope is noted, not fatal; outside, signals keep the action they
// had, and one the parent ignores is never taken over.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <csignal>

#include "core/interrupt.h"

namespace lir {
namespace {

std::atomic<int> g_seen{0};
void CountSignal(int) { g_seen.fetch_add(1); }

sighandler_t HandlerOf(int signal) {
  struct sigaction now {};
  sigaction(signal, nullptr, &now);
  return now.sa_handler;
}

TEST(InterruptScope, NotesTheSignalAndGivesBackTheActionsItFound) {
  const sighandler_t int_before = std::signal(SIGINT, CountSignal);
  const sighandler_t term_before = std::signal(SIGTERM, SIG_IGN);
  {
    InterruptScope outer;
    EXPECT_FALSE(InterruptScope::Requested());
    EXPECT_EQ(HandlerOf(SIGTERM), SIG_IGN);  // ignored by the parent: stays ignored
    ASSERT_EQ(raise(SIGINT), 0);
    EXPECT_TRUE(InterruptScope::Requested());
    EXPECT_FALSE(InterruptScope::Sleep(5000));  // wakes at once: the signal came
    {
      InterruptScope inner;  // adds nothing, forgets nothing
      EXPECT_TRUE(InterruptScope::Requested());
    }
    EXPECT_NE(HandlerOf(SIGINT), CountSignal);  // still the scope's after the inner one ended
  }
  // Once the scope has ended, a sleep (a retry's back-off elsewhere) is not cut short any more.
  EXPECT_FALSE(InterruptScope::Requested());
  EXPECT_TRUE(InterruptScope::Sleep(1));
  EXPECT_EQ(g_seen.load(), 0);  // the scope's, not the previous handler, had it
  EXPECT_EQ(HandlerOf(SIGINT), CountSignal);
  EXPECT_EQ(HandlerOf(SIGTERM), SIG_IGN);
  ASSERT_EQ(raise(SIGINT), 0);  // outside: the previous action
  EXPECT_EQ(g_seen.load(), 1);
  std::signal(SIGINT, int_before);
  std::signal(SIGTERM, term_before);
}

}  // namespace
}  // namespace lir
