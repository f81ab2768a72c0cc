// Every report format on the bundled sample, as golden files (LIR_UPDATE_GOLDEN=1 rewrites
// them; review the diff), each also read back as its consumer reads it: SARIF against the
// OASIS schema, CSV by Python's csv module, the Timesketch lines for their required fields.
#include <gtest/gtest.h>

#include <sstream>

#include <cstdlib>
#include <algorithm>
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
                                                    {"ocsf", "findings.ocsf.jsonl"},
                                                    {"html", "report.html"}};
  return test::SourceDir() + "/tests/golden/sample/" + files.at(format);
}

// The checker a consumer of the format would be; empty when a golden file is the whole check.
std::string CheckerKind(const std::string& format) {
  if (format == "sarif") return "sarif";
  if (format == "csv") return "csv";
  if (format == "timeline-jsonl") return "timesketch";
  if (format == "asff") return "asff";
  if (format == "ocsf") return "ocsf";
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
  EXPECT_NE(FindReportFormat("text"), nullptr);
  EXPECT_EQ(FindReportFormat("html5"), nullptr);
  EXPECT_THROW(RenderReport("html5", AnalysisResult{}, ReportContext{}, {}), std::invalid_argument);
}

// Evidence findings point into the case: the package as an artifact, the matched file inside
// it as a nested artifact with the line of the match, a log line by its line. A member name
// the attacker chose is one percent-encoded segment, so it cannot change what the URI means.
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
    {"location": {"uri": "lib%2Fa%20b%3F%23.js"}, "parentIndex": 0},
    {"location": {"uri": "artifacts/logs/payments/2026-11-26.jsonl"}}])"));
  EXPECT_EQ(run["results"][0]["locations"], nlohmann::json::parse(R"([
    {"physicalLocation": {"artifactLocation": {"uri": "index.js", "index": 1}, "region": {"startLine": 12}}},
    {"physicalLocation": {"artifactLocation": {"uri": "lib%2Fa%20b%3F%23.js", "index": 2}}}])"));
  EXPECT_EQ(run["results"][1]["locations"], nlohmann::json::parse(R"([
    {"physicalLocation": {"artifactLocation": {"uri": "artifacts/logs/payments/2026-11-26.jsonl", "index": 3},
                          "region": {"startLine": 7}}}])"));
  // A CloudTrail finding is in the account: ACCOUNT/REGION/ARN under the AWS base (code
  // scanning takes a result only with a physical location), and the resource by name.
  EXPECT_EQ(run["results"][2]["locations"], nlohmann::json::parse(R"([
    {"physicalLocation": {"artifactLocation": {
       "uri": "111122223333/us-east-1/arn%3Aaws%3Alambda%3Aus-east-1%3A111122223333%3Afunction%3Apayments", "uriBaseId": "AWS"}},
     "logicalLocations": [{"fullyQualifiedName": "arn:aws:lambda:us-east-1:111122223333:function:payments",
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

// Fields an attacker writes (event fields, log lines, package file names) through every
// format: each stays text, and each file still reads as its consumer reads it.
TEST(ReportFormats, HostileFieldsStayTextInEveryFormat) {
  AnalysisResult r;
  Finding f = EvidenceFinding("lambda_package_yara_match", Severity::kHigh,
                              "</script><script>alert(1)</script><img src=x onerror=alert(2)>\x1b]0;pwned\x07 [click](https://e.example)\u2028x"
                              "\rSPOOF\xC2\x9B" "31m\xE2\x80\xAERTL",
                              "described", "=cmd|' /C calc'!A0",
                              "arn:aws:lambda:us-east-1:111122223333:function:x;=HYPERLINK(\"http://e\")", "@SUM(1)\x1b[31m",
                              "yara", "artifacts/lambda/functions/x/code.zip", 1000);
  f.account = "111122223333";
  f.region = "us-east-1";
  f.locations = {{"artifacts/lambda/functions/x/code.zip", "../../.github/workflows/ci.yml", 3},
                 {"artifacts/lambda/functions/x/code.zip", "//evil.example/x.py", 0},
                 {"artifacts/lambda/functions/x/code.zip", "..", 0}};
  r.findings.push_back(f);
  test::TempDir dir;
  for (const std::string& format : ReportFormatNames()) {
    SCOPED_TRACE(format);
    const std::string out = RenderReport(format, r, SampleContext(), {});
    EXPECT_EQ(out.find('\x1b'), std::string::npos);
    EXPECT_EQ(out.find('\x07'), std::string::npos);
    // A lone CR (the line overwritten), C1's CSI and a bidi override: in no format (JSON ones
    // escape them).
    {
      EXPECT_EQ(out.find("\rSPOOF"), std::string::npos);
      EXPECT_EQ(out.find("\xC2\x9B"), std::string::npos);
      EXPECT_EQ(out.find("\xE2\x80\xAE"), std::string::npos);
    }
    const std::string kind = CheckerKind(format);
    if (kind.empty() || kind == "timesketch") continue;
    test::WriteFile(dir.File("hostile." + format), out);
    const auto checked = test::RunPython("check_report_format.py", {kind, dir.File("hostile." + format)});
    EXPECT_EQ(checked.out, "ok 1\n") << checked.err;
  }
  const std::string html = RenderReport("html", r, SampleContext(), {});
  EXPECT_EQ(html.find("<img"), std::string::npos);
  size_t scripts = 0;
  for (size_t at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1)) ++scripts;
  EXPECT_EQ(scripts, 1u);
  const auto sarif = nlohmann::json::parse(RenderReport("sarif", r, SampleContext(), {}));
  std::vector<std::string> uris;
  for (const auto& a : sarif["runs"][0]["artifacts"]) uris.push_back(a["location"]["uri"]);
  EXPECT_EQ(uris, (std::vector<std::string>{"artifacts/lambda/functions/x/code.zip", "..%2F..%2F.github%2Fworkflows%2Fci.yml",
                                            "%2F%2Fevil.example%2Fx.py", "%2E%2E"}));
  EXPECT_EQ(sarif["runs"][0]["results"][0]["message"]["text"].get<std::string>().find("[click]"), std::string::npos);
  const std::string csv = RenderReport("csv", r, SampleContext(), {});
  EXPECT_NE(csv.find(",\"arn:aws:lambda:us-east-1:111122223333:function:x;=HYPERLINK(\"\"http://e\"\")\","), std::string::npos) << csv;
  EXPECT_NE(csv.find(",'@SUM(1)\xEF\xBF\xBD[31m,"), std::string::npos) << csv;
  const std::string jsonl = RenderReport("timeline-jsonl", r, SampleContext(), {});
  EXPECT_EQ(jsonl.find("\xE2\x80\xA8"), std::string::npos);  // U+2028 escaped: the record stays one line
  EXPECT_EQ(std::count(jsonl.begin(), jsonl.end(), '\n'), 1);
}

// The OCSF check can fail: each attribute the 1.3.0 class requires, taken away, is named, and
// an attribute the class does not have is refused.
TEST(ReportFormats, OcsfCheckNamesAMissingRequiredAttribute) {
  const std::string lines = RenderReport("ocsf", Sample(), SampleContext(), {});
  const auto first = nlohmann::ordered_json::parse(lines.substr(0, lines.find('\n')));
  test::TempDir dir;
  struct Removal {
    std::string parent;  // JSON pointer of the object that loses `key`
    std::string key;
    std::string expected;
  };
  const Removal removals[] = {{"/finding_info", "title", "'title' is a required property at finding_info"},
                              {"/metadata/product", "vendor_name", "'vendor_name' is a required property at metadata/product"},
                              {"", "type_uid", "'type_uid' is a required property at "},
                              {"", "cloud", "'cloud' is a required property at "}};
  for (const Removal& r : removals) {
    SCOPED_TRACE(r.key);
    auto broken = first;
    broken.at(nlohmann::ordered_json::json_pointer(r.parent)).erase(r.key);
    test::WriteFile(dir.File("broken.jsonl"), broken.dump() + "\n");
    const auto checked = test::RunPython("check_report_format.py", {"ocsf", dir.File("broken.jsonl")});
    EXPECT_EQ(checked.exit_code, 1);
    EXPECT_EQ(checked.out, "ocsf: " + dir.File("broken.jsonl") + ": line 1: " + r.expected + "\n");
  }
  auto extra = first;
  extra["is_alert"] = true;  // added to the class after 1.3.0
  test::WriteFile(dir.File("extra.jsonl"), extra.dump() + "\n");
  EXPECT_EQ(test::RunPython("check_report_format.py", {"ocsf", dir.File("extra.jsonl")}).out,
            "ocsf: " + dir.File("extra.jsonl") + ": line 1: Additional properties are not allowed ('is_alert' was unexpected) at \n");
}

// CloudTrail's sourceIPAddress names a service as often as an address, and ARNs name their
// partition: OCSF's ip holds only addresses, the resource its own partition.
TEST(ReportFormats, OcsfKeepsServicesOutOfIpAndPartitionsFromTheArn) {
  AnalysisResult r;
  Finding f;
  f.rule_id = "lambda_permission_public";
  f.severity = Severity::kHigh;
  f.title = "t";
  f.event_name = "AddPermission20150331v2";
  f.event_ids = {"e1"};
  f.actor = "arn:aws-cn:iam::111122223333:user/x";
  f.source_ip = "lambda.amazonaws.com";
  f.resource = "arn:aws-cn:lambda:cn-north-1:111122223333:function:x";
  r.findings.push_back(f);
  f.event_ids = {"e2"};
  f.source_ip = "2001:db8::7";
  f.resource = "payments-role";  // a name, no ARN: no partition
  r.findings.push_back(f);
  const std::string out = RenderReport("ocsf", r, SampleContext(), {});
  std::vector<nlohmann::json> events;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) events.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["evidences"][0]["src_endpoint"], nlohmann::json({{"svc_name", "lambda.amazonaws.com"}}));
  EXPECT_EQ(events[0]["resources"][0]["cloud_partition"], "aws-cn");
  EXPECT_EQ(events[1]["evidences"][0]["src_endpoint"], nlohmann::json({{"ip", "2001:db8::7"}}));
  EXPECT_FALSE(events[1]["resources"][0].contains("cloud_partition"));
  test::TempDir dir;
  test::WriteFile(dir.File("f.jsonl"), out);
  EXPECT_EQ(test::RunPython("check_report_format.py", {"ocsf", dir.File("f.jsonl")}).out, "ok 2\n");
}

// Findings that differ only in what supports them keep their own ids in Security Hub and in
// code scanning: four env-secret findings of one function, two YARA rules on one package.
TEST(ReportFormats, EveryFindingKeepsItsOwnId) {
  AnalysisResult r;
  for (const char* variable : {"GITHUB_TOKEN", "DB_PASSWORD"}) {
    r.findings.push_back(EvidenceFinding("lambda_config_env_secret", Severity::kHigh, std::string("Secret in ") + variable, "d", "r",
                                         "arn:aws:lambda:us-east-1:111122223333:function:x", "(configuration)", "config",
                                         "artifacts/lambda/x/function.json", 1000));
  }
  const auto asff = nlohmann::json::parse(RenderReport("asff", r, SampleContext(), {}));
  EXPECT_NE(asff[0]["Id"], asff[1]["Id"]);
  const auto sarif = nlohmann::json::parse(RenderReport("sarif", r, SampleContext(), {}));
  EXPECT_NE(sarif["runs"][0]["results"][0]["partialFingerprints"], sarif["runs"][0]["results"][1]["partialFingerprints"]);
  // Findings that name no account or region of their own are placed by their resource's ARN.
  EXPECT_EQ(asff[0]["ProductArn"], "arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default");
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
