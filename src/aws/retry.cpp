#include "aws/retry.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "core/interrupt.h"

namespace lir::aws {

RetryClock RetryClock::Real() {
  // A back-off of up to 20 s wakes at Ctrl-C while an Athena query waits to be stopped.
  return {[](int64_t ms) { return InterruptScope::Sleep(ms); },
          [] {
            thread_local std::mt19937_64 rng{std::random_device{}()};
            return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
          }};
}

RetryClock RetryClock::Uninterrupted() {
  RetryClock clock = Real();
  clock.sleep = [](int64_t ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return true;
  };
  return clock;
}

bool RetryQuota::Acquire(bool after_timeout, int* taken) {
  std::lock_guard<std::mutex> lock(mutex_);
  const int cost = after_timeout ? 10 : 5;
  if (available_ < cost) return false;
  available_ -= cost;
  *taken = cost;
  return true;
}

void RetryQuota::Release(int taken) {
  std::lock_guard<std::mutex> lock(mutex_);
  available_ = std::min(capacity_, available_ + (taken > 0 ? taken : 1));
}

int RetryQuota::available() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return available_;
}

int64_t RetryStrategy::BackoffMs(int attempt) const {
  const double cap = 20'000.0;
  const double base = std::min(cap, 1000.0 * std::pow(2.0, attempt - 1));
  return static_cast<int64_t>(clock_.random01() * base);
}

bool RetryStrategy::ShouldRetry(const Error& error, bool idempotent) {
  if (error.code == ErrorCode::kThrottled) return true;  // the service refused: nothing happened
  if (!idempotent) return false;
  return error.code == ErrorCode::kUnavailable;
}

RateLimiter::RateLimiter(double per_second, std::function<int64_t()> now_ms, std::function<void(int64_t)> sleep_ms)
    : interval_ms_(1000.0 / per_second), now_ms_(std::move(now_ms)), sleep_ms_(std::move(sleep_ms)) {}

void RateLimiter::Acquire() {
  int64_t wait = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const int64_t now = now_ms_();
    const int64_t slot = std::max(now, next_ms_);
    next_ms_ = slot + static_cast<int64_t>(interval_ms_);
    wait = slot - now;
  }
  if (wait > 0) sleep_ms_(wait);
}

}  // namespace lir::aws
