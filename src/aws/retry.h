// The AWS "standard" retry mode: up to max_attempts, exponential backoff with full
// jitter capped at 20 s, and a retry quota (500 tokens; a retry costs 5, 10 after a
// timeout; a success gives back what its retry took, or 1) so an outage does not turn
// into a retry storm. Clock and sleep are injected so tests run on a fake clock.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <random>

#include "core/result.h"

namespace lir::aws {

struct RetryClock {
  // False when the sleep was cut short (Ctrl-C inside an InterruptScope): no retry follows.
  std::function<bool(int64_t ms)> sleep;
  std::function<double()> random01;  // uniform in [0, 1)
  static RetryClock Real();  // its back-off wakes at Ctrl-C inside an InterruptScope
  // Sleeps in full even then: for the clean-up a Ctrl-C asked for (the Athena query's stop),
  // which must be retried like any call. A second Ctrl-C still ends the process.
  static RetryClock Uninterrupted();
};

class RetryQuota {
 public:
  explicit RetryQuota(int capacity = 500) : available_(capacity), capacity_(capacity) {}
  // Takes the cost of one retry; false when the quota is spent (then do not retry).
  bool Acquire(bool after_timeout, int* taken);
  void Release(int taken);  // after a success; taken == 0 means the call needed no retry
  int available() const;

 private:
  mutable std::mutex mutex_;
  int available_;
  int capacity_;
};

class RetryStrategy {
 public:
  RetryStrategy(int max_attempts, RetryQuota* quota, RetryClock clock)
      : max_attempts_(max_attempts), quota_(quota), clock_(std::move(clock)) {}

  // Runs `attempt` until it succeeds, fails for good, or the attempts or quota run out.
  // `idempotent` false: only errors proving the request never reached the service are
  // retried (throttling replies are such proof; a reset connection is not).
  template <typename T>
  Result<T> Run(bool idempotent, const std::function<Result<T>(int attempt)>& attempt) {
    int taken = 0;
    for (int i = 1;; ++i) {
      Result<T> result = attempt(i);
      if (result) {
        quota_->Release(taken);
        return result;
      }
      if (i >= max_attempts_ || !ShouldRetry(result.error(), idempotent)) return result;
      const bool timeout = result.error().service_code == "Timeout";
      if (!quota_->Acquire(timeout, &taken)) return result;
      // Interrupted: the caller sees the last failure at once, not after every back-off.
      if (!clock_.sleep(BackoffMs(i))) return result;
    }
  }

  int64_t BackoffMs(int attempt) const;  // for attempt 1, 2, ...
  static bool ShouldRetry(const Error& error, bool idempotent);

 private:
  int max_attempts_;
  RetryQuota* quota_;
  RetryClock clock_;
};

// A token bucket: at most `per_second` calls per second (CloudTrail LookupEvents: 2).
class RateLimiter {
 public:
  RateLimiter(double per_second, std::function<int64_t()> now_ms, std::function<void(int64_t)> sleep_ms);
  void Acquire();

 private:
  std::mutex mutex_;
  double interval_ms_;
  int64_t next_ms_ = 0;
  std::function<int64_t()> now_ms_;
  std::function<void(int64_t)> sleep_ms_;
};

}  // namespace lir::aws
