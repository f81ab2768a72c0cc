// Numbers the JSON parser cannot hold (integers beyond 64 bits, 1e400): the parser refuses
// the whole document for one of them. Any field of a CloudTrail record can carry one (request
// parameters are the caller's), so the number is kept as its text instead: that field reads as
// a string, and the record and the file are read.
#pragma once

#include <cstddef>

#include "sources/input_buffer.h"

namespace lir {

struct NumberRepair {
  size_t quoted = 0;      // numbers turned into strings
  size_t first_at = 0;    // byte offset of the first, in the input
};

// Copies `data` into `out` with every number token outside strings that does not parse as a
// 64-bit integer or a finite double written as a JSON string of its own text.
NumberRepair QuoteUnrepresentableNumbers(const char* data, size_t size, InputBuffer* out);

}  // namespace lir
