// Long work counted as it happens, for a progress line: worker threads add to the counters,
// the command line's ProgressLine reads and draws them on a terminal. Nothing here prints,
// so the analysis and evidence layers count without knowing whether anyone watches.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace lir {

class ProgressMeter {
 public:
  // "analysing", counted in "files", with "events" as a running count beside them.
  ProgressMeter(std::string label, std::string unit, std::string count_name = "");

  // More work became known: units and their bytes.
  void AddTotal(uint64_t units, uint64_t bytes = 0);
  // Work done: units, their bytes, and the running count (events read, artifacts stored).
  void AddDone(uint64_t units, uint64_t bytes = 0, uint64_t count = 0);

  struct Snapshot {
    uint64_t done = 0, total = 0;
    uint64_t bytes_done = 0, bytes_total = 0;
    uint64_t count = 0;
    int64_t started_ns = 0;  // steady clock, at the first count; 0 before
  };
  Snapshot Read() const;

  const std::string& label() const { return label_; }
  const std::string& unit() const { return unit_; }
  const std::string& count_name() const { return count_name_; }

 private:
  std::string label_, unit_, count_name_;
  void MarkStarted();

  std::atomic<uint64_t> done_{0}, total_{0}, bytes_done_{0}, bytes_total_{0}, count_{0};
  std::atomic<int64_t> started_ns_{0};
};

// "analysing: 412/1875 files, 220.1/1024.0 MiB, 153201 events, 0:04 left": what a meter says
// after `elapsed_seconds`. Empty before anything is known. The time left is extrapolated
// from bytes when their total is known, else from units, and only after a second of work.
std::string FormatProgress(const ProgressMeter& meter, const ProgressMeter::Snapshot& now, double elapsed_seconds);

}  // namespace lir
