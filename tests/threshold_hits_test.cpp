// Threshold hits held, written aside and merged back; bursts found in one pass.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <tuple>

#include <fmt/format.h>

#include "analysis/engine.h"
#include "analysis/rule_set.h"
#include "analysis/threshold_hits.h"
#include "core/strings.h"
#include "report/report.h"
#include "test_support.h"

namespace lir {
namespace {

struct Found {
  std::string first;
  std::vector<std::string> ids;
  bool operator==(const Found&) const = default;
};

// The bursts as the engine found them before it streamed: the whole group sorted in memory,
// a window grown from each start, then extended while the density holds.
std::vector<Found> ReferenceBursts(const std::vector<ThresholdHit>& hits, int count, int64_t window) {
  std::vector<Found> out;
  size_t i = 0;
  const size_t end = hits.size();
  while (i < end) {
    size_t j = i;
    while (j < end && hits[j].time - hits[i].time <= window) ++j;
    if (static_cast<int>(j - i) < count) {
      ++i;
      continue;
    }
    size_t last = j;
    while (last < end) {
      const size_t window_start = last + 1 - static_cast<size_t>(count);
      if (hits[last].time - hits[window_start].time > window) break;
      ++last;
    }
    Found f{hits[i].event_id, {}};
    for (size_t k = i; k < last; ++k) f.ids.push_back(hits[k].event_id);
    out.push_back(f);
    i = last;
  }
  return out;
}

std::vector<Found> StreamedBursts(const std::vector<ThresholdHit>& hits, int count, int64_t window) {
  std::vector<Found> out;
  BurstDetector detector(count, window, 1000000, [&](Burst&& b) { out.push_back({b.first.event_id, b.event_ids}); });
  for (const ThresholdHit& h : hits) detector.Add(h);
  detector.Finish();
  return out;
}

TEST(ThresholdHits, BurstsInOnePassAreThoseOfTheWholeSortedGroup) {
  std::mt19937 random(7);
  size_t bursts = 0;
  for (int round = 0; round < 3000; ++round) {
    const int count = 1 + static_cast<int>(random() % 6);
    const int64_t window = static_cast<int64_t>(random() % 50);
    std::vector<ThresholdHit> hits(random() % 40);
    TimestampMs t = 0;
    for (size_t k = 0; k < hits.size(); ++k) {
      t += static_cast<TimestampMs>(random() % 4 == 0 ? random() % 100 : random() % 8);  // clusters and gaps, ties
      hits[k].time = t;
      hits[k].event_id = fmt::format("e{}", k);
    }
    const auto reference = ReferenceBursts(hits, count, window);
    ASSERT_EQ(StreamedBursts(hits, count, window), reference) << "round " << round;
    bursts += reference.size();
  }
  EXPECT_GT(bursts, 1000u);  // the rounds found bursts, not only their absence
}

TEST(ThresholdHits, ABurstListsItsFirstEventsAndCountsTheRest) {
  std::vector<Burst> found;
  BurstDetector detector(3, 10, 4, [&](Burst&& b) { found.push_back(std::move(b)); });
  for (int k = 0; k < 9; ++k) detector.Add({0, "k", TimestampMs{k}, fmt::format("e{}", k), "", "", "", ""});
  detector.Finish();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].first.event_id, "e0");
  EXPECT_EQ(found[0].event_ids, (std::vector<std::string>{"e0", "e1", "e2", "e3"}));
  EXPECT_EQ(found[0].not_listed, 5u);
}

TEST(ThresholdHits, HitsWrittenAsideComeBackSortedAndEachEventOnce) {
  std::vector<ThresholdHit> all;
  std::mt19937 random(11);
  for (int k = 0; k < 500; ++k) {
    all.push_back({static_cast<uint32_t>(random() % 3), fmt::format("arn:aws:iam::1:user/u{}", random() % 7),
                   static_cast<TimestampMs>(random() % 1000), fmt::format("id-{}", k), "ListFunctions20150331",
                   "203.0.113.9", "us-east-1", "111122223333"});
    if (k % 10 == 0) all.push_back(all.back());  // the same event in a second input
  }
  std::shuffle(all.begin(), all.end(), random);
  ThresholdHits one(3), two(5);
  for (size_t k = 0; k < all.size(); ++k) (k % 2 ? one : two).Add(all[k]);
  one.Absorb(std::move(two));
  // About 180 runs were written; past 64 they were merged into one, so few files stay open.
  EXPECT_GE(one.runs(), 1u);
  EXPECT_LE(one.runs(), ThresholdHits::kMaxRuns);
  EXPECT_EQ(one.spill_failure(), "");
  std::vector<ThresholdHit> merged;
  one.ForEachSorted([&](const ThresholdHit& h) { merged.push_back(h); });

  auto key = [](const ThresholdHit& h) { return std::tie(h.rule, h.key, h.time, h.event_id); };
  std::sort(all.begin(), all.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  all.erase(std::unique(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.rule == b.rule && a.event_id == b.event_id; }),
            all.end());
  ASSERT_EQ(merged.size(), all.size());
  EXPECT_EQ(merged.size(), 550u - 50u);
  for (size_t k = 0; k < all.size(); ++k) {
    EXPECT_EQ(key(merged[k]), key(all[k])) << k;
    EXPECT_EQ(std::tie(merged[k].event_name, merged[k].source_ip, merged[k].region, merged[k].account),
              std::tie(all[k].event_name, all[k].source_ip, all[k].region, all[k].account));
  }
}

// A crafted megabyte-long event id costs a hit 512 bytes, not a megabyte (the cut string
// gives its memory back), and two such ids that differ only at their end stay two events.
TEST(ThresholdHits, LongFieldsAreCutButToldApart) {
  const std::string a = std::string(1 << 20, 'x') + "a", b = std::string(1 << 20, 'x') + "b";
  ThresholdHits hits;
  hits.Add({0, "k", 1, a, "GetFunction", "", "", ""});
  hits.Add({0, "k", 2, b, "GetFunction", "", "", ""});
  std::vector<std::string> ids;
  hits.ForEachSorted([&](const ThresholdHit& h) {
    ids.push_back(h.event_id);
    EXPECT_LT(h.event_id.capacity(), 4096u);
  });
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_EQ(ids[0].size(), kMaxHitFieldBytes);
  EXPECT_EQ(ids[0].substr(0, 4), "xxxx");
  EXPECT_NE(ids[0].find("...[1048577 bytes, #"), std::string::npos);
}

// The engine with hits written aside after every third gives the report it gives holding them
// all: bursts of several principals, sparse denials between, an event in two inputs, and a
// burst longer than the per-principal cap (500 listed, the rest counted).
TEST(ThresholdHits, WrittenAsideTheEngineGivesTheSameReport) {
  std::string first, second;
  int id = 0;
  auto denied = [&](std::string* out, const std::string& user, int seconds) {
    const TimestampMs t = 1795000000000 + static_cast<TimestampMs>(seconds) * 1000;
    const std::string line = fmt::format(
        R"({{"eventTime":"{}","eventSource":"lambda.amazonaws.com","eventName":"GetFunction20150331v2","errorCode":"AccessDenied",)"
        R"("eventID":"d-{}","sourceIPAddress":"203.0.113.{}","awsRegion":"us-east-1","recipientAccountId":"111122223333",)"
        R"("userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/{}","accountId":"111122223333"}}}})",
        FormatIso8601(t), id++, user.size(), user);
    *out += line + "\n";
    return line;
  };
  for (int u = 0; u < 4; ++u) {
    const std::string user = fmt::format("user{}", u);
    for (int k = 0; k < 30; ++k) denied(k % 2 ? &first : &second, user, u * 5000 + k * 1800);  // sparse: no burst
    for (int k = 0; k < 12 + u; ++k) denied(k % 3 ? &first : &second, user, 200000 + u * 100 + k * 20);  // a burst
  }
  second += denied(&first, "user0", 200150);  // one event in both inputs
  for (int k = 0; k < 620; ++k) denied(&first, "enumerator", 300000 + k);
  const std::vector<InputFile> inputs = {{"first.jsonl", first.size(), &first}, {"second.jsonl", second.size(), &second}};
  const std::vector<Rule> rules = LoadEmbeddedRules().Rules();
  ScanOptions held;
  held.jobs = 2;
  ScanOptions aside = held;
  aside.threshold_hits_held = 3;
  const AnalysisResult a = Analyze(inputs, rules, held);
  const AnalysisResult b = Analyze(inputs, rules, aside);
  std::vector<std::string> bursts;
  for (const Finding& f : a.findings) {
    if (f.rule_id == "iam_access_denied_burst") bursts.push_back(fmt::format("{} {}+{}", f.actor, f.event_ids.size(), f.events_not_listed));
  }
  EXPECT_EQ(bursts, (std::vector<std::string>{"arn:aws:iam::111122223333:user/user0 13+0", "arn:aws:iam::111122223333:user/user1 13+0",
                                              "arn:aws:iam::111122223333:user/user2 14+0", "arn:aws:iam::111122223333:user/user3 15+0",
                                              "arn:aws:iam::111122223333:user/enumerator 500+120"}));
  EXPECT_EQ(RenderJson(a, ReportContext{}), RenderJson(b, ReportContext{}));
}

// Hits written aside to unnamed files in a directory of the test's, and those files' descriptors
// in the order they were opened (/proc/self/fd shows them as "<dir>/#inode (deleted)").
struct SpilledRuns {
  test::TempDir dir;
  ThresholdHits hits{4};
  std::vector<int> fds;
  SpilledRuns() {
    const char* before = std::getenv("TMPDIR");
    const std::string saved = before == nullptr ? "" : before;
    setenv("TMPDIR", dir.path().c_str(), 1);
    for (int k = 0; k < 10; ++k) hits.Add({0, "k", k, fmt::format("id-{}", k), "GetFunction", "", "", ""});
    if (saved.empty()) {
      unsetenv("TMPDIR");
    } else {
      setenv("TMPDIR", saved.c_str(), 1);
    }
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
      std::error_code error;
      const std::string target = std::filesystem::read_symlink(entry.path(), error).string();
      if (!error && target.rfind(dir.path() + "/", 0) == 0) fds.push_back(std::stoi(entry.path().filename().string()));
    }
    std::sort(fds.begin(), fds.end());
  }
  std::vector<std::string> Ids() {
    std::vector<std::string> ids;
    hits.ForEachSorted([&](const ThresholdHit& h) { ids.push_back(h.event_id); });
    return ids;
  }
};

// A temporary file that cannot be read back to its end (cut short here, as a full or failing
// disk would) loses the hits it held: they are counted and said, never silently dropped.
TEST(ThresholdHits, HitsThatCannotBeReadBackAreCountedAndSaid) {
  SpilledRuns spilled;
  ASSERT_EQ(spilled.hits.runs(), 2u);  // two runs of 4 written aside, 2 held
  ASSERT_EQ(spilled.fds.size(), 2u);
  ASSERT_EQ(ftruncate(spilled.fds[1], 30), 0);  // the second run: its first hit cut in the middle
  EXPECT_EQ(spilled.Ids(), (std::vector<std::string>{"id-0", "id-1", "id-2", "id-3", "id-8", "id-9"}));
  EXPECT_EQ(spilled.hits.lost(), 4u);
  EXPECT_EQ(spilled.hits.lost_why(), "it ended early");
}

// A length no field was written with (a broken file) stops that run: counted, and said so,
// not read as a 4 GB string.
TEST(ThresholdHits, ABrokenLengthInAWrittenRunIsSaid) {
  SpilledRuns spilled;
  ASSERT_EQ(spilled.fds.size(), 2u);
  const uint32_t broken = 0xFFFFFFFFu;
  // The first run's first hit: rule (4 bytes), time (8), then its key's length.
  ASSERT_EQ(pwrite(spilled.fds[0], &broken, sizeof broken, 12), static_cast<ssize_t>(sizeof broken));
  EXPECT_EQ(spilled.Ids(), (std::vector<std::string>{"id-4", "id-5", "id-6", "id-7", "id-8", "id-9"}));
  EXPECT_EQ(spilled.hits.lost(), 4u);
  EXPECT_EQ(spilled.hits.lost_why(), "a field's length in it is broken");
}

}  // namespace
}  // namespace lir
