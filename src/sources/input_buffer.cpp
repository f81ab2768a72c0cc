#include "sources/input_buffer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include <fmt/format.h>
#include <libdeflate.h>

namespace lir {
namespace {

tl::unexpected<Error> OutOfMemory(uint64_t bytes) {
  return MakeError(ErrorCode::kTooLarge, fmt::format("cannot allocate {} bytes to hold it (free memory, or lower --max-input-size)", bytes));
}

Result<void> ReadAll(int fd, const std::string& name, uint64_t limit, InputBuffer* out) {
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > limit) {
      return MakeError(ErrorCode::kTooLarge,
                       fmt::format("{} bytes exceeds the {} byte input limit", st.st_size, limit));
    }
    if (!out->TryReserve(static_cast<size_t>(st.st_size))) return OutOfMemory(static_cast<uint64_t>(st.st_size));
  } else if (!out->TryReserve(1 << 20)) {
    return OutOfMemory(1 << 20);
  }
  out->Resize(0);
  size_t used = 0;
  while (true) {
    if (used == out->capacity()) {
      if (used >= limit) {
        return MakeError(ErrorCode::kTooLarge,
                         fmt::format("input exceeds the {} byte limit", limit));
      }
      const size_t want = std::min<uint64_t>(used * 2 + 4096, limit);
      if (!out->TryReserve(want)) return OutOfMemory(want);
    }
    ssize_t n = read(fd, out->data() + used, out->capacity() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return MakeError(ErrorCode::kIo, std::strerror(errno));
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
    out->Resize(used);  // Reserve keeps only size() bytes when it grows
  }
  out->Resize(used);
  return {};
}

bool IsGzip(const char* data, size_t size) {
  return size >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

}  // namespace

bool InputBuffer::TryReserve(size_t bytes) {
  if (bytes + kParsePadding <= capacity_) return true;
  const size_t new_capacity = bytes + kParsePadding;
  // Not zero-filled: only the padding after the data must be zero, and Resize sees to it.
  void* grown = std::realloc(storage_, new_capacity);
  if (grown == nullptr) return false;
  storage_ = static_cast<char*>(grown);
  capacity_ = new_capacity;
  std::memset(storage_ + size_, 0, kParsePadding);
  return true;
}

void InputBuffer::Reserve(size_t bytes) {
  if (!TryReserve(bytes)) throw std::bad_alloc();
}

void InputBuffer::Resize(size_t bytes) {
  Reserve(bytes);
  size_ = bytes;
  std::memset(storage_ + size_, 0, kParsePadding);
}

Result<void> Gunzip(const char* data, size_t size, uint64_t max_decoded_bytes, InputBuffer* out) {
  std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> decompressor(
      libdeflate_alloc_decompressor(), &libdeflate_free_decompressor);
  if (!decompressor) return MakeError(ErrorCode::kInternal, "libdeflate: out of memory");

  size_t in_pos = 0;
  size_t out_pos = 0;
  out->Resize(0);
  while (in_pos < size) {
    const char* member = data + in_pos;
    const size_t member_size = size - in_pos;
    if (!IsGzip(member, member_size)) {
      // Trailing zero padding after the last member is tolerated, as gzip(1) does.
      bool all_zero = true;
      for (size_t i = 0; i < member_size && all_zero; ++i) all_zero = member[i] == 0;
      if (all_zero) break;
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("trailing garbage after gzip member at byte {}", in_pos));
    }
    // ISIZE (last 4 bytes) is the size modulo 2^32 of the last member only: a hint, and one
    // the file's writer chose, so no more than deflate's ~1032:1 ratio allows is believed.
    uint32_t hint = 0;
    std::memcpy(&hint, data + size - 4, 4);
    size_t guess = std::min<size_t>(std::max<size_t>(hint, member_size * 4), member_size * 1032 + 4096);
    while (true) {
      if (out_pos + guess > max_decoded_bytes) guess = max_decoded_bytes - out_pos;
      if (out_pos + guess > out->capacity()) {
        // Grown by at least a quarter at a time, so many small members do not realloc each.
        const size_t want = std::min<uint64_t>(
            std::max<size_t>(out_pos + guess, out->capacity() + out->capacity() / 4), max_decoded_bytes);
        if (!out->TryReserve(want)) return OutOfMemory(want);
      }
      guess = std::min<uint64_t>(out->capacity(), max_decoded_bytes) - out_pos;
      size_t in_used = 0, out_used = 0;
      const libdeflate_result r = libdeflate_gzip_decompress_ex(
          decompressor.get(), member, member_size, out->data() + out_pos, guess, &in_used, &out_used);
      if (r == LIBDEFLATE_SUCCESS) {
        in_pos += in_used;
        out_pos += out_used;
        out->Resize(out_pos);  // what a later growth must keep
        break;
      }
      if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
        if (out_pos + guess >= max_decoded_bytes) {
          return MakeError(ErrorCode::kTooLarge,
                           fmt::format("decompressed size exceeds the {} byte limit (gzip bomb?)",
                                       max_decoded_bytes));
        }
        guess *= 2;
        continue;
      }
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("gzip data is corrupt or truncated (member at byte {})", in_pos));
    }
  }
  out->Resize(out_pos);
  return {};
}

Result<void> LoadInput(const std::string& path, uint64_t max_decoded_bytes, InputBuffer* out) {
  InputBuffer scratch;
  return LoadInput(path, max_decoded_bytes, out, &scratch);
}

Result<void> LoadInput(const std::string& path, uint64_t max_decoded_bytes, InputBuffer* out,
                       InputBuffer* scratch) {
  const bool is_stdin = path == "-";
  const std::string name = is_stdin ? "<stdin>" : path;
  // O_NONBLOCK: a FIFO put where a file was expected must not hang the open.
  int fd = is_stdin ? STDIN_FILENO : open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return MakeError(ErrorCode::kIo, std::strerror(errno));
  struct stat st {};
  if (!is_stdin && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
    close(fd);
    return MakeError(ErrorCode::kIo, "not a regular file");
  }
  auto read = ReadAll(fd, name, max_decoded_bytes, scratch);
  if (!is_stdin) close(fd);
  if (!read) return read;
  if (!IsGzip(scratch->data(), scratch->size())) {
    std::swap(*out, *scratch);
    return {};
  }
  auto unzipped = Gunzip(scratch->data(), scratch->size(), max_decoded_bytes, out);
  return unzipped;
}

}  // namespace lir
