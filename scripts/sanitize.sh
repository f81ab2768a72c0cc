#!/usr/bin/env bash
# The sanitizer passes of CI, beside the libFuzzer run that ctest does:
#  1. ThreadSanitizer on the step runner (steps added while others run, blocked steps parked
#     and resumed, skips): its test built alone with the runner, the journal and the pool;
#  2. AddressSanitizer and UndefinedBehaviorSanitizer on the whole tool, in build-asan/, running
#     the tests that need no server (parsing, rules, analysis, answers, the runner, the journal)
#     and the crafted-answer and contain/recover round trips through the ASan-built binary.
# Usage: scripts/sanitize.sh   (from the checkout; needs scripts/setup.sh's packages)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build-tsan
echo "sanitize: ThreadSanitizer, step runner" >&2
g++ -std=c++20 -O1 -g -fsanitize=thread -Isrc tests/step_runner_test.cpp src/response/step_runner.cpp src/response/journal.cpp \
  src/core/task_pool.cpp src/core/result.cpp src/core/time.cpp \
  $(pkg-config --cflags --libs fmt sqlite3) -lgtest -lgtest_main -pthread -o build-tsan/step_runner_test
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/step_runner_test --gtest_repeat=20 --gtest_brief=1

echo "sanitize: AddressSanitizer + UndefinedBehaviorSanitizer" >&2
[ -f build-asan/build.ninja ] || cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS="-O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake --build build-asan --target lir_tests lambda-ir
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
unit='AwsErrors.*:AwsAnswers.*:AwsOperations.*:Jobs/StepRunner*:Journal.*:Reader*:Engine*:Rule*:EventName.*:Time.*:SigV4*'
unit+=':Packages*:PackageYara*:Yara*:Evidence*:ConfigAnalysis*:LogAnalysis*:MetricAnalysis*:AwsCliLine.*:SuspectFunctions.*'
unit+=':PreIncident.*:Redaction*:Retry*:RateLimiter*:Endpoints*:HandlerFiles*:KnownGood*:Monitor.*:Panther*'
live='ContainInAccount.CraftedAnswersAreCleanErrorsNeverAnAbort:Response.ContainThenRecoverRestoresEveryValue'
live+=':ContainInAccount.TheThrottleIsTheFirstChangeBeforeTheRestOfTheSnapshot:RecoverGuard.ListsEveryOpenDoorAndForceIsRecordedInCustody'
AWS_EC2_METADATA_DISABLED=true build-asan/tests/lir_tests --gtest_filter="$unit:$live" --gtest_brief=1
