// Every report format on the bundled sample, as golden files (LIR_UPDATE_GOLDEN=1 rewrites
// them; review the diff), each also read back as its consumer reads it: SARIF against the
// OASIS schema, CSV by Python's csv module, the Timesketch lines for their required fields.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include <nlohmann/json.hpp>

#include "analysis/engine.h"
#include "analysis/rule_set.h"
#include "sources/input_files.h"
#include "report/posture_report.h"
#include "report/report_sink.h"
#include "test_support.h"

namespace lir {
namespace {

const AnalysisResult& Sample() {
  static const AnalysisResult result = [] {
    std::vector<ReadIssue> issues;
    const auto inputs = DiscoverInputs({test::SourceDir() + "/examples/incident"}, &issues);
    return Analyze(inputs, LoadEmbeddedRules().Rules(), ScanOptions{});
  }();
  return result;
}

// Fixed where a run would differ: the time of the report and where the sample lives.
ReportContext SampleContext() {
  ReportContext context;
  context.version = "0.0.0-test";
  context.inputs = {"examples/incident"};
  context.generated_at = 1795651200000;  // 2026-11-26T00:00:00Z
  context.rules_loaded = LoadEmbeddedRules().rules.size();
  return context;
}

std::string GoldenPath(const std::string& format) {
  const std::map<std::string, std::string> files = {{"text", "report.txt"},    {"json", "report.json"},
                                                    {"md", "report.md"},       {"sarif", "report.sarif"},
                                                    {"csv", "findings.csv"},   {"timeline-jsonl", "timeline.jsonl"},
                                                    {"asff", "findings.asff.json"},
                                                    {"html", "report.html"}};
  return test::SourceDir() + "/tests/golden/sample/" + files.at(format);
}

// The checker a consumer of the format would be; empty when a golden file is the whole check.
std::string CheckerKind(const std::string& format) {
  if (format == "sarif") return "sarif";
  if (format == "csv") return "csv";
  if (format == "timeline-jsonl") return "timesketch";
  if (format == "asff") return "asff";
  if (format == "html") return "html";
  return "";
}

class EveryFormat : public testing::TestWithParam<std::string> {};

TEST_P(EveryFormat, SampleMatchesItsGoldenFileAndItsDefinition) {
  const std::string format = GetParam();
  const std::string actual = RenderReport(format, Sample(), SampleContext(), SinkOptions{});
  const std::string golden = GoldenPath(format);
  if (std::getenv("LIR_UPDATE_GOLDEN") != nullptr) test::WriteFile(golden, actual);
  EXPECT_EQ(actual, test::ReadFile(golden)) << "rerun with LIR_UPDATE_GOLDEN=1 and review the diff of " << golden;
  const std::string kind = CheckerKind(format);
  if (kind.empty()) return;
  const auto checked = test::RunPython("check_report_format.py", {kind, golden});
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
  EXPECT_EQ(checked.out, "ok " + std::to_string(kind == "timesketch" ? Sample().timeline.size() + Sample().findings.size()
                                                                        : Sample().findings.size()) +
                             "\n");
}

INSTANTIATE_TEST_SUITE_P(Sample, EveryFormat, testing::ValuesIn(ReportFormatNames()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::erase(name, '-');
                           return name;
                         });

TEST(ReportFormats, EveryRegisteredFormatHasAGoldenFile) {
  for (const std::string& name : ReportFormatNames()) EXPECT_NO_THROW(GoldenPath(name)) << name;
  EXPECT_EQ(FindReportFormat("terminal"), FindReportFormat("text"));
  EXPECT_EQ(FindReportFormat("table"), FindReportFormat("text"));
  EXPECT_EQ(FindReportFormat("html5"), nullptr);
}

// Evidence findings point into the case: the package as an artifact, the matched file inside
// it as a nested artifact with the line of the match, a log line by its line. A member name
// the attacker chose is percent-encoded, so it cannot change what the URI means.
TEST(ReportFormats, SarifLocatesEvidenceFindingsInTheCase) {
  AnalysisResult r;
  Finding yara = EvidenceFinding("lambda_package_yara_match", Severity::kHigh, "YARA exec_base64 matched 2 file(s)", "d",
                                 "Read the matched files", "arn:aws:lambda:us-east-1:111122223333:function:payments",
                                 "(package)", "yara", "artifacts/lambda/functions/payments/code.zip", 1000);
  yara.locations = {{"artifacts/lambda/functions/payments/code.zip", "index.js", 12},
                    {"artifacts/lambda/functions/payments/code.zip", "lib/a b?#.js", 0}};
  r.findings.push_back(yara);
  r.findings.push_back(EvidenceFinding("lambda_log_secret_printed", Severity::kMedium, "Secret in logs", "d", "Rotate",
                                       "arn:aws:lambda:us-east-1:111122223333:function:payments", "(function output)", "log",
                                       "artifacts/logs/payments/2026-11-26.jsonl#L7", 2000));
  Finding trail;
  trail.rule_id = "lambda_function_url_public";
  trail.severity = Severity::kCritical;
  trail.title = "Function URL opened to everyone";
  trail.resource = "arn:aws:lambda:us-east-1:111122223333:function:payments";
  r.findings.push_back(trail);
  r.issues.push_back({IssueKind::kBadFile, "AWSLogs/x.json.gz", "", "not gzip"});
  const std::string sarif = RenderReport("sarif", r, SampleContext(), {});
  const auto doc = nlohmann::json::parse(sarif);
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["artifacts"], nlohmann::json::parse(R"([
    {"location": {"uri": "artifacts/lambda/functions/payments/code.zip"}},
    {"location": {"uri": "index.js"}, "parentIndex": 0},
    {"location": {"uri": "lib/a%20b%3F%23.js"}, "parentIndex": 0},
    {"location": {"uri": "artifacts/logs/payments/2026-11-26.jsonl"}}])"));
  EXPECT_EQ(run["results"][0]["locations"], nlohmann::json::parse(R"([
    {"physicalLocation": {"artifactLocation": {"uri": "index.js", "index": 1}, "region": {"startLine": 12}}},
    {"physicalLocation": {"artifactLocation": {"uri": "lib/a%20b%3F%23.js", "index": 2}}}])"));
  EXPECT_EQ(run["results"][1]["locations"], nlohmann::json::parse(R"([
    {"physicalLocation": {"artifactLocation": {"uri": "artifacts/logs/payments/2026-11-26.jsonl", "index": 3},
                          "region": {"startLine": 7}}}])"));
  EXPECT_EQ(run["results"][2]["locations"], nlohmann::json::parse(R"([
    {"logicalLocations": [{"fullyQualifiedName": "arn:aws:lambda:us-east-1:111122223333:function:payments",
                           "kind": "resource"}]}])"));
  EXPECT_EQ(run["results"][2]["level"], "error");
  EXPECT_EQ(run["results"][1]["level"], "warning");
  EXPECT_EQ(run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"], "not gzip");
  test::TempDir dir;
  test::WriteFile(dir.File("evidence.sarif"), sarif);
  const auto checked = test::RunPython("check_report_format.py", {"sarif", dir.File("evidence.sarif")});
  EXPECT_EQ(checked.out, "ok 3\n") << checked.err;
}

// Cells a spreadsheet would run as formulas stay text; quotes, commas and line breaks in an
// attacker's field keep the row whole.
TEST(ReportFormats, CsvCellsFromEventsCannotBecomeFormulasOrBreakRows) {
  AnalysisResult r;
  Finding f;
  f.rule_id = "lambda_x";
  f.title = "=HYPERLINK(\"http://x\",\"click\")";
  f.resource = "a,b\r\nc";
  f.actor = "@SUM(A1)";
  f.note = "-1+2";
  r.findings.push_back(f);
  const std::string csv = RenderReport("csv", r, SampleContext(), {});
  const std::string row = csv.substr(csv.find("\r\n") + 2);
  EXPECT_EQ(row,
            "1970-01-01T00:00:00Z,info,lambda_x,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",\"a,b\r\nc\",'@SUM(A1),,,,,,,0,,"
            "false,,'-1+2,\r\n");
  test::TempDir dir;
  test::WriteFile(dir.File("f.csv"), csv);
  EXPECT_EQ(test::RunPython("check_report_format.py", {"csv", dir.File("f.csv")}).out, "ok 1\n");
}

// audit's findings go out through the same sinks: the fix line after the remediation, a read
// that failed as a notification.
TEST(ReportFormats, AuditPostureAsSarifCarriesFixesAndFailedReads) {
  PostureReport report;
  PostureFinding p;
  p.finding.rule_id = "lambda_posture_url_auth_none";
  p.finding.severity = Severity::kHigh;
  p.finding.title = "Function URL without authentication";
  p.finding.remediation = "Require IAM auth.";
  p.finding.resource = "arn:aws:lambda:us-east-1:111122223333:function:payments";
  p.fix_command = "aws lambda update-function-url-config --function-name payments --auth-type AWS_IAM";
  report.findings.push_back(p);
  report.gaps.push_back({"us-east-1", "payments", "resource policy", "lambda:GetPolicy", "permission denied: AccessDenied", ""});
  const auto doc = nlohmann::json::parse(RenderReport("sarif", PostureAsAnalysis(report), SampleContext(), {}));
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["help"]["text"],
            "Require IAM auth.\naws lambda update-function-url-config --function-name payments --auth-type AWS_IAM");
  EXPECT_EQ(run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"],
            "us-east-1 payments: resource policy not read (lambda:GetPolicy): permission denied: AccessDenied");
}

}  // namespace
}  // namespace lir
