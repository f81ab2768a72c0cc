// Ctrl-C (SIGINT) and SIGTERM during a wait that must undo something before the process ends:
// an Athena query keeps running (and billing) after the client that started it is gone. Inside
// an InterruptScope the first signal is only noted, for the waiting code to see, stop what it
// started and return; a second one ends the process at once, as it would have. Outside any
// scope both signals keep the action they had; one the parent ignores stays ignored.
#pragma once

#include <cstdint>

namespace lir {

class InterruptScope {
 public:
  InterruptScope();  // a scope inside another adds nothing: the outer one holds the signals
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  // A signal came since the outermost scope began, which is still open. Once it has ended,
  // false: a retry's back-off elsewhere sleeps in full (EndByNotedSignal still knows the signal).
  static bool Requested();
  // Sleeps `ms`, waking early (and returning false) when Requested() becomes true.
  static bool Sleep(int64_t ms);
};

// After the clean-up a noted signal asked for: the process ends by that signal (so a shell
// running it as part of a script stops there too, and sees 130 for Ctrl-C, 143 for SIGTERM).
[[noreturn]] void EndByNotedSignal();

}  // namespace lir
