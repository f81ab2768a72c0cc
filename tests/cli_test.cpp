// The lambda-ir binary as a user runs it: help, version, exit codes, formats, stdin.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

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

// `permissions --trust` prints the member role's trust document alone, to stdout, for a file.
TEST(Cli, PermissionsTrustPrintsTheTrustPolicyAlone) {
  auto r = RunTool({"permissions", "--trust", "111122223333", "--external-id", "case-42"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["Statement"][0]["Condition"],
            nlohmann::json::parse(R"({"StringEquals": {"sts:ExternalId": "case-42"}})"));
  EXPECT_EQ(r.err, "");
  r = RunTool({"permissions", "audit", "--trust", "111122223333"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "lambda-ir: --trust prints the trust policy alone; the role's permissions are `lambda-ir permissions audit`\n");
  r = RunTool({"permissions", "--external-id", "case-42"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "lambda-ir: --external-id goes with --trust\n");
  r = RunTool({"permissions", "--trust", "arn:aws:iam::111122223333:group/admins"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "lambda-ir: --trust 'arn:aws:iam::111122223333:group/admins': the resource is not root, role/NAME or user/NAME\n");
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

// --out used to truncate an existing file (keeping its 0644 mode) and to follow a symlink
// planted where the report goes.
TEST(Cli, OutNeverReplacesOrFollowsUnlessForced) {
  test::TempDir dir;
  test::WriteFile(dir.File("victim"), "keep me");
  ASSERT_EQ(symlink(dir.File("victim").c_str(), dir.File("link.json").c_str()), 0);
  auto linked = RunTool({"analyze", kSample, "--format", "json", "--out", dir.File("link.json")});
  EXPECT_EQ(linked.exit_code, 5);
  EXPECT_EQ(linked.err, "lambda-ir: " + dir.File("link.json") + " exists: not replaced (add --force to replace it)\n");
  EXPECT_EQ(test::ReadFile(dir.File("victim")), "keep me");
  test::WriteFile(dir.File("old.json"), "old");
  chmod(dir.File("old.json").c_str(), 0644);
  auto forced = RunTool({"analyze", kSample, "--format", "json", "--out", dir.File("old.json"), "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  struct stat st {};
  ASSERT_EQ(stat(dir.File("old.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(test::ReadFile(dir.File("old.json")).rfind("{", 0), 0u);
  auto forced_link = RunTool({"analyze", kSample, "--format", "json", "--out", dir.File("link.json"), "--force"});
  ASSERT_EQ(forced_link.exit_code, 0) << forced_link.err;
  EXPECT_EQ(test::ReadFile(dir.File("victim")), "keep me");  // the link was replaced, not followed
}

// A device or a named pipe given to --out is written to, never replaced: --force used to rename
// a fresh file over it (over /dev/null, as root), and without --force /dev/null was refused.
TEST(Cli, OutToADeviceOrAPipeWritesToItAndNeverReplacesIt) {
  EXPECT_EQ(RunTool({"analyze", kSample, "--format", "json", "--out", "/dev/null"}).exit_code, 0);
  test::TempDir dir;
  const std::string fifo = dir.File("report.pipe");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = test::ReadFile(fifo); });  // opening for read waits for the writer
  const auto forced = RunTool({"analyze", kSample, "--format", "json", "--out", fifo, "--force"});
  // Should the tool never have opened the pipe, the reader is released by a writer of our own.
  const int unblock = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
  if (unblock >= 0) close(unblock);
  reader.join();
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(received.rfind("{\n  \"schema\": \"lambda-ir/analyze/v1\"", 0), 0u) << received.substr(0, 200);
  struct stat st {};
  ASSERT_EQ(lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  const auto full = RunTool({"analyze", kSample, "--format", "json", "--out", "/dev/full"});
  EXPECT_EQ(full.exit_code, 5);
  EXPECT_EQ(full.err, "lambda-ir: cannot write /dev/full: No space left on device\n");
}

// A report that could not be written is not a success.
TEST(Cli, AFullStdoutIsAnOutputError) {
  const auto r = test::RunCommand({"sh", "-c", "exec \"$0\" analyze \"$1\" --format json > /dev/full", test::BinaryPath(), kSample});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("lambda-ir: cannot write standard output: No space left on device"), std::string::npos) << r.err;
}

// Event fields reach the Markdown report as text: no raw HTML, no link, no broken table.
TEST(Cli, MarkdownEscapesWhatEventsCarry) {
  const std::string record = R"({"eventTime":"2026-11-27T09:00:00Z","eventSource":"lambda.amazonaws.com",)"
                             R"("eventName":"DeleteFunction20150331","requestParameters":{"functionName":"f<img src=x onerror=alert(1)>"},)"
                             R"("eventID":"1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/[click](javascript:alert(1))|x"}})";
  test::TempDir dir;
  test::WriteFile(dir.File("trail.json"), R"({"Records":[)" + record + "]}");
  auto r = RunTool({"analyze", dir.File("trail.json"), "--format", "md"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // In a code span nothing is HTML or a link; the one character that could end it is the backtick.
  EXPECT_NE(r.out.find("- **resource**: `f<img src=x onerror=alert(1)>`\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("- **actor**: `arn:aws:iam::1:user/[click](javascript:alert(1))\\|x`\n"), std::string::npos) << r.out;
  // As table text every active character is escaped.
  EXPECT_NE(r.out.find(R"(| 2026-11-27T09:00:00Z | DeleteFunction20150331 | f\<img src=x onerror=alert\(1\)\> | )"
                       R"(arn:aws:iam::1:user/\[click\]\(javascript:alert\(1\)\)\|x |  |  | lambda\_function\_deleted, )"
                       R"(lambda\_change\_by\_new\_principal |)"),
            std::string::npos)
      << r.out;
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

namespace lir {
namespace {

// One number beyond 64 bits in any field used to drop the file, its findings with it, with
// exit 0 when another file was read.
TEST(Cli, AFindingBesideAnUnholdableNumberIsKept) {
  test::TempDir dir;
  auto record = nlohmann::json::parse(test::ReadFile(test::SourceDir() + "/rules/lambda_permission_public/tests/match/01.json"));
  std::string text = record.dump();
  const std::string anchor = R"("functionName":)";
  text.insert(text.find(anchor), R"("qualifierCount":123456789012345678901234567890,"weight":1e400,)");
  test::WriteFile(dir.File("trail.json"), R"({"Records":[)" + text + "]}");
  const auto r = test::RunTool({"analyze", dir.File("trail.json"), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  std::vector<std::string> rules;
  for (const auto& f : report["findings"]) rules.push_back(f["rule_id"]);
  EXPECT_NE(std::find(rules.begin(), rules.end(), "lambda_permission_public"), rules.end()) << r.out.substr(0, 3000);
  ASSERT_EQ(report["issues"].size(), 1u);
  EXPECT_EQ(report["issues"][0]["message"].get<std::string>().rfind("2 numbers too large to hold kept as text", 0), 0u);
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// The crash tests' hook kills the process at a step when LAMBDA_IR_TEST_CRASH_AT is set: only
// the test build (lambda-ir-test) has it; anyone who can set the environment of a shipped
// binary must not be able to stop a containment midway.
TEST(Cli, TheReleaseBinaryHasNoCrashHook) {
  const std::string release = test::ReadFile(LIR_RELEASE_BINARY);
  ASSERT_GT(release.size(), 1000000u);
  EXPECT_EQ(release.find("LAMBDA_IR_TEST_CRASH_AT"), std::string::npos);
  EXPECT_NE(test::ReadFile(test::BinaryPath()).find("LAMBDA_IR_TEST_CRASH_AT"), std::string::npos);
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// Parsing used to take ~13x the decoded input: a 1 GB trail needed >12 GB and, under an
// address-space limit, lost every record; read record by record from a decoded buffer it
// needed its gigabyte. Streamed (inflated and scanned a piece at a time) it fits in 128 MiB of
// address space, binary and all, and the finding after a gigabyte of benign records is found.
TEST(Cli, AGigabyteTrailIsReadIn128MiBOfAddressSpace) {
  test::TempDir dir;
  const std::string benign =
      R"({"eventVersion":"1.08","eventTime":"2026-11-27T00:00:00Z","eventSource":"s3.amazonaws.com",)"
      R"("eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userAgent":"aws-sdk-go",)"
      R"("requestParameters":{"bucketName":"app-data","key":"objects/0001"},"eventID":"b","readOnly":true,)"
      R"("recipientAccountId":"123456789012","userIdentity":{"type":"AssumedRole",)"
      R"("arn":"arn:aws:sts::123456789012:assumed-role/app/i-1","accountId":"123456789012"}},)";
  std::string chunk;
  while (chunk.size() < (1 << 20)) chunk += benign;
  const uint64_t per_chunk = chunk.size() / benign.size();
  const std::string chunk_gz = test::Gzip(chunk);
  // Gzip members concatenate: one compressed megabyte written 1024 times.
  std::string gz = test::Gzip(R"({"Records":[)");
  for (int i = 0; i < 1024; ++i) gz += chunk_gz;
  const auto finding = nlohmann::json::parse(
      test::ReadFile(test::SourceDir() + "/rules/lambda_permission_public/tests/match/01.json"));
  gz += test::Gzip(finding.dump() + "]}");
  test::WriteFile(dir.File("big.json.gz"), gz);

  const auto r = test::RunCommand({"sh", "-c", "ulimit -v 131072 && exec \"$0\" \"$@\"", LIR_RELEASE_BINARY, "analyze",
                                   dir.File("big.json.gz"), "--format", "json", "--jobs", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["stats"]["events"], 1024 * per_chunk + 1);
  EXPECT_GT(report["stats"]["bytes"].get<uint64_t>(), 1024ULL << 20);
  EXPECT_TRUE(report["issues"].empty()) << report["issues"].dump();
  std::vector<std::string> rules;
  for (const auto& f : report["findings"]) rules.push_back(f["rule_id"]);
  // The history rule has nothing of that account before the event: it says so at info.
  EXPECT_EQ(rules, (std::vector<std::string>{"lambda_permission_public", "lambda_change_by_new_principal",
                                             "lambda_permission_added"}));
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// A subdirectory of the archive the responder's account cannot read used to be skipped
// without a word: evidence not looked at must be said. (The tests run as root, who reads
// everything: the tool runs here as nobody.)
TEST(Cli, AnUnreadableDirectoryIsReportedNotSkipped) {
  test::TempDir dir;
  const std::string record =
      R"({"Records":[{"eventTime":"2026-11-27T00:00:00Z","eventName":"X","eventSource":"s3.amazonaws.com","eventID":"1"}]})";
  test::WriteFile(dir.File("trail/open/a.json"), record);
  test::WriteFile(dir.File("trail/locked/b.json"), record);
  for (const char* p : {"", "/trail", "/trail/open"}) chmod((dir.path() + p).c_str(), 0755);
  chmod(dir.File("trail/open/a.json").c_str(), 0644);
  chmod(dir.File("trail/locked").c_str(), 0700);
  const auto r = test::RunCommand({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", test::BinaryPath(),
                                   "analyze", dir.File("trail"), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["stats"]["events"], 1);
  ASSERT_EQ(report["issues"].size(), 1u) << report["issues"].dump();
  EXPECT_EQ(report["issues"][0]["file"], dir.File("trail/locked"));
  EXPECT_EQ(report["issues"][0]["message"], "directory not read: Permission denied");
}

}  // namespace
}  // namespace lir
