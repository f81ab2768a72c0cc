#include "cli/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace lir {

namespace {

bool WriteAll(int fd, const std::string& content) {
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

bool Fail(const std::string& path, int err) {
  fmt::print(stderr, "lambda-ir: cannot write {}: {}\n", path, std::strerror(err));
  return false;
}

// A device or a FIFO (/dev/null, a named pipe) is a stream to write to, never a file to replace:
// --force renaming a file over /dev/null would break the machine.
bool IsStream(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode));
}

bool WriteStream(const std::string& path, const std::string& content) {
  const int fd = open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Fail(path, errno);
  const bool written = WriteAll(fd, content);
  const int err = errno;
  close(fd);
  return written || Fail(path, err);
}

}  // namespace

bool WriteOutput(const std::string& path, const std::string& content, bool replace) {
  if (path.empty() || path == "-") {
    // A full disk or a closed pipe must not pass for a written report.
    const bool ok = std::fwrite(content.data(), 1, content.size(), stdout) == content.size() && std::fflush(stdout) == 0 &&
                    !std::ferror(stdout);
    return ok || Fail("standard output", errno);
  }
  if (IsStream(path)) return WriteStream(path, content);
  // A new file, 0600, never through a link: an existing path is replaced only when asked, by
  // renaming a fresh file over it (the rename replaces a symlink itself, not what it names).
  const std::string target = replace ? path + ".lambda-ir.tmp" : path;
  const int fd = open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST && !replace) {
      fmt::print(stderr, "lambda-ir: {} exists: not replaced (add --force to replace it)\n", path);
      return false;
    }
    return Fail(target, errno);
  }
  const bool written = WriteAll(fd, content) && fsync(fd) == 0;
  const int err = errno;
  if (close(fd) != 0 || !written) {
    unlink(target.c_str());
    return Fail(path, written ? errno : err);
  }
  if (replace && rename(target.c_str(), path.c_str()) != 0) {
    const int rename_err = errno;
    unlink(target.c_str());
    return Fail(path, rename_err);
  }
  return true;
}

bool UseColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return isatty(STDOUT_FILENO) == 1;
}

}  // namespace lir
