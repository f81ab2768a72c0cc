#!/usr/bin/env bash
# The sanitizer passes of CI, beside the libFuzzer run that ctest does:
#  1. ThreadSanitizer on the step runner (steps added while others run, blocked steps parked
#     and resumed, skips): its test built alone with the runner, the journal and the pool;
#  2. AddressSanitizer and UndefinedBehaviorSanitizer, in build-asan/, on the tests that need
#     no server (parsing, rules, analysis, redaction, AWS answers and credentials, evidence).
# Usage: scripts/sanitize.sh   (from the checkout; needs scripts/setup.sh's packages)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build-tsan
echo "sanitize: ThreadSanitizer, step runner" >&2
g++ -std=c++20 -O1 -g -fsanitize=thread -Isrc tests/step_runner_test.cpp src/response/step_runner.cpp src/response/crash_point.cpp src/response/journal.cpp \
  src/core/task_pool.cpp src/core/result.cpp src/core/time.cpp \
  $(pkg-config --cflags --libs fmt sqlite3) -lgtest -lgtest_main -pthread -o build-tsan/step_runner_test
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/step_runner_test --gtest_repeat=20 --gtest_brief=1

echo "sanitize: AddressSanitizer + UndefinedBehaviorSanitizer, unit tests" >&2
# Only the layers below the response (tests/CMakeLists.txt: lir_unit_tests): a second build of
# the whole tool would double CI's build time on two cores. -g1: line tables for the reports.
[ -f build-asan/build.ninja ] || cmake --preset asan  # CMakePresets.json
cmake --build build-asan --target lir_unit_tests
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
AWS_EC2_METADATA_DISABLED=true build-asan/tests/lir_unit_tests --gtest_brief=1
