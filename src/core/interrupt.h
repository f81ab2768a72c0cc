// Ctrl-C (SIGINT) and SIGTERM during a wait that must undo something before the process ends:
// an Athena query keeps running (and billing) after the client that started it is gone. Inside
// an InterruptScope the first signal is only noted, for the waiting code to see, stop what it
// started and return; a second one ends the process at once, as it would have. Outside any
// scope both signals keep the action they had.
#pragma once

#include <cstdint>

namespace lir {

class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  // A signal came since the scope began.
  static bool Requested();
  // Sleeps `ms`, waking early (and returning false) when a signal comes.
  static bool Sleep(int64_t ms);
};

}  // namespace lir
