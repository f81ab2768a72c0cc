#include "sources/input_buffer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

#include <fmt/format.h>
#include <libdeflate.h>

#include "sources/byte_source.h"

namespace lir {
namespace {

tl::unexpected<Error> OutOfMemory(uint64_t bytes) {
  return MakeError(ErrorCode::kTooLarge, fmt::format("cannot allocate {} bytes to hold it (free memory, or lower --max-input-size)", bytes));
}

// Reads `fd` to its end, or only until more than `stop_after` bytes are in (`*whole` then false).
Result<void> ReadAll(int fd, uint64_t limit, InputBuffer* out, uint64_t stop_after = UINT64_MAX, bool* whole = nullptr) {
  const uint64_t upto = stop_after < UINT64_MAX ? stop_after + 1 : UINT64_MAX;
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > limit) {
      return MakeError(ErrorCode::kTooLarge,
                       fmt::format("{} bytes exceeds the {} byte input limit", st.st_size, limit));
    }
    const uint64_t want = std::min<uint64_t>(static_cast<uint64_t>(st.st_size), upto);
    if (!out->TryReserve(static_cast<size_t>(want))) return OutOfMemory(want);
  } else if (!out->TryReserve(1 << 20)) {
    return OutOfMemory(1 << 20);
  }
  out->Resize(0);
  size_t used = 0;
  if (whole != nullptr) *whole = true;
  while (true) {
    if (used > stop_after) {
      if (whole != nullptr) *whole = false;
      break;
    }
    if (used == out->capacity()) {
      if (used >= limit) {
        return MakeError(ErrorCode::kTooLarge,
                         fmt::format("input exceeds the {} byte limit", limit));
      }
      const size_t want = std::min<uint64_t>({used * 2 + 4096, limit, upto});
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

}  // namespace

bool IsGzip(const char* data, size_t size) {
  return size >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

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

Result<bool> GunzipIfItFits(const char* data, size_t size, uint64_t max_decoded_bytes, uint64_t whole_bytes,
                            InputBuffer* out) {
  auto unzipped = Gunzip(data, size, std::min(max_decoded_bytes, whole_bytes), out);
  if (unzipped) return true;
  if (unzipped.error().code == ErrorCode::kTooLarge && whole_bytes < max_decoded_bytes) return false;
  return tl::unexpected(unzipped.error());
}

Result<void> LoadInput(const std::string& path, uint64_t max_decoded_bytes, InputBuffer* out) {
  InputBuffer scratch;
  auto opened = OpenInput(path, max_decoded_bytes, UINT64_MAX, out, &scratch);
  if (!opened) return tl::unexpected(opened.error());
  return {};
}

Result<std::unique_ptr<ByteSource>> OpenInput(const std::string& path, uint64_t max_decoded_bytes,
                                              uint64_t whole_bytes, InputBuffer* out, InputBuffer* scratch) {
  const bool is_stdin = path == "-";
  // O_NONBLOCK: a FIFO put where a file was expected must not hang the open.
  int fd = is_stdin ? STDIN_FILENO : open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return MakeError(ErrorCode::kIo, std::strerror(errno));
  auto close_fd = [&] {
    if (!is_stdin) close(fd);
  };
  struct stat st {};
  if (!is_stdin && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
    close_fd();
    return MakeError(ErrorCode::kIo, "not a regular file");
  }
  bool whole = true;
  if (auto read = ReadAll(fd, max_decoded_bytes, scratch, std::max<uint64_t>(whole_bytes, 2), &whole); !read) {  // 2: gzip's magic
    close_fd();
    return tl::unexpected(read.error());
  }
  const bool gzip = IsGzip(scratch->data(), scratch->size());
  if (whole) {
    if (!gzip) {
      close_fd();
      std::swap(*out, *scratch);
      return nullptr;
    }
    auto held = GunzipIfItFits(scratch->data(), scratch->size(), max_decoded_bytes, whole_bytes, out);
    if (!held || *held) {
      close_fd();
      if (!held) return tl::unexpected(held.error());
      return nullptr;
    }
  }
  InputBuffer prefix;
  std::swap(prefix, *scratch);
  auto raw = FileSource(std::move(prefix), fd, max_decoded_bytes);  // closes fd
  if (!gzip) return raw;
  return GunzipSource(std::move(raw), max_decoded_bytes);
}

}  // namespace lir
