// The decoded bytes of one input, handed out piece by piece as the reader consumes them, so a
// document of any size is read with a bounded buffer: a file read as it goes, gzip inflated as
// it goes. Used for inputs too large to hold (cloudtrail_reader.cpp decides).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/result.h"
#include "sources/input_buffer.h"

namespace lir {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `size` bytes into `out`; 0 at the end. An error names what broke (I/O, corrupt
  // gzip, the decoded-size limit); the bytes handed out before it stay valid.
  virtual Result<size_t> Read(char* out, size_t size) = 0;
};

// `prefix` (bytes already read from the file) first, then the rest of `fd`, which it closes
// unless it is standard input. At most `limit` bytes in all.
std::unique_ptr<ByteSource> FileSource(InputBuffer prefix, int fd, uint64_t limit);

// Bytes in memory, handed out at most `piece` at a time (tests and the fuzzer use small
// pieces to put every boundary somewhere odd).
std::unique_ptr<ByteSource> MemorySource(std::string_view bytes, size_t piece);

// gzip members one after another, inflated from `raw`, as gzip(1) reads them: trailing zero
// padding is tolerated, other trailing bytes are not. At most `limit` decoded bytes.
std::unique_ptr<ByteSource> GunzipSource(std::unique_ptr<ByteSource> raw, uint64_t limit);

}  // namespace lir
