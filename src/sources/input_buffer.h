// Loads one input (a file or stdin) into memory, gunzipping it when it starts with the
// gzip magic, with a hard cap on the decoded size. The buffer keeps spare zeroed bytes
// after the data so the JSON parser can read it in place without a copy.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <utility>
#include <memory>
#include <string>

#include "core/result.h"

namespace lir {

inline constexpr size_t kParsePadding = 64;  // simdjson's SIMDJSON_PADDING
inline constexpr uint64_t kDefaultMaxDecodedBytes = 2ULL << 30;

class InputBuffer {
 public:
  InputBuffer() = default;
  ~InputBuffer() { std::free(storage_); }
  InputBuffer(const InputBuffer&) = delete;
  InputBuffer& operator=(const InputBuffer&) = delete;
  InputBuffer(InputBuffer&& other) noexcept { swap(other); }
  InputBuffer& operator=(InputBuffer&& other) noexcept {
    swap(other);
    return *this;
  }
  void swap(InputBuffer& other) noexcept {
    std::swap(storage_, other.storage_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }
  friend void swap(InputBuffer& a, InputBuffer& b) noexcept { a.swap(b); }
  const char* data() const { return storage_; }
  char* data() { return storage_; }
  size_t size() const { return size_; }
  // Grows capacity (keeping content) so that `bytes` plus padding fit; false when memory
  // cannot be had (the buffer is unchanged). Growth is by realloc, which moves large blocks
  // by remapping pages: a 1 GB buffer grows without a second gigabyte at the peak.
  [[nodiscard]] bool TryReserve(size_t bytes);
  void Reserve(size_t bytes);  // throws std::bad_alloc when memory cannot be had
  void Resize(size_t bytes);   // grows as needed; zeroes the padding
  size_t capacity() const { return capacity_ > kParsePadding ? capacity_ - kParsePadding : 0; }

 private:
  char* storage_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

class ByteSource;

// path "-" reads standard input.
Result<void> LoadInput(const std::string& path, uint64_t max_decoded_bytes, InputBuffer* out);

// Opens one input: when it is at most `whole_bytes` decoded, the whole of it lands in `out`
// (and nullptr is returned); otherwise a source that reads and decodes it as it is consumed.
// `scratch` holds the raw (compressed) bytes and is reused, so a reader that loads many files
// does not allocate per file. Nothing past `whole_bytes` (+1) raw bytes is read here.
Result<std::unique_ptr<ByteSource>> OpenInput(const std::string& path, uint64_t max_decoded_bytes,
                                              uint64_t whole_bytes, InputBuffer* out, InputBuffer* scratch);

bool IsGzip(const char* data, size_t size);

// Gunzips into `out` when the result is at most `whole_bytes` (true); false when it is larger
// and may still be read as a stream (up to `max_decoded_bytes`); an error otherwise.
Result<bool> GunzipIfItFits(const char* data, size_t size, uint64_t max_decoded_bytes, uint64_t whole_bytes,
                            InputBuffer* out);

// Decodes gzip (one or more concatenated members) into `out`.
Result<void> Gunzip(const char* data, size_t size, uint64_t max_decoded_bytes, InputBuffer* out);

}  // namespace lir
