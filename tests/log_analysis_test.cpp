// Lambda log lines: platform lines parsed, indicators found, secrets never repeated.
#include <gtest/gtest.h>

#include <set>

#include "analysis/log_analysis.h"

namespace lir {
namespace {

std::vector<LogLine> Lines(const std::vector<std::string>& messages) {
  std::vector<LogLine> out;
  for (size_t i = 0; i < messages.size(); ++i) {
    out.push_back({1795766400000 + static_cast<int64_t>(i) * 1000, "2026/11/27/[$LATEST]abc", messages[i],
                   "artifacts/logs/payments/events.jsonl#L" + std::to_string(i + 1)});
  }
  return out;
}

TEST(LogAnalysis, PlatformLinesAndIndicators) {
  const auto lines = Lines({
      "INIT_START Runtime Version: python:3.12.v18\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc",
      "EXTENSION\tName: otel-collector\tState: Ready\tEvents: [INVOKE, SHUTDOWN]",
      "START RequestId: 1 Version: $LATEST",
      "[INFO]\t2026-11-27T08:00:01Z\t1\tposting to https://exfil.example.net:8443/c2?id=1 and 198.51.100.23:4444",
      "[INFO]\t2026-11-27T08:00:01Z\t1\tkey=AKIAABCDEFGHIJKLMNOP read from /proc/self/environ",
      "[INFO]\t2026-11-27T08:00:01Z\t1\tcalling https://dynamodb.us-east-1.amazonaws.com/ as usual",
      "END RequestId: 1",
      "REPORT RequestId: 1\tDuration: 2999.87 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\tInit Duration: 412.05 ms",
      "2026-11-27T08:00:04.000Z 2 Task timed out after 3.00 seconds",
      "[ERROR] Runtime.ImportModuleError: Unable to import module 'app': No module named 'requests'",
      "REPORT RequestId: 2\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 80 MB",
  });
  const LogAnalysis a = AnalyzeLogLines("arn:aws:lambda:us-east-1:1:function:payments", lines);
  EXPECT_EQ(a.summary.lines, 11u);
  EXPECT_EQ(a.summary.invocations, 2u);
  EXPECT_EQ(a.summary.cold_starts, 1u);
  EXPECT_EQ(a.summary.timeouts, 1u);
  EXPECT_EQ(a.summary.errors, 1u);
  EXPECT_DOUBLE_EQ(a.summary.max_duration_ms, 3000.0);
  EXPECT_DOUBLE_EQ(a.summary.max_memory_used_mb, 80.0);
  EXPECT_EQ(a.summary.extensions, std::vector<std::string>{"otel-collector"});
  EXPECT_EQ(a.summary.hosts, (std::map<std::string, size_t>{{"198.51.100.23:4444", 1}, {"https://exfil.example.net:8443", 1}}));
  std::map<std::string, std::vector<std::string>> by_rule;
  for (const Finding& f : a.findings) {
    by_rule[f.rule_id] = f.event_ids;
    EXPECT_EQ(f.title.find("AKIA"), std::string::npos);
    EXPECT_EQ(f.description.find("AKIA"), std::string::npos);
  }
  EXPECT_EQ(by_rule["lambda_logs_credential_access"], std::vector<std::string>{"artifacts/logs/payments/events.jsonl#L5"});
  EXPECT_EQ(by_rule["lambda_logs_outbound_indicator"], std::vector<std::string>{"artifacts/logs/payments/events.jsonl#L4"});
  EXPECT_EQ(by_rule["lambda_logs_extension_registered"], std::vector<std::string>{"artifacts/logs/payments/events.jsonl#L2"});
  EXPECT_EQ(by_rule["lambda_logs_timeouts"], std::vector<std::string>{"artifacts/logs/payments/events.jsonl#L9"});
  EXPECT_EQ(by_rule["lambda_logs_runtime_errors"], std::vector<std::string>{"artifacts/logs/payments/events.jsonl#L10"});
  EXPECT_EQ(by_rule.size(), 5u);
}

TEST(LogAnalysis, QuietLogsGiveNoFindings) {
  const LogAnalysis a = AnalyzeLogLines("f", Lines({"START RequestId: 1 Version: $LATEST", "END RequestId: 1",
                                                    "REPORT RequestId: 1\tDuration: 2.00 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB"}));
  EXPECT_TRUE(a.findings.empty());
  EXPECT_EQ(a.summary.invocations, 1u);
}

// CloudWatch allows 256 KB per event; std::regex overflowed the stack on 50,000 characters.
TEST(LogAnalysis, AQuarterMegabyteLineIsReadInOnePass) {
  const std::string line = "GET http://" + std::string(256 * 1024 - 32, 'a') + ".example.net/ 203.0.113.9:8080";
  const LogAnalysis a = AnalyzeLogLines("f", Lines({line, "GET https://user:123456@c2.example.org:9000/x"}));
  ASSERT_EQ(a.summary.hosts.size(), 3u);
  EXPECT_EQ(a.summary.hosts.count("203.0.113.9:8080"), 1u);
  EXPECT_EQ(a.summary.hosts.count("https://c2.example.org:9000"), 1u);  // the password is not a host or a port
  EXPECT_EQ(a.summary.hosts.count("http://" + std::string(256 * 1024 - 32, 'a') + ".example.net"), 1u);
}

// A root dot (a valid fully qualified name) or a full stop does not hide the host.
TEST(LogAnalysis, TrailingDotsStillCount) {
  const LogAnalysis a = AnalyzeLogLines("f", Lines({"Connected to http://c2.evil.example.", "GET http://c2.evil.example./beacon"}));
  EXPECT_EQ(a.summary.hosts, (std::map<std::string, size_t>{{"http://c2.evil.example", 2}}));
}

}  // namespace
}  // namespace lir
