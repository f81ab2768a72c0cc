// The crash tests' hook (step_runner.h). Linked into the executables directly, not into
// lir_response: the release `lambda-ir` gets the empty version, so no environment variable
// can make a shipped binary kill itself in the middle of a containment; `lambda-ir-test`,
// which the tests run, is built with LIR_TEST_CRASH_HOOK.
#include "response/step_runner.h"

#ifdef LIR_TEST_CRASH_HOOK
#include <atomic>
#include <csignal>
#include <cstdlib>
#endif

namespace lir {

#ifdef LIR_TEST_CRASH_HOOK
void CrashPoint() {
  static const long crash_at = [] {
    const char* v = std::getenv("LAMBDA_IR_TEST_CRASH_AT");
    return v ? std::atol(v) : 0L;
  }();
  static std::atomic<long> reached{0};
  if (crash_at > 0 && ++reached == crash_at) std::raise(SIGKILL);
}
#else
void CrashPoint() {}
#endif

}  // namespace lir
