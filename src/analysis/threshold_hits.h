// The hits of threshold rules (one per matching event: an AccessDenied of a burst rule), kept
// until the scan ends and the bursts can be found. Memory is bounded by design: past
// `max_held` hits the held ones are sorted and written to an unnamed temporary file (a run;
// O_TMPFILE, so no name ever appears on disk; past kMaxRuns runs they are merged into one), and
// at the end the runs are merged back in order, and the bursts found in one pass that holds
// only a rule's `count` hits at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"

namespace lir {

struct ThresholdHit {
  uint32_t rule;
  std::string key;
  TimestampMs time;
  std::string event_id;
  std::string event_name;
  std::string source_ip;
  std::string region;
  std::string account;
};

// A field of a hit longer than this (an event id, a principal no real trail has) is cut to
// it, with its length and a hash of the whole: a crafted megabyte-long event id costs 512 bytes.
inline constexpr size_t kMaxHitFieldBytes = 512;
void BoundField(std::string* s);

class ThresholdHits {
 public:
  static constexpr size_t kDefaultMaxHeld = 1 << 14;  // about 7 MB of hits per worker
  static constexpr size_t kMaxHeldBytes = 8 << 20;    // held hits are written aside past this too

  explicit ThresholdHits(size_t max_held = kDefaultMaxHeld);
  ~ThresholdHits();
  ThresholdHits(ThresholdHits&&) noexcept;
  ThresholdHits& operator=(ThresholdHits&&) noexcept;

  void Add(ThresholdHit hit);
  void Absorb(ThresholdHits&& other);

  // Every hit, sorted by rule, key, time and event id; an event seen twice (two inputs hold it)
  // is handed out once per rule.
  void ForEachSorted(const std::function<void(const ThresholdHit&)>& each);

  size_t runs() const { return runs_.size(); }
  // Past this many runs they are merged into one (so few files are open at once).
  static constexpr size_t kMaxRuns = 64;
  struct Run;
  // Why hits were held in memory past `max_held` (no temporary file could be had); empty if none.
  const std::string& spill_failure() const { return spill_failure_; }
  // Hits written aside that could not be read back (the temporary file failed), and why: the
  // bursts they would have made are missing, and the report must say so.
  uint64_t lost() const { return lost_; }
  const std::string& lost_why() const { return lost_why_; }

 private:
  std::unique_ptr<Run> NewRun();
  void Spill();
  void MergeRuns();
  void NoteLost(const std::pair<uint64_t, std::string>& unread);

  size_t max_held_;
  std::vector<ThresholdHit> held_;
  size_t held_bytes_ = 0;
  std::vector<std::unique_ptr<Run>> runs_;
  std::string spill_failure_;
  uint64_t lost_ = 0;
  std::string lost_why_;
};

struct Burst {
  ThresholdHit first;
  std::vector<std::string> event_ids;  // at most the detector's `max_listed`
  uint64_t not_listed = 0;
};

// The bursts of one (rule, key) group, fed its hits in time order: every maximal run that
// begins where `count` hits fall within `window_ms` and goes on while each hit and the
// `count - 1` before it still do.
class BurstDetector {
 public:
  BurstDetector(int count, int64_t window_ms, size_t max_listed, std::function<void(Burst&&)> on_burst);
  void Add(const ThresholdHit& hit);
  void Finish();  // the group's last hit was added

 private:
  void Close();

  size_t count_;
  int64_t window_ms_;
  size_t max_listed_;
  std::function<void(Burst&&)> on_burst_;
  std::vector<ThresholdHit> ring_;  // the last `count` hits
  uint64_t seen_ = 0;
  uint64_t min_start_ = 0;  // a burst starts at no hit before this one
  bool in_burst_ = false;
  Burst burst_;
};

}  // namespace lir
