#include "core/progress_meter.h"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

namespace lir {

ProgressMeter::ProgressMeter(std::string label, std::string unit, std::string count_name)
    : label_(std::move(label)), unit_(std::move(unit)), count_name_(std::move(count_name)) {}

void ProgressMeter::MarkStarted() {
  if (started_ns_.load(std::memory_order_relaxed) != 0) return;
  int64_t unset = 0;
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  started_ns_.compare_exchange_strong(unset, now == 0 ? 1 : now, std::memory_order_relaxed);
}

void ProgressMeter::AddTotal(uint64_t units, uint64_t bytes) {
  MarkStarted();
  total_.fetch_add(units, std::memory_order_relaxed);
  bytes_total_.fetch_add(bytes, std::memory_order_relaxed);
}

void ProgressMeter::AddDone(uint64_t units, uint64_t bytes, uint64_t count) {
  MarkStarted();
  done_.fetch_add(units, std::memory_order_relaxed);
  bytes_done_.fetch_add(bytes, std::memory_order_relaxed);
  count_.fetch_add(count, std::memory_order_relaxed);
}

ProgressMeter::Snapshot ProgressMeter::Read() const {
  return {done_.load(std::memory_order_relaxed), total_.load(std::memory_order_relaxed), bytes_done_.load(std::memory_order_relaxed),
          bytes_total_.load(std::memory_order_relaxed), count_.load(std::memory_order_relaxed), started_ns_.load(std::memory_order_relaxed)};
}

namespace {

std::string Mebibytes(uint64_t bytes) { return fmt::format("{:.1f}", static_cast<double>(bytes) / (1024.0 * 1024.0)); }

// The fraction done, by bytes when their total is known (files differ in size), else by units.
double FractionDone(const ProgressMeter::Snapshot& s) {
  if (s.bytes_total > 0) return static_cast<double>(s.bytes_done) / static_cast<double>(s.bytes_total);
  if (s.total > 0) return static_cast<double>(s.done) / static_cast<double>(s.total);
  return 0;
}

}  // namespace

std::string FormatProgress(const ProgressMeter& meter, const ProgressMeter::Snapshot& s, double elapsed_seconds) {
  if (s.done == 0 && s.total == 0 && s.bytes_done == 0 && s.count == 0) return "";
  std::string line = meter.label() + ":";
  const char* sep = " ";
  if (!meter.unit().empty() && (s.total > 0 || s.done > 0)) {
    line += s.total > 0 ? fmt::format(" {}/{} {}", s.done, s.total, meter.unit()) : fmt::format(" {} {}", s.done, meter.unit());
    sep = ", ";
  }
  // A meter without units ("collecting") leads with its count: "24 artifacts, 1.2 MiB".
  const bool count_first = meter.unit().empty() && !meter.count_name().empty();
  if (count_first) {
    line += fmt::format(" {} {}", s.count, meter.count_name());
    sep = ", ";
  }
  if (s.bytes_total > 0) {
    line += fmt::format("{}{}/{} MiB", sep, Mebibytes(s.bytes_done), Mebibytes(s.bytes_total));
    sep = ", ";
  } else if (s.bytes_done > 0) {
    line += fmt::format("{}{} MiB", sep, Mebibytes(s.bytes_done));
    sep = ", ";
  }
  if (!meter.count_name().empty() && !count_first) line += fmt::format("{}{} {}", sep, s.count, meter.count_name());
  const double fraction = FractionDone(s);
  if (elapsed_seconds >= 1.0 && fraction > 0 && fraction < 1) {
    const auto left = static_cast<uint64_t>(std::llround(elapsed_seconds * (1 - fraction) / fraction));
    line += fmt::format(", {}:{:02} left", left / 60, left % 60);
  }
  return line;
}

}  // namespace lir
