#include "sources/byte_source.h"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace lir {
namespace {

class FdSource : public ByteSource {
 public:
  FdSource(InputBuffer prefix, int fd, uint64_t limit) : prefix_(std::move(prefix)), fd_(fd), limit_(limit) {}
  ~FdSource() override {
    if (fd_ != STDIN_FILENO) close(fd_);
  }

  Result<size_t> Read(char* out, size_t size) override {
    if (taken_ < prefix_.size()) {
      const size_t n = std::min(size, prefix_.size() - taken_);
      std::memcpy(out, prefix_.data() + taken_, n);
      taken_ += n;
      return Count(n);
    }
    while (true) {
      const ssize_t n = read(fd_, out, size);
      if (n >= 0) return Count(static_cast<size_t>(n));
      if (errno != EINTR) return MakeError(ErrorCode::kIo, std::strerror(errno));
    }
  }

 private:
  Result<size_t> Count(size_t n) {
    total_ += n;
    if (total_ > limit_) return MakeError(ErrorCode::kTooLarge, fmt::format("input exceeds the {} byte limit", limit_));
    return n;
  }

  InputBuffer prefix_;
  size_t taken_ = 0;
  int fd_;
  uint64_t limit_;
  uint64_t total_ = 0;
};

class Memory : public ByteSource {
 public:
  Memory(std::string_view bytes, size_t piece) : bytes_(bytes), piece_(std::max<size_t>(piece, 1)) {}
  Result<size_t> Read(char* out, size_t size) override {
    const size_t n = std::min({size, piece_, bytes_.size()});
    std::memcpy(out, bytes_.data(), n);
    bytes_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view bytes_;
  size_t piece_;
};

class Inflater : public ByteSource {
 public:
  Inflater(std::unique_ptr<ByteSource> raw, uint64_t limit) : raw_(std::move(raw)), limit_(limit) {
    // 16 + 15 window bits: gzip framing only, its CRC and size checked at each member's end.
    ready_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK;
  }
  ~Inflater() override {
    if (ready_) inflateEnd(&z_);
  }

  Result<size_t> Read(char* out, size_t size) override {
    if (!ready_) return MakeError(ErrorCode::kInternal, "zlib: out of memory");
    size_t produced = 0;
    while (produced == 0 && !done_) {
      if (z_.avail_in == 0 && !LIR_TRY(Refill())) {
        if (in_member_) return Corrupt();
        done_ = true;
        break;
      }
      if (!in_member_) {
        LIR_CHECK(StartMember());
        continue;
      }
      const auto room = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
      z_.next_out = reinterpret_cast<Bytef*>(out);
      z_.avail_out = room;
      const size_t before_in = z_.avail_in;
      const int r = inflate(&z_, Z_NO_FLUSH);
      consumed_ += before_in - z_.avail_in;
      produced = room - z_.avail_out;
      if (r == Z_STREAM_END) {
        in_member_ = false;
      } else if (r != Z_OK && r != Z_BUF_ERROR) {
        return Corrupt();
      }
    }
    total_ += produced;
    if (total_ > limit_) {
      return MakeError(ErrorCode::kTooLarge, fmt::format("decompressed size exceeds the {} byte limit (gzip bomb?)", limit_));
    }
    return produced;
  }

 private:
  // Fills the input; false at the end of the raw bytes.
  Result<bool> Refill() {
    const size_t n = LIR_TRY(raw_->Read(in_, sizeof in_));
    z_.next_in = reinterpret_cast<Bytef*>(in_);
    z_.avail_in = static_cast<uInt>(n);
    return n > 0;
  }

  // At a member boundary: another member, zero padding to the end, or garbage.
  Result<void> StartMember() {
    if (z_.next_in[0] == 0x1f) {
      member_at_ = consumed_;
      if (started_ && inflateReset(&z_) != Z_OK) return Corrupt();
      started_ = true;
      in_member_ = true;
      return {};
    }
    if (!started_) return MakeError(ErrorCode::kCorruptInput, "not gzip data");
    while (true) {
      for (uInt i = 0; i < z_.avail_in; ++i) {
        if (z_.next_in[i] != 0) {
          return MakeError(ErrorCode::kCorruptInput,
                           fmt::format("trailing garbage after gzip member at byte {}", consumed_ + i));
        }
      }
      consumed_ += z_.avail_in;
      z_.avail_in = 0;
      if (!LIR_TRY(Refill())) {
        done_ = true;
        return {};
      }
    }
  }

  tl::unexpected<Error> Corrupt() const {
    return MakeError(ErrorCode::kCorruptInput, fmt::format("gzip data is corrupt or truncated (member at byte {})", member_at_));
  }

  std::unique_ptr<ByteSource> raw_;
  uint64_t limit_;
  z_stream z_{};
  bool ready_ = false;
  bool started_ = false;
  bool in_member_ = false;
  bool done_ = false;
  uint64_t consumed_ = 0;   // raw bytes inflated so far
  uint64_t member_at_ = 0;  // where the current member began
  uint64_t total_ = 0;
  char in_[1 << 16];
};

}  // namespace

std::unique_ptr<ByteSource> FileSource(InputBuffer prefix, int fd, uint64_t limit) {
  return std::make_unique<FdSource>(std::move(prefix), fd, limit);
}

std::unique_ptr<ByteSource> MemorySource(std::string_view bytes, size_t piece) {
  return std::make_unique<Memory>(bytes, piece);
}

std::unique_ptr<ByteSource> GunzipSource(std::unique_ptr<ByteSource> raw, uint64_t limit) {
  return std::make_unique<Inflater>(std::move(raw), limit);
}

}  // namespace lir
