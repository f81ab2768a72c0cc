// `lambda-ir collect` against a seeded moto_server, then `verify` and `analyze` on the case.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace lir {
namespace {

const std::map<std::string, std::string> kEnv = {{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "planted-secret-key-7Qm2"},
                                                 {"AWS_SESSION_TOKEN", "planted-session-token-9Xv4"},
                                                 {"AWS_DEFAULT_REGION", "us-east-1"}};  // secrets: test::PlantedSecrets

TEST(Collect, PreservesConfigurationAsEvidenceAndAnalyzesIt) {
  const auto seed = test::RunPython("seed_moto.py", {test::FreshMoto()});
  ASSERT_EQ(seed.exit_code, 0) << seed.err;
  test::TempDir tmp;
  const std::string dir = tmp.File("cases/payments");
  // moto's Code.Location names a host on the internet: packages are tested through the proxy below.
  const auto r = test::RunWithEnv({test::BinaryPath(), "collect", "payments", "--case", dir, "--skip-packages", "--skip-cloudtrail",
                                   "--skip-logs", "--skip-metrics", "--endpoint-url", test::MotoEndpoint()}, kEnv);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("artifacts collected for payments"), std::string::npos);
  EXPECT_NE(r.out.find("provisioned-concurrency: the endpoint does not implement ListProvisionedConcurrencyConfigs"), std::string::npos);
  EXPECT_EQ(r.out.find("hunter2"), std::string::npos);

  // Responses are kept exactly as received: the function document is what the aws CLI gets.
  const auto stored = nlohmann::json::parse(test::ReadFile(dir + "/artifacts/lambda/payments/function.json"));
  const auto cli = test::RunPython("aws_cli.py", {"lambda", "get-function", "--function-name", "payments", "--endpoint-url",
                                     test::MotoEndpoint(), "--output", "json"}, kEnv);
  ASSERT_EQ(cli.exit_code, 0);
  const auto theirs = nlohmann::json::parse(cli.out);
  EXPECT_EQ(stored["Configuration"]["CodeSha256"], theirs["Configuration"]["CodeSha256"]);
  EXPECT_EQ(stored["Configuration"]["Environment"]["Variables"]["DB_PASSWORD"], "hunter2");  // the only record of it
  struct stat st {};
  ASSERT_EQ(stat((dir + "/artifacts/lambda/payments/function.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0400);
  for (const char* path : {"artifacts/lambda/payments/version-1/function.json", "artifacts/lambda/payments/policy.json",
                           "artifacts/lambda/payments/url.json", "artifacts/lambda/payments/concurrency.json",
                           "artifacts/lambda/payments/event-source-mappings.page-1.json", "artifacts/iam/roles/payments-role/role.json",
                           "artifacts/iam/roles/payments-role/inline-inline-logs.json",
                           "artifacts/iam/roles/payments-role/attached-ir-test-policy-v1.json"}) {
    EXPECT_EQ(stat((dir + "/" + path).c_str(), &st), 0) << path;
  }
  const auto manifest = nlohmann::json::parse(test::ReadFile(dir + "/manifest.json"));
  bool found_request_id = false;
  for (const auto& a : manifest["artifacts"]) {
    if (a["path"] == "artifacts/lambda/payments/function.json") {
      EXPECT_EQ(a["source"]["operation"], "GetFunction");
      found_request_id = !a["source"]["request_id"].get<std::string>().empty();
    }
  }
  EXPECT_TRUE(found_request_id);
  EXPECT_NE(test::ReadFile(dir + "/custody.log").find("arn:aws:sts::123456789012:user/moto"), std::string::npos);

  EXPECT_EQ(test::RunTool({"verify", dir}).exit_code, 0);
  const auto analysis = test::RunTool({"analyze", dir, "--format", "json"});
  ASSERT_EQ(analysis.exit_code, 0) << analysis.err;
  EXPECT_EQ(analysis.out.find("hunter2"), std::string::npos);
  std::set<std::string> rules;
  const auto report = nlohmann::json::parse(analysis.out);  // a named value: range-for over a temporary's member dangles
  for (const auto& f : report["findings"]) rules.insert(f["rule_id"].get<std::string>());
  EXPECT_EQ(rules, (std::set<std::string>{"lambda_config_env_secret", "lambda_config_no_code_signing", "lambda_config_url_public"}));
}

TEST(Collect, UnknownFunctionFailsCleanly) {
  test::TempDir tmp;
  const auto r = test::RunWithEnv({test::BinaryPath(), "collect", "ghost", "--case", tmp.File("c"), "--skip-packages", "--skip-cloudtrail",
                                   "--skip-logs", "--skip-metrics", "--endpoint-url", test::MotoEndpoint()}, kEnv);
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("cannot read function ghost"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// Packages: moto's Code.Location cannot be downloaded, so a loopback proxy in front of moto
// points it at itself and serves the exact zip Lambda hashed (or a tampered copy).
struct PackageRun {
  test::CommandResult collect;
  std::string dir, package;
};

PackageRun CollectThroughPackageProxy(const test::TempDir& tmp, bool tamper) {
  const auto seed = test::RunPython("seed_moto.py", {test::FreshMoto(), tmp.path()});
  EXPECT_EQ(seed.exit_code, 0) << seed.err;
  std::vector<std::string> argv{"python3", test::SourceDir() + "/tests/servers/code_location_proxy.py", test::MotoEndpoint(), tmp.path()};
  if (tamper) argv.push_back("--tamper");
  test::ChildServer proxy(argv);
  PackageRun run;
  run.dir = tmp.File(tamper ? "cases/tampered" : "cases/clean");
  run.collect = test::RunWithEnv({test::BinaryPath(), "collect", "payments", "--case", run.dir, "--skip-cloudtrail", "--skip-logs", "--skip-metrics",
                                  "--endpoint-url", proxy.url(), "--debug"}, kEnv);
  run.package = test::ReadFile(tmp.File("payments.zip"));
  return run;
}

TEST(CollectPackages, StoredExactlyAndVerifiedAgainstCodeSha256) {
  test::TempDir tmp;
  const PackageRun run = CollectThroughPackageProxy(tmp, false);
  ASSERT_EQ(run.collect.exit_code, 0) << run.collect.out << run.collect.err.substr(0, 2000);
  EXPECT_EQ(test::ReadFile(run.dir + "/artifacts/lambda/payments/code.zip"), run.package);
  EXPECT_EQ(test::ReadFile(run.dir + "/artifacts/lambda/payments/version-1/code.zip"), run.package);
  EXPECT_NE(test::ReadFile(run.dir + "/custody.log").find("package-verified"), std::string::npos);
  // The presigned URL is a credential: the debug log shows its parameters redacted.
  EXPECT_EQ(run.collect.err.find("presigned-secret"), std::string::npos);
  EXPECT_EQ(run.collect.err.find("0123abcd"), std::string::npos);
  const auto analysis = test::RunTool({"analyze", run.dir, "--format", "json"});
  EXPECT_EQ(analysis.out.find("lambda_config_package_mismatch"), std::string::npos);
}

TEST(CollectPackages, MismatchIsAFindingNeverSilentlyAccepted) {
  test::TempDir tmp;
  const PackageRun run = CollectThroughPackageProxy(tmp, true);
  EXPECT_EQ(run.collect.exit_code, 6);
  EXPECT_NE(run.collect.out.find("CodeSha256 mismatch"), std::string::npos) << run.collect.out;
  EXPECT_EQ(test::ReadFile(run.dir + "/artifacts/lambda/payments/code.zip"), run.package + "x");  // kept as received
  EXPECT_NE(test::ReadFile(run.dir + "/custody.log").find("package-sha256-mismatch"), std::string::npos);
  EXPECT_EQ(test::RunTool({"verify", run.dir}).exit_code, 0);  // the case itself is intact
  const auto analysis = test::RunTool({"analyze", run.dir, "--format", "json", "--fail-on", "critical"});
  EXPECT_EQ(analysis.exit_code, 1);
  EXPECT_NE(analysis.out.find("lambda_config_package_mismatch"), std::string::npos);
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// CloudTrail for the case: moto lacks LookupEvents, so AWS_ENDPOINT_URL_CLOUDTRAIL points at
// the loopback replay of real-format pages (the corpora's records) while Lambda and IAM go to moto.
TEST(CollectCloudTrail, LookupPagesLandInTheCaseAndAnalyzeReadsThem) {
  LIR_REQUIRE_CORPORA();
  ASSERT_EQ(test::RunPython("seed_moto.py", {test::FreshMoto()}).exit_code, 0);
  test::TempDir tmp;
  test::ChildServer replay({"python3", test::SourceDir() + "/tests/servers/lookup_events_replay.py", test::CorporaDir(), tmp.File("log")});
  std::map<std::string, std::string> env = kEnv;
  env["AWS_ENDPOINT_URL"] = test::MotoEndpoint();
  env["AWS_ENDPOINT_URL_CLOUDTRAIL"] = replay.url();
  const std::string dir = tmp.File("case");
  const auto r = test::RunWithEnv({test::BinaryPath(), "collect", "payments", "--case", dir, "--skip-packages", "--skip-logs",
                                   "--since", "2014-01-01T00:00Z"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // Three queries (EventSource, the function, its role), each as received.
  std::ifstream log(tmp.File("log"));
  std::set<std::string> asked;
  for (std::string line; std::getline(log, line);) {
    const auto entry = nlohmann::json::parse(line);
    const auto body = nlohmann::json::parse(entry["body"].get<std::string>());
    asked.insert(body["LookupAttributes"][0]["AttributeValue"].get<std::string>());
    EXPECT_EQ(body["StartTime"], 1388534400.0);
  }
  EXPECT_EQ(asked, (std::set<std::string>{"lambda.amazonaws.com", "payments", "payments-role"}));
  struct stat st {};
  EXPECT_EQ(stat((dir + "/artifacts/cloudtrail/lookup-EventSource-lambda.amazonaws.com.page-1.json").c_str(), &st), 0);
  EXPECT_EQ(test::RunTool({"verify", dir}).exit_code, 0);
  const auto analysis = test::RunTool({"analyze", dir, "--format", "json"});
  const auto report = nlohmann::json::parse(analysis.out);
  EXPECT_GT(report["stats"]["duplicate_events"].get<int>(), 0);  // the same events under three queries, kept once
  std::set<std::string> rules;
  for (const auto& f : report["findings"]) rules.insert(f["rule_id"].get<std::string>());
  EXPECT_TRUE(rules.count("lambda_function_deleted")) << analysis.out.substr(0, 2000);
  EXPECT_TRUE(rules.count("lambda_config_url_public"));
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

TEST(CollectLogs, FunctionLogsAreKeptAsJsonLinesAndAnalyzed) {
  ASSERT_EQ(test::RunPython("seed_moto.py", {test::FreshMoto()}).exit_code, 0);
  // What a backdoored handler prints, added to the seeded log stream with the aws CLI.
  const std::string events = R"([{"timestamp":1795766460000,"message":"posting to https://exfil.example.net:8443/c2"},)"
                             R"({"timestamp":1795766461000,"message":"dumped AWS_SESSION_TOKEN=FwoGZXIvYXdzEXAMPLE from env"}])";
  const auto put = test::RunPython("aws_cli.py", {"logs", "put-log-events", "--log-group-name", "/aws/lambda/payments", "--log-stream-name",
                                     "2026/11/27/[$LATEST]abc", "--log-events", events, "--endpoint-url", test::MotoEndpoint()}, kEnv);
  ASSERT_EQ(put.exit_code, 0) << put.err;
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  const auto r = test::RunWithEnv({test::BinaryPath(), "collect", "payments", "--case", dir, "--skip-packages", "--skip-cloudtrail",
                                   "--since", "2026-11-27T00:00Z", "--until", "2026-11-28T00:00Z", "--endpoint-url", test::MotoEndpoint()},
                                  kEnv);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string jsonl = test::ReadFile(dir + "/artifacts/logs/payments/events.jsonl");
  EXPECT_EQ(std::count(jsonl.begin(), jsonl.end(), '\n'), 7);  // five seeded START lines and the two above
  EXPECT_NE(jsonl.find("\"message\":\"START RequestId: 0\""), std::string::npos);
  const auto analysis = test::RunTool({"analyze", dir, "--format", "json"});
  EXPECT_EQ(analysis.out.find("FwoGZXIvYXdzEXAMPLE"), std::string::npos);
  const auto report = nlohmann::json::parse(analysis.out);
  std::set<std::string> rules;
  for (const auto& f : report["findings"]) rules.insert(f["rule_id"].get<std::string>());
  EXPECT_TRUE(rules.count("lambda_logs_credential_access"));
  EXPECT_TRUE(rules.count("lambda_logs_outbound_indicator"));
}

// The compromised function writes its own logs: a 200 KB line (CloudWatch takes 256 KB) used to
// crash collect --debug (redaction) and analyze (indicators) with a stack overflow.
TEST(CollectLogs, AnAttackersLongLogLineIsCollectedLoggedAndAnalyzed) {
  ASSERT_EQ(test::RunPython("seed_moto.py", {test::FreshMoto()}).exit_code, 0);
  test::TempDir tmp;
  const std::string message = "GET http://" + std::string(100 * 1024, 'a') + ".example.net/?X-Amz-Signature=" + std::string(100 * 1024, 'b');
  test::WriteFile(tmp.File("events.json"), nlohmann::json::array({{{"timestamp", 1795766460000}, {"message", message}}}).dump());
  const auto put = test::RunPython("aws_cli.py", {"logs", "put-log-events", "--log-group-name", "/aws/lambda/payments", "--log-stream-name",
                                     "2026/11/27/[$LATEST]abc", "--log-events", "file://" + tmp.File("events.json"),
                                     "--endpoint-url", test::MotoEndpoint()}, kEnv);
  ASSERT_EQ(put.exit_code, 0) << put.err;
  const std::string dir = tmp.File("case");
  const auto r = test::RunWithEnv({test::BinaryPath(), "collect", "payments", "--case", dir, "--skip-packages", "--skip-cloudtrail",
                                   "--since", "2026-11-27T00:00Z", "--until", "2026-11-28T00:00Z", "--debug",
                                   "--endpoint-url", test::MotoEndpoint()}, kEnv);
  ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);
  const auto analysis = test::RunTool({"analyze", dir, "--format", "json"});
  ASSERT_EQ(analysis.exit_code, 0) << analysis.err;
  const auto report = nlohmann::json::parse(analysis.out);
  std::vector<std::string> outbound;
  for (const auto& f : report["findings"]) {
    if (f["rule_id"] == "lambda_logs_outbound_indicator") outbound = f["event_ids"].get<std::vector<std::string>>();
  }
  EXPECT_EQ(outbound, std::vector<std::string>{"artifacts/logs/payments/events.jsonl#L6"});
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

TEST(CollectMetrics, WindowAndBaselineAreCollectedAndScored) {
  ASSERT_EQ(test::RunPython("seed_moto.py", {test::FreshMoto()}).exit_code, 0);
  ASSERT_EQ(test::RunPython("seed_metrics.py", {test::MotoEndpoint()}).exit_code, 0);
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  const auto r = test::RunWithEnv({test::BinaryPath(), "collect", "payments", "--case", dir, "--skip-packages", "--skip-cloudtrail",
                                   "--skip-logs", "--since", "2026-11-27T08:00Z", "--until", "2026-11-27T12:00Z",
                                   "--endpoint-url", test::MotoEndpoint()}, kEnv);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(test::ReadFile(dir + "/artifacts/metrics/payments/window.page-1.xml").find("<Id>invocations</Id>"), std::string::npos);
  const auto report = nlohmann::json::parse(test::RunTool({"analyze", dir, "--format", "json"}).out);
  bool anomaly = false;
  for (const auto& f : report["findings"]) {
    if (f["rule_id"] == "lambda_metrics_anomaly") {
      anomaly = true;
      EXPECT_EQ(f["event_name"], "invocations");
    }
  }
  EXPECT_TRUE(anomaly);
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

std::multiset<std::string> FindingKeys(const nlohmann::json& report) {
  std::multiset<std::string> keys;
  for (const auto& f : report["findings"]) {
    keys.insert(f["rule_id"].get<std::string>() + "|" + f["resource"].get<std::string>() + "|" + f["title"].get<std::string>());
  }
  return keys;
}

TEST(Investigate, LiveRunAndLaterOfflineAnalysisGiveTheSameFindings) {
  ASSERT_EQ(test::RunPython("seed_moto.py", {test::FreshMoto()}).exit_code, 0);
  const auto update = test::RunPython("aws_cli.py", {"lambda", "update-function-configuration", "--function-name", "payments",
                                        "--environment", "Variables={NODE_OPTIONS=--require /tmp/x.js,DB_PASSWORD=hunter2}",
                                        "--endpoint-url", test::MotoEndpoint()}, kEnv);
  ASSERT_EQ(update.exit_code, 0) << update.err;
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  const auto live = test::RunWithEnv({test::BinaryPath(), "investigate", "payments", "--case", dir, "--skip-packages", "--skip-cloudtrail",
                                      "--since", "2026-11-27T00:00Z", "--until", "2026-11-28T00:00Z", "--format", "json",
                                      "--endpoint-url", test::MotoEndpoint()}, kEnv);
  ASSERT_EQ(live.exit_code, 0) << live.err;
  const std::string json_part = live.out.substr(live.out.find("{\n"));  // after collect's summary lines
  const auto live_report = nlohmann::json::parse(json_part);
  EXPECT_EQ(live.out.find("/tmp/x.js"), std::string::npos);
  EXPECT_EQ(live.out.find("hunter2"), std::string::npos);
  const auto offline = test::RunTool({"analyze", dir, "--function", "payments", "--format", "json"});
  EXPECT_EQ(FindingKeys(live_report), FindingKeys(nlohmann::json::parse(offline.out)));
  EXPECT_EQ(FindingKeys(live_report).count("lambda_config_env_runtime_hijack|arn:aws:lambda:us-east-1:123456789012:function:payments|"
                                            "Environment variable NODE_OPTIONS can run code before the handler"), 1u);
  // The report is in the case, listed and hashed; the case verifies.
  EXPECT_EQ(test::RunTool({"verify", dir}).exit_code, 0);
  EXPECT_NE(test::ReadFile(dir + "/manifest.json").find("reports/analysis-"), std::string::npos);
  // The case's SQLite index holds the same findings, and every artifact and log line.
  const auto counts = test::RunCommand({"python3", "-c",
                                        "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]);"
                                        "print(*[db.execute('select count(*) from '+t).fetchone()[0] for t in ('findings','artifacts','log_lines')])",
                                        dir + "/index.sqlite"});
  ASSERT_EQ(counts.exit_code, 0) << counts.err;
  const auto manifest = nlohmann::json::parse(test::ReadFile(dir + "/manifest.json"));
  EXPECT_EQ(counts.out, fmt::format("{} {} 5\n", live_report["findings"].size(), manifest["artifacts"].size()));
  // Values only on request.
  const auto revealed = test::RunTool({"analyze", dir, "--format", "json", "--reveal-secrets"});
  EXPECT_NE(revealed.out.find("/tmp/x.js"), std::string::npos);
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// --cloudtrail s3://: the bundled sample archive in a moto bucket, copied into the case;
// analysing the case finds what analysing the archive directly finds.
TEST(CollectArchive, S3TrailArchiveGivesTheSameFindingsAsTheFiles) {
  ASSERT_EQ(test::RunPython("seed_moto.py", {test::FreshMoto()}).exit_code, 0);
  const auto upload = test::RunPython("aws_cli.py", {"s3", "cp", "--recursive", "--quiet", test::SourceDir() + "/examples/incident",
                                        "s3://trail-archive/", "--endpoint-url", test::MotoEndpoint()}, kEnv);
  ASSERT_EQ(upload.exit_code, 0) << upload.err;
  test::TempDir tmp;
  const std::string dir = tmp.File("case");
  const auto r = test::RunWithEnv({test::BinaryPath(), "collect", "payments", "--case", dir, "--skip-packages", "--skip-logs",
                                   "--skip-metrics", "--cloudtrail", "s3://trail-archive/AWSLogs/", "--since", "2026-11-25T00:00Z",
                                   "--until", "2026-11-27T00:00Z", "--endpoint-url", test::MotoEndpoint()}, kEnv);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto trail_findings = [](const std::string& json) {
    std::set<std::string> out;
    const auto report = nlohmann::json::parse(json);
    for (const auto& f : report["findings"]) {
      const std::string rule = f["rule_id"];
      if (rule.rfind("lambda_config_", 0) == 0) continue;  // from the collected configuration, not the trail
      out.insert(rule + "|" + f["event_ids"].dump());
    }
    return out;
  };
  const auto from_case = test::RunTool({"analyze", dir, "--format", "json"});
  const auto from_files = test::RunTool({"analyze", test::SourceDir() + "/examples/incident", "--format", "json"});
  EXPECT_EQ(trail_findings(from_case.out), trail_findings(from_files.out));
  EXPECT_GT(trail_findings(from_files.out).size(), 20u);
  EXPECT_EQ(test::RunTool({"verify", dir}).exit_code, 0);
}

// Whoever can write to the trail bucket cannot fill the case or the memory: only trail files
// are copied, and one larger than a trail file is (64 MiB) is named, not copied. Every object was
// held whole and copied before.
TEST(CollectArchive, OnlyTrailFilesOfATrailFilesSizeAreCopied) {
  ASSERT_EQ(test::RunPython("seed_moto.py", {test::FreshMoto()}).exit_code, 0);
  test::TempDir tmp;
  const std::string day = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/26/";
  test::WriteFile(tmp.File("trail/" + day + "111122223333_CloudTrail_us-east-1_20261126T0000Z_big.json.gz"),
                  std::string((64 << 20) + 1, 'x'));
  test::WriteFile(tmp.File("trail/" + day + "notes.txt"), "not a trail file");
  test::WriteFile(tmp.File("trail/" + day + "111122223333_CloudTrail_us-east-1_20261126T0005Z_ok.json"), R"({"Records":[]})");
  const auto upload = test::RunPython("aws_cli.py", {"s3", "cp", "--recursive", "--quiet", tmp.File("trail"), "s3://trail-archive/",
                                                     "--endpoint-url", test::MotoEndpoint()}, kEnv);
  ASSERT_EQ(upload.exit_code, 0) << upload.err;
  const std::string dir = tmp.File("case");
  const auto r = test::RunWithEnv({test::BinaryPath(), "collect", "payments", "--case", dir, "--skip-packages", "--skip-logs",
                                   "--skip-metrics", "--cloudtrail", "s3://trail-archive/AWSLogs/", "--since", "2026-11-25T00:00Z",
                                   "--until", "2026-11-27T00:00Z", "--endpoint-url", test::MotoEndpoint()}, kEnv);
  EXPECT_EQ(r.exit_code, 6) << r.out << r.err;
  EXPECT_NE(r.out.find("  FAILED: s3://trail-archive/" + day + "111122223333_CloudTrail_us-east-1_20261126T0000Z_big.json.gz: 67108865 "
                       "bytes, more than a trail file takes (67108864): not copied\n"),
            std::string::npos)
      << r.out;
  std::set<std::string> copied;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir + "/artifacts/cloudtrail")) {
    if (entry.is_regular_file()) copied.insert(entry.path().filename().string());
  }
  // seed_moto.py's own trail files (f0..f2.json.gz) and ours that is one: the rest is not.
  EXPECT_EQ(copied, (std::set<std::string>{"111122223333_CloudTrail_us-east-1_20261126T0005Z_ok.json", "f0.json.gz", "f1.json.gz",
                                           "f2.json.gz"}));
}

}  // namespace
}  // namespace lir
