#include "core/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

namespace lir {
namespace {

// Read by other threads than the handler's: an atomic, lock-free so the handler may write it.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);
std::atomic<bool> g_active{false};  // an outermost scope is open
int g_depth = 0;
struct sigaction g_previous[2] {};
constexpr int kSignals[2] = {SIGINT, SIGTERM};

// The signal again, with its default action: the process ends by it. Async-signal-safe; if
// either call fails there is nothing better to do (the callers say what follows).
void Redeliver(int signal) {
  (void)std::signal(signal, SIG_DFL);
  (void)std::raise(signal);
}

// A flag, or (the second time) the signal's default action.
void OnSignal(int signal) {
  if (g_signal.load() != 0) {
    Redeliver(signal);  // the first signal is still noted
    return;
  }
  g_signal.store(signal);
}

}  // namespace

InterruptScope::InterruptScope() {
  if (g_depth++ > 0) return;
  g_signal.store(0);
  g_active.store(true);
  struct sigaction action {};
  action.sa_handler = OnSignal;
  action.sa_flags = SA_RESTART;  // a call under way (a read, an HTTP exchange) goes on; the waiter looks after it
  sigemptyset(&action.sa_mask);
  for (int k = 0; k < 2; ++k) {
    sigaction(kSignals[k], nullptr, &g_previous[k]);
    // A signal the parent ignores (a job started with `&` in a script) stays ignored.
    if (g_previous[k].sa_handler != SIG_IGN) sigaction(kSignals[k], &action, nullptr);
  }
}

InterruptScope::~InterruptScope() {
  if (--g_depth > 0) return;
  g_active.store(false);
  for (int k = 0; k < 2; ++k) sigaction(kSignals[k], &g_previous[k], nullptr);
}

bool InterruptScope::Requested() { return g_active.load() && g_signal.load() != 0; }

bool InterruptScope::Sleep(int64_t ms) {
  // In slices: a signal does not cut a sleep_for short.
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!Requested()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= end) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(end - now, std::chrono::milliseconds(20)));
  }
  return false;
}

void EndByNotedSignal() {
  const int signal = g_signal.load() != 0 ? g_signal.load() : SIGINT;
  (void)std::fflush(nullptr);  // what was printed before goes out; nothing is written after
  Redeliver(signal);
  _exit(128 + signal);  // the signal blocked, or not redelivered: the exit status says the same
}

}  // namespace lir
