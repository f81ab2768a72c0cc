#include "cli/progress_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

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
    while (!stopping_) {
      Draw(Elapsed());
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
  Draw(Elapsed());  // the final counts, then a clean line for what the command prints next
  fmt::print(stderr, "\r\x1b[K");
  (void)std::fflush(stderr);  // a terminal that cannot take it loses a frame, nothing else
}

double ProgressLine::Elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressLine::Draw(double elapsed_seconds) {
  std::string line;
  for (const ProgressMeter* meter : meters_) {
    const std::string said = FormatProgress(*meter, meter->Read(), elapsed_seconds);
    if (said.empty()) continue;
    line += (line.empty() ? "  " : " | ") + said;
  }
  if (line.empty()) return;
  // A line wider than the terminal wraps, and "\r" would then redraw only its last row.
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 1 && line.size() >= size.ws_col) line.resize(size.ws_col - 1);
  fmt::print(stderr, "\r{}\x1b[K", line);
  (void)std::fflush(stderr);
}

}  // namespace lir
