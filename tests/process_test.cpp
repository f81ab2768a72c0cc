// credential_process and git run as child processes: a hung one (or one that leaves children
// behind) must not hang the tool.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <string>
#include <thread>

#include "core/process.h"
#include "test_support.h"

namespace lir {
namespace {

// Alive means running: a killed process may linger a moment as a zombie until it is reaped.
bool Running(const std::string& pid) {
  const std::string stat = test::ReadFile("/proc/" + pid + "/stat");
  if (stat.empty()) return false;
  const size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
}

TEST(Process, AHungProgramAndItsChildrenAreStoppedAtTheTimeout) {
  test::TempDir dir;
  const std::string pid_file = dir.File("child.pid");
  const auto r = RunAndCapture({"sh", "-c", "sleep 300 & echo $! > \"$0\"; echo partial; wait", pid_file}, 1 << 20, 500);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().message, "sh did not finish within 0.5 s: stopped");
  std::string child = test::ReadFile(pid_file);
  child.erase(child.find_last_not_of("\n") + 1);
  ASSERT_FALSE(child.empty());
  for (int i = 0; i < 100 && Running(child); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(Running(child));  // the whole group was killed, not only sh
}

// Closing its output does not end the wait: the deadline holds until it exits.
TEST(Process, AProgramThatClosesItsOutputIsStillStopped) {
  const auto r = RunAndCapture({"sh", "-c", "echo early; exec >&-; sleep 300"}, 1 << 20, 500);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "sh did not finish within 0.5 s: stopped");
}

TEST(Process, OutputAndExitStatusAsBefore) {
  EXPECT_EQ(*RunAndCapture({"sh", "-c", "printf 'a\\nb'"}, 1 << 20), "a\nb");
  const auto failed = RunAndCapture({"sh", "-c", "exit 3"}, 1 << 20);
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().message, "sh exited with status 3");
}

}  // namespace
}  // namespace lir
