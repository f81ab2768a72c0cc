#include "core/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

extern char** environ;

namespace lir {

Result<std::string> RunAndCapture(const std::vector<std::string>& argv, size_t max_output, int timeout_ms) {
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return MakeError(ErrorCode::kIo, std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  // Unattended, its own process group, so that on expiry whatever it started goes with it.
  // At a terminal it stays in ours: a credential_process that prompts (MFA) must be able to
  // read the terminal (a background group gets SIGTTIN) and to get the user's Ctrl-C.
  const bool own_group = isatty(STDIN_FILENO) == 0;
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (own_group) {
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  const int rc = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(out_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    return MakeError(ErrorCode::kNotFound, fmt::format("cannot run {}: {}", argv[0], std::strerror(rc)));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string output;
  char buf[8192];
  bool timed_out = false;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd readable{out_pipe[0], POLLIN, 0};
    const int ready = poll(&readable, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the deadline check above ends it
    const ssize_t n = read(out_pipe[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (output.size() + static_cast<size_t>(n) > max_output) break;
    output.append(buf, static_cast<size_t>(n));
  }
  close(out_pipe[0]);
  // It may close its output and go on (exec >&-; sleep): the deadline holds for the exit too.
  int status = 0;
  while (!timed_out) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      break;
    }
    poll(nullptr, 0, 20);
  }
  if (timed_out) {
    kill(own_group ? -pid : pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (timed_out) {
    return MakeError(ErrorCode::kUnavailable, fmt::format("{} did not finish within {} s: stopped", argv[0], timeout_ms / 1000.0));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return MakeError(ErrorCode::kUnavailable, fmt::format("{} exited with status {}", argv[0],
                                                          WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  return output;
}

}  // namespace lir
