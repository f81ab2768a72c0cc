// The one progress line of every long command: it redraws its meters on stderr four times a
// second while the work runs, only when stderr is a terminal and --quiet was not given, and
// clears itself when the work is done, so what the command prints next starts clean.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/progress_meter.h"

namespace CLI {
class App;
}

namespace lir {

// --quiet / -q on `command`: no progress line.
void AddQuietOption(CLI::App* command, bool* quiet);

// Whether a progress line may be drawn: stderr a terminal, not --quiet, TERM not "dumb".
bool ProgressWanted(bool quiet);

class ProgressLine {
 public:
  // Draws `meters` (those with something to say, joined by " | ") when `enabled`; the
  // meters must outlive the line.
  ProgressLine(std::vector<const ProgressMeter*> meters, bool enabled);
  ~ProgressLine();  // stops drawing and clears the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void Draw();
  void Write(std::string_view text);

  std::vector<const ProgressMeter*> meters_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<bool> broken_{false};  // stderr refused a write: draw no more
  std::thread thread_;
};

}  // namespace lir
