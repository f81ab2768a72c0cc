// analyze --athena DB.TABLE against a loopback Athena (tests/servers/athena_replay.mjs) that
// runs each query for real in DuckDB over the bundled sample laid out as the Athena CloudTrail
// table: the exact requests, the records rebuilt from Athena's rows giving the report a local
// scan of the same records gives, pages followed, and a failed query named with what to do.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <regex>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "analysis/rule_set.h"
#include "analysis/rule_sql.h"
#include "core/time.h"
#include "sources/athena_rows.h"
#include "sources/cloudtrail_reader.h"
#include "sources/input_files.h"
#include "test_support.h"

namespace lir {
namespace {

const std::map<std::string, std::string> kEnv = {{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"},
                                                 {"AWS_DEFAULT_REGION", "us-east-1"}};

class SampleCollector : public RecordSink {
 public:
  void OnRecord(const RecordRef& ref) override { records.push_back(simdjson::minify(ref.Element())); }
  void OnIssue(ReadIssue) override {}
  std::vector<std::string> records;
};

// The sample's records, numbered in reading order, and the replay serving them as db.cloudtrail.
struct Replay {
  Replay() {
    SampleCollector sink;
    CloudTrailReader reader;
    std::vector<ReadIssue> issues;
    for (const InputFile& input : DiscoverInputs({test::SourceDir() + "/examples/incident"}, &issues)) {
      reader.ReadFile(input.path, sink);
    }
    records = sink.records;
    std::string jsonl;
    for (size_t i = 0; i < records.size(); ++i) jsonl += fmt::format("{{\"n\":{},\"r\":{}}}\n", i, records[i]);
    file = dir.File("records.jsonl");
    test::WriteFile(file, jsonl);
    server = std::make_unique<test::ChildServer>(std::vector<std::string>{
        "node", test::SourceDir() + "/tests/servers/athena_replay.mjs", file, "db.cloudtrail,ir-logs.cloud-trail"});
  }
  std::string url() const { return server->url(); }
  nlohmann::json Get(const std::string& what) const { return nlohmann::json::parse(test::PostJson(url() + what, "{}")); }
  void Reset() const { test::PostJson(url() + "/_replay/reset", "{}"); }

  test::TempDir dir;
  std::string file;
  std::vector<std::string> records;
  std::unique_ptr<test::ChildServer> server;
};

const Replay& SharedReplay() {
  static const Replay replay;
  return replay;
}

std::vector<std::string> AthenaArgs(const Replay& replay, std::vector<std::string> extra) {
  std::vector<std::string> args = {test::BinaryPath(), "analyze", "--athena", "db.cloudtrail", "--workgroup", "ir",
                                   "--output-location", "s3://results/lir/", "--endpoint-url", replay.url(),
                                   "--format", "json", "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// The report without what names the run (time, inputs).
nlohmann::json Report(const std::string& json) {
  auto report = nlohmann::json::parse(json);
  report.erase("generated_at");
  report.erase("inputs");
  return report;
}

TEST(AnalyzeAthena, TheRecordsAthenaReturnsGiveTheReportALocalScanOfThemGives) {
  const Replay& replay = SharedReplay();
  replay.Reset();
  const std::vector<std::string> filters = {"--account", "111122223333", "--since", "2026-11-25T00:00:00Z",
                                            "--until", "2026-11-26T23:59:59Z"};
  const auto athena = test::RunWithEnv(AthenaArgs(replay, filters), kEnv);
  ASSERT_EQ(athena.exit_code, 0) << athena.err;
  EXPECT_EQ(athena.err, fmt::format("athena: query 00001-aaaa-bbbb-cccc-000000000001 scanned {} bytes (about $0.0001 at "
                                    "$5 per TB, 10 MB minimum), 1234 ms in the engine\n",
                                    std::filesystem::file_size(replay.file)));

  // Exactly these requests: the records query (the rules' predicates in the filters' scope),
  // signed, in the workgroup and database asked, polled until it ended, its one page read.
  SqlScope scope;
  scope.accounts = {"111122223333"};
  scope.since_ms = *ParseIso8601("2026-11-25T00:00:00Z");
  scope.until_ms = *ParseIso8601("2026-11-26T23:59:59Z");
  const std::string sql = RecordsQuery(LoadEmbeddedRules().Rules(), SqlEngine::kAthena, "db.cloudtrail", scope,
                                       AthenaRecordColumnNames(), AthenaRecordColumns());
  const nlohmann::json log = replay.Get("/_replay/log");
  ASSERT_EQ(log.size(), 4u) << log.dump(1);
  const nlohmann::json& start = log[0]["body"];
  EXPECT_EQ(log[0]["target"], "AmazonAthena.StartQueryExecution");
  EXPECT_EQ(start["QueryString"], sql);
  EXPECT_EQ(start["WorkGroup"], "ir");
  EXPECT_EQ(start["QueryExecutionContext"], nlohmann::json({{"Database", "db"}}));
  EXPECT_EQ(start["ResultConfiguration"], nlohmann::json({{"OutputLocation", "s3://results/lir/"}}));
  EXPECT_EQ(start["ClientRequestToken"].get<std::string>().rfind("lambda-ir-", 0), 0u);
  EXPECT_EQ(start["ClientRequestToken"].get<std::string>().size(), 42u);
  const nlohmann::json poll = {{"QueryExecutionId", "00001-aaaa-bbbb-cccc-000000000001"}};
  EXPECT_EQ(log[1], nlohmann::json({{"target", "AmazonAthena.GetQueryExecution"}, {"body", poll}, {"signed", true}}));
  EXPECT_EQ(log[2], log[1]);  // RUNNING, then SUCCEEDED
  nlohmann::json page = poll;
  page["MaxResults"] = 250;
  EXPECT_EQ(log[3], nlohmann::json({{"target", "AmazonAthena.GetQueryResults"}, {"body", page}, {"signed", true}}));
  for (const auto& request : log) EXPECT_TRUE(request["signed"].get<bool>()) << request.dump();

  // The same records, as CloudTrail wrote them, scanned locally: the same report.
  const std::vector<int64_t> returned = replay.Get("/_replay/returned").get<std::vector<int64_t>>();
  // 224 records some rule may match and the first call of each of 4 role sessions from a
  // Lambda runtime, of the sample's 2,933.
  ASSERT_EQ(returned.size(), 228u);
  std::string same_records;
  for (int64_t n : returned) same_records += replay.records[n] + "\n";
  const test::TempDir local_dir;
  test::WriteFile(local_dir.File("returned.jsonl"), same_records);
  std::vector<std::string> local_args = {"analyze", local_dir.File("returned.jsonl"), "--format", "json", "-q"};
  local_args.insert(local_args.end(), filters.begin(), filters.end());
  const auto local = test::RunTool(local_args);
  ASSERT_EQ(local.exit_code, 0) << local.err;
  nlohmann::json from_athena = Report(athena.out), from_local = Report(local.out);
  EXPECT_EQ(from_athena["findings"].size(), 52u);
  from_athena["stats"].erase("bytes");  // Athena's rows are rebuilt, not byte for byte the records
  from_local["stats"].erase("bytes");
  // What the query could not give the scan is said in the report, as warnings.
  EXPECT_EQ(from_athena["issues"],
            nlohmann::json::parse(R"j([
    {"file": "athena:db.cloudtrail", "kind": "warning", "position": "", "message": "history is judged on the records the query returned: a principal's first sight and where the evidence begins (lambda_change_by_new_principal may say 'no baseline')"},
    {"file": "athena:db.cloudtrail", "kind": "warning", "position": "", "message": "functions' roles and the role sessions seen in Lambda come from records inside the filters: a function changed only outside them is not known to run its role (wider filters read more, and cost more)"}])j"));
  EXPECT_EQ(from_local["issues"], nlohmann::json::array());
  from_athena.erase("issues");
  from_local.erase("issues");
  EXPECT_EQ(from_athena, from_local);

  // And no finding of the whole archive is lost: the rules' and events' of a full local scan.
  const auto full = test::RunTool({"analyze", test::SourceDir() + "/examples/incident", "--format", "json", "-q"});
  ASSERT_EQ(full.exit_code, 0) << full.err;
  auto keys = [](const nlohmann::json& report) {
    std::vector<std::string> out;
    for (const auto& f : report["findings"]) out.push_back(f["rule_id"].get<std::string>() + " " + f["event_ids"].dump());
    return out;
  };
  EXPECT_EQ(keys(from_athena), keys(Report(full.out)));
}

// Athena may answer in pages of fewer rows than asked: each page is read after the one before,
// with its token, and the report is the one-page report.
TEST(AnalyzeAthena, PagesAreFollowedToTheEnd) {
  const Replay& replay = SharedReplay();
  replay.Reset();
  const auto one_page = test::RunWithEnv(AthenaArgs(replay, {}), kEnv);
  ASSERT_EQ(one_page.exit_code, 0) << one_page.err;
  replay.Reset();
  test::PostJson(replay.url() + "/_replay/plan", R"({"page_rows": 50})");
  const auto paged = test::RunWithEnv(AthenaArgs(replay, {}), kEnv);
  ASSERT_EQ(paged.exit_code, 0) << paged.err;
  // Each page is read as an input of its own: the stats count 5, the rest is the same.
  nlohmann::json paged_report = Report(paged.out), one_page_report = Report(one_page.out);
  EXPECT_EQ(paged_report["stats"]["files"], 5);
  EXPECT_EQ(one_page_report["stats"]["files"], 1);
  EXPECT_EQ(paged_report["stats"]["records"], one_page_report["stats"]["records"]);
  paged_report.erase("stats");
  one_page_report.erase("stats");
  EXPECT_EQ(paged_report, one_page_report);
  const nlohmann::json log = replay.Get("/_replay/log");
  std::vector<std::string> tokens;
  for (const auto& request : log) {
    if (request["target"] != "AmazonAthena.GetQueryResults") continue;
    tokens.push_back(request["body"].value("NextToken", "(first)"));
  }
  const size_t rows = replay.Get("/_replay/returned").size();
  std::vector<std::string> expected = {"(first)"};
  for (size_t end = 49; end < rows; end += 50) expected.push_back(fmt::format("page-00001-aaaa-bbbb-cccc-000000000001-{}", end));
  EXPECT_EQ(tokens, expected);
}

// A query Athena fails: nothing is scanned, the reason is Athena's, the next step names the
// table's shape, exit 6 (an AWS failure, not the user's flags).
TEST(AnalyzeAthena, AFailedQueryIsNamedWithWhatToDo) {
  const Replay& replay = SharedReplay();
  replay.Reset();
  test::PostJson(replay.url() + "/_replay/plan",
                 R"({"fail": "COLUMN_NOT_FOUND: line 1:1: Column 'account' cannot be resolved\u001b[2J"})");
  const auto r = test::RunWithEnv(AthenaArgs(replay, {"--account", "111122223333"}), kEnv);
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "lambda-ir: Athena query 00001-aaaa-bbbb-cccc-000000000001 failed: COLUMN_NOT_FOUND: line 1:1: Column "
            "'account' cannot be resolved?[2J\n"
            "  next: the table must have the columns and partitions `lambda-ir rules sql --ddl` gives it, or name the "
            "partitions it has with --athena-partitions (timestamp, none)\n");
  const nlohmann::json log = replay.Get("/_replay/log");
  ASSERT_EQ(log.size(), 3u);  // started, RUNNING, FAILED: no results asked for
  EXPECT_EQ(log[2]["target"], "AmazonAthena.GetQueryExecution");
}

// A query still running at --athena-timeout is stopped (Athena would run and bill it on), and
// the error says so: exit 6.
TEST(AnalyzeAthena, AQueryPastItsTimeoutIsStopped) {
  const Replay& replay = SharedReplay();
  replay.Reset();
  test::PostJson(replay.url() + "/_replay/plan", R"({"running": true})");
  const auto r = test::RunWithEnv(AthenaArgs(replay, {"--athena-timeout", "1"}), kEnv);
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_EQ(r.out, "");
  // Polled at 0, 0.25, 0.75 and 1.75 s: RUNNING, and at the last past the second: stopped.
  EXPECT_EQ(r.err.substr(0, r.err.find('\n') + 1),
            "lambda-ir: Athena query 00001-aaaa-bbbb-cccc-000000000001 still RUNNING after 1 s (--athena-timeout): stopped\n");
  const nlohmann::json log = replay.Get("/_replay/log");
  ASSERT_EQ(log.size(), 6u) << log.dump(1);
  for (size_t k = 1; k <= 4; ++k) EXPECT_EQ(log[k]["target"], "AmazonAthena.GetQueryExecution") << k;
  EXPECT_EQ(log[5], nlohmann::json({{"target", "AmazonAthena.StopQueryExecution"},
                                    {"body", {{"QueryExecutionId", "00001-aaaa-bbbb-cccc-000000000001"}}},
                                    {"signed", true}}));
}

// A responder without athena:StopQueryExecution: the query cannot be stopped, and the message
// says so, gives the command to stop it (quoted for the shell) and the permission to grant.
TEST(AnalyzeAthena, AStopThatIsRefusedSaysWhatToRunAndGrant) {
  const Replay& replay = SharedReplay();
  replay.Reset();
  test::PostJson(replay.url() + "/_replay/plan", R"({"running": true, "deny_stop": true})");
  const auto r = test::RunWithEnv(AthenaArgs(replay, {"--athena-timeout", "1"}), kEnv);
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_EQ(r.err,
            "lambda-ir: Athena query 00001-aaaa-bbbb-cccc-000000000001 still RUNNING after 1 s (--athena-timeout): not "
            "stopped (StopQueryExecution: AccessDeniedException: User: arn:aws:iam::111122223333:user/responder is not "
            "authorized to perform: athena:StopQueryExecution (HTTP 400, request id req-6)): stop it with `aws athena "
            "stop-query-execution "
            "--query-execution-id 00001-aaaa-bbbb-cccc-000000000001`\n"
            "  next: grant athena:StopQueryExecution to the caller\n");
}

// Ctrl-C while the query runs stops it before the process ends (a query left running bills
// on after its client is gone): the error names the query and what it scanned, and the
// process then ends by the signal (a script running it stops there too).
TEST(AnalyzeAthena, CtrlCStopsTheRunningQuery) {
  const Replay& replay = SharedReplay();
  replay.Reset();
  test::PostJson(replay.url() + "/_replay/plan", R"({"running": true})");
  auto polled = [&] {
    for (const auto& request : replay.Get("/_replay/log")) {
      if (request["target"] == "AmazonAthena.GetQueryExecution") return true;
    }
    return false;
  };
  const auto r = test::RunWithEnv(AthenaArgs(replay, {}), kEnv, "", [&](int pid) {
    // Once it waits on the query (its handler is in place before the query starts).
    for (int k = 0; k < 1000 && !polled(); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    kill(pid, SIGINT);
  });
  EXPECT_EQ(r.signal, SIGINT);  // ended by it, after the stop
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "lambda-ir: interrupted: Athena query 00001-aaaa-bbbb-cccc-000000000001 stopped; 1048576 bytes "
                   "scanned\n");
  const nlohmann::json log = replay.Get("/_replay/log");
  ASSERT_GE(log.size(), 3u) << log.dump(1);
  EXPECT_EQ(log.back(), nlohmann::json({{"target", "AmazonAthena.StopQueryExecution"},
                                        {"body", {{"QueryExecutionId", "00001-aaaa-bbbb-cccc-000000000001"}}},
                                        {"signed", true}}));
  for (size_t k = 1; k + 1 < log.size(); ++k) EXPECT_EQ(log[k]["target"], "AmazonAthena.GetQueryExecution") << k;
}

// Ctrl-C while the polls are throttled (the client in a back-off of up to 20 s, then retrying):
// the back-off wakes, no more retries are made, and the query is stopped all the same.
TEST(AnalyzeAthena, CtrlCDuringAThrottledPollStopsTheQuery) {
  const Replay& replay = SharedReplay();
  replay.Reset();
  test::PostJson(replay.url() + "/_replay/plan", R"({"running": true, "throttle_polls": true})");
  auto polls = [&] {
    int n = 0;
    for (const auto& request : replay.Get("/_replay/log")) n += request["target"] == "AmazonAthena.GetQueryExecution";
    return n;
  };
  auto env = kEnv;
  // Enough attempts that their jittered back-offs cannot all pass before the signal (the chance
  // is below 1e-13), few enough that a client which sleeps through them fails in 31 s, not minutes.
  env["AWS_MAX_ATTEMPTS"] = "6";
  const auto r = test::RunWithEnv(AthenaArgs(replay, {}), env, "", [&](int pid) {
    // Once a poll has been refused: the client is in its back-off, or retrying.
    for (int k = 0; k < 1000 && polls() < 2; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    kill(pid, SIGINT);
  });
  EXPECT_EQ(r.signal, SIGINT);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "lambda-ir: interrupted: Athena query 00001-aaaa-bbbb-cccc-000000000001 stopped; 1048576 bytes "
                   "scanned\n");
  const nlohmann::json log = replay.Get("/_replay/log");
  ASSERT_GE(log.size(), 4u) << log.dump(1);
  EXPECT_EQ(log.back()["target"], "AmazonAthena.StopQueryExecution");
  // The start, the first poll, attempts of the throttled one until the signal, the stop: not
  // all 6, which a client sleeping through its back-offs would make.
  EXPECT_LT(log.size(), 1u + 1u + 6u + 1u) << log.dump(1);
  for (size_t k = 1; k + 1 < log.size(); ++k) EXPECT_EQ(log[k]["target"], "AmazonAthena.GetQueryExecution") << k;
}

// The stop that Ctrl-C asks for is retried like any call when Athena throttles it: the back-off
// the signal cuts short is the wait's, not the clean-up's.
TEST(AnalyzeAthena, AThrottledStopAfterCtrlCIsRetried) {
  const Replay& replay = SharedReplay();
  replay.Reset();
  test::PostJson(replay.url() + "/_replay/plan", R"({"running": true, "throttle_stop_once": true})");
  const auto r = test::RunWithEnv(AthenaArgs(replay, {}), kEnv, "", [&](int pid) {
    for (int k = 0; k < 1000 && replay.Get("/_replay/log").size() < 2; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    kill(pid, SIGINT);
  });
  EXPECT_EQ(r.signal, SIGINT);
  EXPECT_EQ(r.err, "lambda-ir: interrupted: Athena query 00001-aaaa-bbbb-cccc-000000000001 stopped; 1048576 bytes "
                   "scanned\n");
  const nlohmann::json log = replay.Get("/_replay/log");
  ASSERT_GE(log.size(), 4u) << log.dump(1);
  EXPECT_EQ(log[log.size() - 2]["target"], "AmazonAthena.StopQueryExecution");
  EXPECT_EQ(log.back()["target"], "AmazonAthena.StopQueryExecution");
}

// Ctrl-C while the start is throttled and retried: no query runs, so there is nothing to stop,
// and the process ends by the signal (not by the throttling error, exit 6, once retries end).
// The Ctrl-C of a start being retried, as the plan has it fail: the signal may come after a
// retry, so the request id (the count of requests so far) is any of the first few.
test::CommandResult InterruptedStart(const Replay& replay, const char* plan) {
  replay.Reset();
  test::PostJson(replay.url() + "/_replay/plan", plan);
  auto env = kEnv;
  env["AWS_MAX_ATTEMPTS"] = "6";  // as above: the back-offs cannot all pass before the signal
  const auto r = test::RunWithEnv(AthenaArgs(replay, {}), env, "", [&](int pid) {
    for (int k = 0; k < 1000 && replay.Get("/_replay/log").empty(); ++k) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid, SIGINT);
  });
  const nlohmann::json log = replay.Get("/_replay/log");
  EXPECT_FALSE(log.empty());
  EXPECT_LT(log.size(), 6u) << log.dump(1);
  for (const auto& request : log) EXPECT_EQ(request["target"], "AmazonAthena.StartQueryExecution");
  return r;
}

// Ctrl-C while the start is throttled and retried: Athena refused it, so no query runs, and the
// process ends by the signal (not by the throttling error, exit 6, once retries end).
TEST(AnalyzeAthena, CtrlCWhileTheStartIsRetriedEndsByTheSignal) {
  const auto r = InterruptedStart(SharedReplay(), R"({"throttle_start": true})");
  EXPECT_EQ(r.signal, SIGINT);
  EXPECT_TRUE(std::regex_match(r.err, std::regex(R"(lambda-ir: interrupted: the Athena query did not start \(StartQueryExecution: )"
                                                 R"(ThrottlingException: Rate exceeded \(HTTP 400, request id req-[1-5]\)\)\n)")))
      << r.err;
}

// A start whose answer was lost (a 5xx) may have run: the message says how to find it.
TEST(AnalyzeAthena, CtrlCWhileAFailedStartIsRetriedSaysItMayHaveRun) {
  const auto r = InterruptedStart(SharedReplay(), R"({"fail_start": true})");
  EXPECT_EQ(r.signal, SIGINT);
  EXPECT_TRUE(std::regex_match(r.err, std::regex(R"(lambda-ir: interrupted: the Athena query's start failed \(StartQueryExecution: )"
                                                 R"(InternalServerException: Internal error \(HTTP 500, request id req-[1-5]\)\) )"
                                                 R"(and may have run: find it with `aws athena list-query-executions` and stop it\n)")))
      << r.err;
}

// A Glue database or table named outside Athena (a crawler's, with a -) is quoted in the query
// and named as is to the API: the same records, the same report.
TEST(AnalyzeAthena, GlueNamesWithAHyphenAreQuoted) {
  const Replay& replay = SharedReplay();
  replay.Reset();
  const auto plain = test::RunWithEnv(AthenaArgs(replay, {"--account", "111122223333"}), kEnv);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  replay.Reset();
  auto args = AthenaArgs(replay, {"--account", "111122223333"});
  args[3] = "ir-logs.cloud-trail";
  const auto quoted = test::RunWithEnv(args, kEnv);
  ASSERT_EQ(quoted.exit_code, 0) << quoted.err;
  std::string expected = plain.out;  // the same, but for the issues' input name
  for (size_t at = 0; (at = expected.find("athena:db.cloudtrail", at)) != std::string::npos;) {
    expected.replace(at, std::strlen("athena:db.cloudtrail"), "athena:ir-logs.cloud-trail");
  }
  EXPECT_EQ(Report(quoted.out), Report(expected));
  const nlohmann::json log = replay.Get("/_replay/log");
  ASSERT_FALSE(log.empty());
  const nlohmann::json& start = log[0]["body"];
  EXPECT_EQ(start["QueryExecutionContext"], nlohmann::json({{"Database", "ir-logs"}}));
  EXPECT_NE(start["QueryString"].get<std::string>().find(R"( FROM "ir-logs"."cloud-trail" WHERE )"), std::string::npos);
}

// Flags that would write SQL of their own are refused before any call.
TEST(AnalyzeAthena, ATableNameThatIsNotDbDotTableIsRefusedBeforeAnyCall) {
  const Replay& replay = SharedReplay();
  replay.Reset();
  for (const std::string table : {"cloudtrail", "db.t; DROP TABLE x", "a.b.c"}) {
    auto args = AthenaArgs(replay, {});
    args[3] = table;
    const auto r = test::RunWithEnv(args, kEnv);
    EXPECT_EQ(r.exit_code, 2) << table;
    EXPECT_EQ(r.err, fmt::format("lambda-ir: --athena: '{}' is not DB.TABLE (letters, digits, _ and -)\n", table));
  }
  auto args = AthenaArgs(replay, {"--athena-partitions", "day"});
  const auto r = test::RunWithEnv(args, kEnv);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "lambda-ir: --athena-partitions: 'day' is not account, region, timestamp or none\n");
  EXPECT_EQ(replay.Get("/_replay/log"), nlohmann::json::array());
}

}  // namespace
}  // namespace lir
