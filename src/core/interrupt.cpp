#include "core/interrupt.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <thread>

namespace lir {
namespace {

volatile std::sig_atomic_t g_signal = 0;
struct sigaction g_previous_int {}, g_previous_term {};

// Async-signal-safe: a flag, or (the second time) the default action again and the signal.
void OnSignal(int signal) {
  if (g_signal != 0) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  g_signal = signal;
}

}  // namespace

InterruptScope::InterruptScope() {
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = OnSignal;
  action.sa_flags = SA_RESTART;  // a call under way (a read, an HTTP exchange) goes on; the waiter looks after it
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptScope::~InterruptScope() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

bool InterruptScope::Requested() { return g_signal != 0; }

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

}  // namespace lir
