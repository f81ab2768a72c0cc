// The lambda-ir binary as a user runs it: help, version, exit codes, formats, stdin.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace lir {
namespace {

using test::RunTool;

const std::string kSample = test::SourceDir() + "/examples/incident";

TEST(Cli, HelpAndVersion) {
  auto r = RunTool({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("analyze"), std::string::npos);
  EXPECT_NE(r.out.find("Exit codes"), std::string::npos);
  r = RunTool({"analyze", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* flag : {"--since", "--until", "--function", "--account", "--region", "--jobs", "--rules", "--format",
                           "--out", "--fail-on"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  }
  r = RunTool({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("lambda-ir ", 0), 0u);
}

TEST(Cli, ExitCodes) {
  EXPECT_EQ(RunTool({"analyze", kSample}).exit_code, 0);
  EXPECT_EQ(RunTool({"analyze", kSample, "--fail-on", "critical"}).exit_code, 1);
  EXPECT_EQ(RunTool({"analyze", kSample, "--since", "2026-11-26T15:00Z", "--fail-on", "high"}).exit_code, 0);
  auto bad_time = RunTool({"analyze", kSample, "--since", "last week"});
  EXPECT_EQ(bad_time.exit_code, 2);
  EXPECT_NE(bad_time.err.find("--since"), std::string::npos);
  EXPECT_EQ(RunTool({"analyze", kSample, "--fail-on", "severe"}).exit_code, 2);
  EXPECT_EQ(RunTool({"analyze", "--nonsense", kSample}).exit_code, 2);
  auto missing = RunTool({"analyze", "/nonexistent/trail"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.out.find("/nonexistent/trail: no such file or directory"), std::string::npos);
  test::TempDir dir;
  test::WriteFile(dir.File("lambda_bad_rule/rule.yaml"), "id: lambda_bad_rule\n");
  EXPECT_EQ(RunTool({"rules", "lint", "--only", "--rules", dir.path()}).exit_code, 4);
  test::WriteFile(dir.File("x.json"), "{}");
  EXPECT_EQ(RunTool({"analyze", kSample, "--out", dir.path() + "/no/such/dir/report.json"}).exit_code, 5);
}

TEST(Cli, JsonDocumentHasTheDocumentedFields) {
  auto r = RunTool({"analyze", kSample, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema"], "lambda-ir/analyze/v1");
  for (const char* key : {"files", "events", "skipped_records"}) EXPECT_TRUE(doc["stats"][key].is_number()) << key;
  ASSERT_FALSE(doc["findings"].empty());
  for (const char* key : {"rule_id", "severity", "title", "time", "resource", "actor", "event_ids", "mitre", "remediation"}) {
    EXPECT_TRUE(doc["findings"][0].contains(key)) << key;
  }
  ASSERT_FALSE(doc["timeline"].empty());
  for (const char* key : {"time", "event_id", "event_name", "actor", "resource"}) {
    EXPECT_TRUE(doc["timeline"][0].contains(key)) << key;
  }
}

TEST(Cli, OutFileIsPrivateAndMarkdownRenders) {
  test::TempDir dir;
  auto r = RunTool({"analyze", kSample, "--format", "md", "--out", dir.File("report.md")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  struct stat st {};
  ASSERT_EQ(stat(dir.File("report.md").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const std::string md = test::ReadFile(dir.File("report.md"));
  EXPECT_EQ(md.rfind("# lambda-ir analysis", 0), 0u);
  EXPECT_NE(md.find("### critical `iam_write_by_lambda_role`"), std::string::npos);
  EXPECT_NE(md.find("| time | event | resource | actor | source IP | error | rules |"), std::string::npos);
}

TEST(Cli, ReadsStdinAndNeverEmitsTerminalEscapesFromEvents) {
  // A hostile user agent with an escape sequence must not reach the terminal.
  const std::string record = "{\"eventTime\":\"2026-11-27T09:00:00Z\",\"eventSource\":\"lambda.amazonaws.com\","
                             "\"eventName\":\"DeleteFunction20150331\",\"requestParameters\":{\"functionName\":\"f\\u001b]0;pwned\\u0007\"},"
                             "\"eventID\":\"1\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/\\u001b[31mred\"}}\n";
  auto r = RunTool({"analyze", "-", "--color", "never"}, test::Gzip(record));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("lambda_function_deleted"), std::string::npos);
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(r.out.find('\x07'), std::string::npos);
}

TEST(Cli, RulesListLintTest) {
  auto list = RunTool({"rules", "list", "--format", "json"});
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_GE(nlohmann::json::parse(list.out).size(), 20u);
  auto lint = RunTool({"rules", "lint"});
  EXPECT_EQ(lint.exit_code, 0) << lint.out;
  auto tested = RunTool({"rules", "test"});
  EXPECT_EQ(tested.exit_code, 0) << tested.out;
  EXPECT_NE(tested.out.find(" passed, 0 failed"), std::string::npos);
}

}  // namespace
}  // namespace lir
