#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace lir {

// Runs a program found on PATH with `argv` (no shell), standard output captured up to
// `max_output` bytes; a non-zero exit is an error naming the program.
Result<std::string> RunAndCapture(const std::vector<std::string>& argv, size_t max_output);

}  // namespace lir
