#include "core/file_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace lir {

Result<std::string> ReadRegularFile(const std::string& path, uint64_t max_bytes, bool follow_links) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway.
  const int fd = open(path.c_str(), O_RDONLY | (follow_links ? 0 : O_NOFOLLOW) | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return MakeError(ErrorCode::kNotFound, fmt::format("{}: does not exist", path));
    if (err == ELOOP) return MakeError(ErrorCode::kCorruptInput, fmt::format("{}: is a symbolic link, not read", path));
    return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(err)));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return MakeError(ErrorCode::kCorruptInput, fmt::format("{}: not a regular file, not read", path));
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    close(fd);
    return MakeError(ErrorCode::kCorruptInput, fmt::format("{}: {} bytes, more than the {} allowed", path, st.st_size, max_bytes));
  }
  std::string out;
  out.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // shrank while read: what was there
    done += static_cast<size_t>(n);
  }
  close(fd);
  out.resize(done);
  return out;
}

}  // namespace lir
