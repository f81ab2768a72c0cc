// What a progress line says: the counts, the bytes and the time left, from a meter's
// snapshot; and the engine's meter ending with exactly what it read, with any --jobs.
#include <gtest/gtest.h>

#include <thread>

#include "analysis/engine.h"
#include "analysis/rule_set.h"
#include "core/progress_meter.h"
#include "test_support.h"

namespace lir {
namespace {

constexpr uint64_t kMib = 1024 * 1024;

std::string Say(const ProgressMeter& meter, ProgressMeter::Snapshot s, double elapsed) { return FormatProgress(meter, s, elapsed); }

TEST(ProgressMeter, SaysCountsBytesAndTimeLeft) {
  const ProgressMeter analysing("analysing", "files", "records");
  EXPECT_EQ(Say(analysing, {}, 5), "");  // nothing known yet: no line
  // A quarter of the bytes in 10 s: 30 s left, by bytes, whatever the file count says.
  EXPECT_EQ(Say(analysing, {412, 1875, 256 * kMib, 1024 * kMib, 153201}, 10),
            "analysing: 412/1875 files, 256.0/1024.0 MiB, 153201 records, 0:30 left");
  EXPECT_EQ(Say(analysing, {412, 1875, 256 * kMib, 1024 * kMib, 153201}, 0.5),
            "analysing: 412/1875 files, 256.0/1024.0 MiB, 153201 records");  // under a second: no guess
  EXPECT_EQ(Say(analysing, {1875, 1875, 1024 * kMib, 1024 * kMib, 700000}, 60), "analysing: 1875/1875 files, 1024.0/1024.0 MiB, 700000 records");
  // No byte total (stdin): by units; over a minute.
  EXPECT_EQ(Say(ProgressMeter("auditing", "functions"), {1, 4, 0, 0, 0}, 30), "auditing: 1/4 functions, 1:30 left");
  // Open-ended work: no total, no time left.
  EXPECT_EQ(Say(ProgressMeter("logs", "pages", "events"), {2, 0, 0, 0, 10}, 30), "logs: 2 pages, 10 events");
  // A meter without units leads with its count.
  EXPECT_EQ(Say(ProgressMeter("collecting", "", "artifacts"), {0, 0, 3 * kMib / 2, 0, 3}, 30), "collecting: 3 artifacts, 1.5 MiB");
}

TEST(ProgressMeter, AddsFromManyThreads) {
  ProgressMeter meter("m", "u", "c");
  EXPECT_EQ(meter.Read().started_ns, 0);  // its time left counts from its own first count
  meter.AddTotal(4000, 8000);
  EXPECT_GT(meter.Read().started_ns, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) meter.AddDone(1, 2, 3);
    });
  }
  for (auto& t : threads) t.join();
  const auto s = meter.Read();
  EXPECT_EQ(s.done, 4000u);
  EXPECT_EQ(s.total, 4000u);
  EXPECT_EQ(s.bytes_done, 8000u);
  EXPECT_EQ(s.bytes_total, 8000u);
  EXPECT_EQ(s.count, 12000u);
}

// The engine's meter ends with every file, its bytes and every record read, pruned files
// included as done (they are skipped, not pending), with one job and with several.
TEST(ProgressMeter, AnalyzeCountsWhatItRead) {
  std::vector<ReadIssue> issues;
  const auto inputs = DiscoverInputs({test::SourceDir() + "/examples/incident"}, &issues);
  ASSERT_GT(inputs.size(), 2u);
  uint64_t bytes = 0;
  for (const InputFile& input : inputs) bytes += input.size;
  for (int jobs : {1, 3}) {
    SCOPED_TRACE(jobs);
    for (const char* region : {"", "eu-west-3"}) {
      ProgressMeter meter("analysing", "files", "records");
      ScanOptions options;
      options.jobs = jobs;
      options.region = region;
      options.archive_progress = &meter;
      const AnalysisResult r = Analyze(inputs, LoadEmbeddedRules().Rules(), options);
      const auto s = meter.Read();
      EXPECT_EQ(s.done, inputs.size());
      EXPECT_EQ(s.total, inputs.size());
      EXPECT_EQ(s.bytes_done, bytes);
      EXPECT_EQ(s.bytes_total, bytes);
      EXPECT_EQ(s.count, r.stats.records);
      EXPECT_EQ(r.stats.files + r.stats.files_pruned, inputs.size());
      if (*region != '\0') {
        EXPECT_EQ(r.stats.files_pruned, inputs.size());  // the sample has no eu-west-3 file
      }
    }
  }
}

}  // namespace
}  // namespace lir
