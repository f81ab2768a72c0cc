#include "cli/progress_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include <CLI/CLI.hpp>

namespace lir {

void AddQuietOption(CLI::App* command, bool* quiet) {
  command->add_flag("-q,--quiet", *quiet, "No progress line on the terminal (there is none when stderr is not one)");
}

bool ProgressWanted(bool quiet) {
  if (quiet || isatty(STDERR_FILENO) != 1) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

ProgressLine::ProgressLine(std::vector<const ProgressMeter*> meters, bool enabled) : meters_(std::move(meters)) {
  if (!enabled) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_ && !broken_) {
      Draw();
      wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; });
    }
  });
}

ProgressLine::~ProgressLine() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  Draw();  // the final counts, then a clean line for what the command prints next
  Write("\r\x1b[K");
}

void ProgressLine::Write(std::string_view text) {
  // write(2), not stdio: a terminal that went away (EIO after a hang-up) ends the progress
  // line, never the command whose report is still to be written.
  while (!broken_ && !text.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      broken_ = true;
      return;
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
}

void ProgressLine::Draw() {
  const auto now = std::chrono::steady_clock::now().time_since_epoch();
  std::string line;
  for (const ProgressMeter* meter : meters_) {
    const ProgressMeter::Snapshot s = meter->Read();
    // Each meter's time left from its own start: the package scan begins when the archive ends.
    const double elapsed = s.started_ns == 0 ? 0 : std::chrono::duration<double>(now - std::chrono::nanoseconds(s.started_ns)).count();
    const std::string said = FormatProgress(*meter, s, elapsed);
    if (said.empty()) continue;
    line += (line.empty() ? "  " : " | ") + said;
  }
  if (line.empty()) return;
  // A line wider than the terminal wraps, and "\r" would then redraw only its last row.
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 1 && line.size() >= size.ws_col) line.resize(size.ws_col - 1);
  Write("\r" + line + "\x1b[K");
}

}  // namespace lir
