#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace lir {

// Runs a program found on PATH with `argv` (no shell), standard output captured up to
// `max_output` bytes; a non-zero exit is an error naming the program. It runs in a process
// group of its own, killed whole when `timeout_ms` passes (60 s by default, as the SDKs give
// credential_process).
Result<std::string> RunAndCapture(const std::vector<std::string>& argv, size_t max_output, int timeout_ms = 60'000);

}  // namespace lir
