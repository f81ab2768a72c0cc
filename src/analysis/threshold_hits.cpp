#include "analysis/threshold_hits.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <tuple>

#include <fmt/format.h>

namespace lir {
namespace {

bool Before(const ThresholdHit& a, const ThresholdHit& b) {
  return std::tie(a.rule, a.key, a.time, a.event_id) < std::tie(b.rule, b.key, b.time, b.event_id);
}

bool SameEvent(const ThresholdHit& a, const ThresholdHit& b) {
  return a.rule == b.rule && !a.event_id.empty() && a.event_id == b.event_id;
}

bool PutString(std::FILE* f, const std::string& s) {
  const auto n = static_cast<uint32_t>(s.size());
  return std::fwrite(&n, sizeof n, 1, f) == 1 && std::fwrite(s.data(), 1, s.size(), f) == s.size();
}

// False at a failed read, or (`*broken` set) at a length no field was written with.
bool GetString(std::FILE* f, std::string* s, bool* broken) {
  uint32_t n = 0;
  if (std::fread(&n, sizeof n, 1, f) != 1) return false;
  // No field was written longer than BoundField leaves it: a longer length is a broken file.
  if (n > kMaxHitFieldBytes) {
    *broken = true;
    return false;
  }
  s->resize(n);
  return std::fread(s->data(), 1, n, f) == n;
}

// An unnamed file in $TMPDIR (else /tmp), gone when closed.
std::FILE* UnnamedTemporaryFile(std::string* why) {
  const char* dir = std::getenv("TMPDIR");
  if (dir == nullptr || *dir == '\0') dir = "/tmp";
  const int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    *why = std::string("no temporary file in ") + dir + ": " + std::strerror(errno);
    return nullptr;
  }
  std::FILE* f = fdopen(fd, "w+b");
  if (f == nullptr) close(fd);
  return f;
}

}  // namespace

void BoundField(std::string* s) {
  if (s->size() <= kMaxHitFieldBytes) return;
  // Cut, but told apart from another long value cut alike: its length and a hash of the whole.
  const std::string tail = fmt::format("...[{} bytes, #{:016x}]", s->size(), std::hash<std::string>{}(*s));
  *s = s->substr(0, kMaxHitFieldBytes - tail.size()) + tail;  // a new string: resize keeps the capacity
}

struct ThresholdHits::Run {
  // Closed when the run is done with; a read-back file has nothing left to lose on close.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file{nullptr, &std::fclose};
  bool write_failed = false;
  uint64_t written = 0, read = 0;  // a read that stops short of `written` lost hits
  std::string why;                 // what stopped it
  void Write(const ThresholdHit& h) {
    ++written;
    bool ok = std::fwrite(&h.rule, sizeof h.rule, 1, file.get()) == 1 && std::fwrite(&h.time, sizeof h.time, 1, file.get()) == 1;
    for (const std::string* s : {&h.key, &h.event_id, &h.event_name, &h.source_ip, &h.region, &h.account}) {
      ok = ok && PutString(file.get(), *s);
    }
    write_failed |= !ok;
  }
  // Done writing: back to the start for reading. False when the file failed.
  bool Rewind() {
    return !write_failed && std::fflush(file.get()) == 0 && std::ferror(file.get()) == 0 &&
           std::fseek(file.get(), 0, SEEK_SET) == 0;
  }
  // The next hit; false at the end, or when the file fails (then `unread()` is not 0, and
  // `why` says what failed, taken when it did).
  bool Read(ThresholdHit* h) {
    std::FILE* f = file.get();
    if (read == written || write_failed) return false;
    bool broken = false;
    const bool ok = std::fread(&h->rule, sizeof h->rule, 1, f) == 1 && std::fread(&h->time, sizeof h->time, 1, f) == 1 &&
                    GetString(f, &h->key, &broken) && GetString(f, &h->event_id, &broken) &&
                    GetString(f, &h->event_name, &broken) && GetString(f, &h->source_ip, &broken) &&
                    GetString(f, &h->region, &broken) && GetString(f, &h->account, &broken);
    if (ok) {
      ++read;
    } else if (why.empty()) {
      why = broken ? "a field's length in it is broken" : std::feof(f) ? "it ended early" : std::strerror(errno);
    }
    return ok;
  }
  uint64_t unread() const { return written - read; }
  std::string Why() const {
    if (write_failed) return "a write to it failed";
    return why.empty() ? "it could not be read" : why;
  }
};

namespace {

// A k-way merge of sorted runs and sorted held hits, smallest first, each event once per rule.
// Returns how many hits written aside could not be read back, and why.
std::pair<uint64_t, std::string> MergeSorted(std::vector<std::unique_ptr<ThresholdHits::Run>>& runs, std::vector<ThresholdHit>& held,
                     const std::function<void(const ThresholdHit&)>& each) {
  struct Head {
    ThresholdHit hit;
    size_t source;  // runs index, or runs.size() for the held hits
  };
  auto later = [](const Head& a, const Head& b) { return Before(b.hit, a.hit); };
  std::priority_queue<Head, std::vector<Head>, decltype(later)> heads(later);
  size_t next_held = 0;
  auto advance = [&](size_t source) {
    Head head{{}, source};
    if (source == runs.size()) {
      if (next_held == held.size()) return;
      head.hit = std::move(held[next_held++]);
    } else if (!runs[source]->Read(&head.hit)) {
      return;
    }
    heads.push(std::move(head));
  };
  for (size_t s = 0; s <= runs.size(); ++s) advance(s);
  ThresholdHit previous;
  bool any = false;
  while (!heads.empty()) {
    Head head = heads.top();
    heads.pop();
    advance(head.source);
    if (any && SameEvent(previous, head.hit)) continue;
    each(head.hit);
    previous = std::move(head.hit);
    any = true;
  }
  std::pair<uint64_t, std::string> unread;
  for (const auto& run : runs) {
    if (run->unread() == 0) continue;
    unread.first += run->unread();
    if (unread.second.empty()) unread.second = run->Why();
  }
  runs.clear();
  held.clear();
  return unread;
}

}  // namespace

ThresholdHits::ThresholdHits(size_t max_held) : max_held_(std::max<size_t>(max_held, 1)) {}
ThresholdHits::~ThresholdHits() = default;
ThresholdHits::ThresholdHits(ThresholdHits&&) noexcept = default;
ThresholdHits& ThresholdHits::operator=(ThresholdHits&&) noexcept = default;

void ThresholdHits::Add(ThresholdHit hit) {
  size_t bytes = sizeof hit;
  for (std::string* s : {&hit.key, &hit.event_id, &hit.event_name, &hit.source_ip, &hit.region, &hit.account}) {
    BoundField(s);
    bytes += s->size();
  }
  if (held_.empty()) held_.reserve(std::min<size_t>(max_held_, 1024));
  held_.push_back(std::move(hit));
  held_bytes_ += bytes;
  if ((held_.size() >= max_held_ || held_bytes_ >= kMaxHeldBytes) && spill_failure_.empty()) Spill();
}

void ThresholdHits::Absorb(ThresholdHits&& other) {
  for (auto& run : other.runs_) runs_.push_back(std::move(run));
  other.runs_.clear();
  lost_ += other.lost_;
  if (lost_why_.empty()) lost_why_ = other.lost_why_;
  for (auto& hit : other.held_) Add(std::move(hit));
  other.held_.clear();
  if (spill_failure_.empty()) spill_failure_ = other.spill_failure_;
  if (runs_.size() > kMaxRuns) MergeRuns();
}

std::unique_ptr<ThresholdHits::Run> ThresholdHits::NewRun() {
  auto run = std::make_unique<Run>();
  run->file.reset(UnnamedTemporaryFile(&spill_failure_));
  if (run->file == nullptr) return nullptr;
  return run;
}

void ThresholdHits::Spill() {
  auto run = NewRun();
  if (run == nullptr) return;  // held in memory instead; said in spill_failure()
  std::sort(held_.begin(), held_.end(), Before);
  for (const ThresholdHit& h : held_) run->Write(h);
  if (!run->Rewind()) {
    spill_failure_ = std::string("the temporary file of threshold hits failed: ") + std::strerror(errno);
    return;  // the hits stay held
  }
  runs_.push_back(std::move(run));
  held_.clear();
  held_.shrink_to_fit();
  held_bytes_ = 0;
  if (runs_.size() > kMaxRuns) MergeRuns();
}

void ThresholdHits::MergeRuns() {
  auto merged = NewRun();
  if (merged == nullptr) return;  // the runs stay as they are
  std::vector<ThresholdHit> none;
  NoteLost(MergeSorted(runs_, none, [&](const ThresholdHit& h) { merged->Write(h); }));
  if (!merged->Rewind()) {
    NoteLost({merged->written, merged->write_failed ? merged->Why() : std::strerror(errno)});
    return;  // the merged hits are lost, and said to be
  }
  runs_.push_back(std::move(merged));
}

void ThresholdHits::NoteLost(const std::pair<uint64_t, std::string>& unread) {
  if (unread.first == 0) return;
  lost_ += unread.first;
  if (lost_why_.empty()) lost_why_ = unread.second;
}

void ThresholdHits::ForEachSorted(const std::function<void(const ThresholdHit&)>& each) {
  std::sort(held_.begin(), held_.end(), Before);
  NoteLost(MergeSorted(runs_, held_, each));
}

BurstDetector::BurstDetector(int count, int64_t window_ms, size_t max_listed, std::function<void(Burst&&)> on_burst)
    : count_(static_cast<size_t>(std::max(count, 1))), window_ms_(window_ms), max_listed_(max_listed),
      on_burst_(std::move(on_burst)), ring_(count_) {}

void BurstDetector::Add(const ThresholdHit& hit) {
  const uint64_t k = seen_++;
  ring_[k % count_] = hit;
  // The `count` hits ending with this one fit in the window (the oldest is k + 1 - count).
  const bool fits = k + 1 >= count_ && hit.time - ring_[(k + 1) % count_].time <= window_ms_;
  if (in_burst_) {
    if (fits) {
      if (burst_.event_ids.size() < max_listed_) {
        burst_.event_ids.push_back(hit.event_id);
      } else {
        ++burst_.not_listed;
      }
      return;
    }
    Close();
    min_start_ = k;
    return;
  }
  if (!fits || k + 1 - count_ < min_start_) return;
  in_burst_ = true;
  burst_ = Burst{ring_[(k + 1) % count_], {}, 0};
  for (uint64_t i = k + 1 - count_; i <= k; ++i) {
    if (burst_.event_ids.size() < max_listed_) {
      burst_.event_ids.push_back(ring_[i % count_].event_id);
    } else {
      ++burst_.not_listed;
    }
  }
}

void BurstDetector::Finish() {
  if (in_burst_) Close();
}

void BurstDetector::Close() {
  in_burst_ = false;
  on_burst_(std::move(burst_));
  burst_ = Burst{};
}

}  // namespace lir
