// The report formats on a collected case (moto): SARIF and OCSF point at the log line in the
// case, each valid as its consumer reads it; the HTML report shows the case's integrity as verify proves it,
// and a changed artifact as a problem.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace lir {
namespace {

const std::map<std::string, std::string> kEnv = {{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "planted-secret-key-7Qm2"},
                                                 {"AWS_DEFAULT_REGION", "us-east-1"}};

class ReportOnACase : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(test::RunPython("seed_moto.py", {test::FreshMoto()}).exit_code, 0);
    const std::string events = R"([{"timestamp":1795766461000,"message":"dumped AWS_SESSION_TOKEN=FwoGZXIvYXdzEXAMPLE from env"}])";
    ASSERT_EQ(test::RunPython("aws_cli.py", {"logs", "put-log-events", "--log-group-name", "/aws/lambda/payments", "--log-stream-name",
                                             "2026/11/27/[$LATEST]abc", "--log-events", events, "--endpoint-url", test::MotoEndpoint()},
                              kEnv)
                  .exit_code,
              0);
    dir_ = tmp_.File("case");
    const auto r = test::RunWithEnv({test::BinaryPath(), "collect", "payments", "--case", dir_, "--skip-packages", "--skip-cloudtrail",
                                     "--since", "2026-11-27T00:00Z", "--until", "2026-11-28T00:00Z", "--endpoint-url",
                                     test::MotoEndpoint()},
                                    kEnv);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  test::TempDir tmp_;
  std::string dir_;
};

TEST_F(ReportOnACase, SarifPointsAtTheLogLine) {
  const auto r = test::RunTool({"analyze", dir_, "--format", "sarif", "--out", tmp_.File("case.sarif")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(test::ReadFile(tmp_.File("case.sarif")));
  const std::string jsonl = test::ReadFile(dir_ + "/artifacts/logs/payments/events.jsonl");
  // The line of the planted message in the collected file, counted here.
  const size_t at = jsonl.find("dumped AWS_SESSION_TOKEN");
  ASSERT_NE(at, std::string::npos);
  const int line = 1 + static_cast<int>(std::count(jsonl.begin(), jsonl.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  bool found = false;
  for (const auto& result : doc["runs"][0]["results"]) {
    if (result["ruleId"] != "lambda_logs_credential_access") continue;
    found = true;
    const auto& physical = result["locations"][0]["physicalLocation"];
    EXPECT_EQ(physical["artifactLocation"]["uri"], "artifacts/logs/payments/events.jsonl");
    EXPECT_EQ(physical["region"]["startLine"], line);
  }
  EXPECT_TRUE(found);
  const auto checked = test::RunPython("check_report_format.py", {"sarif", tmp_.File("case.sarif")});
  EXPECT_EQ(checked.exit_code, 0) << checked.out;
  EXPECT_EQ(test::ReadFile(tmp_.File("case.sarif")).find("FwoGZXIvYXdzEXAMPLE"), std::string::npos);
}

TEST_F(ReportOnACase, OcsfFindingsNameTheLogFileAndLine) {
  const auto r = test::RunTool({"analyze", dir_, "--format", "ocsf", "--out", tmp_.File("case.ocsf.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string out = test::ReadFile(tmp_.File("case.ocsf.jsonl"));
  const std::string jsonl = test::ReadFile(dir_ + "/artifacts/logs/payments/events.jsonl");
  const size_t at = jsonl.find("dumped AWS_SESSION_TOKEN");
  ASSERT_NE(at, std::string::npos);
  const int line = 1 + static_cast<int>(std::count(jsonl.begin(), jsonl.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  size_t found = 0;
  std::istringstream lines(out);
  for (std::string text; std::getline(lines, text);) {
    const auto event = nlohmann::json::parse(text);
    if (event["finding_info"]["analytic"]["uid"] != "lambda_logs_credential_access") continue;
    ++found;
    EXPECT_EQ(event["evidences"][0]["file"]["path"], "artifacts/logs/payments/events.jsonl");
    EXPECT_EQ(event["evidences"][0]["file"]["name"], "events.jsonl");
    EXPECT_EQ(event["evidences"][0]["data"]["line"], line);
    EXPECT_EQ(event["resources"][0]["type"], "AWS::Lambda::Function");
  }
  EXPECT_EQ(found, 1u);
  const auto checked = test::RunPython("check_report_format.py", {"ocsf", tmp_.File("case.ocsf.jsonl")});
  EXPECT_EQ(checked.exit_code, 0) << checked.out;
  EXPECT_EQ(out.find("FwoGZXIvYXdzEXAMPLE"), std::string::npos);
}

// The summary of a case: its next steps act in that case, and what the case shows (a log
// line, a configuration) is evidence, not an actor.
TEST_F(ReportOnACase, SummaryNamesTheCaseAndOnlyRealActors) {
  const auto r = test::RunTool({"analyze", dir_, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out)["summary"];
  ASSERT_EQ(summary["incident"], true);
  for (const auto& a : summary["actors"]) EXPECT_NE(a["actor"].get<std::string>().front(), '(') << a;
  ASSERT_FALSE(summary["next"].empty());
  EXPECT_EQ(summary["next"][0].get<std::string>().rfind("lambda-ir contain --case " + dir_ + " -- ", 0), 0u) << summary["next"][0];
}

TEST_F(ReportOnACase, HtmlShowsTheCasesIntegrity) {
  ASSERT_EQ(test::RunTool({"analyze", dir_, "--format", "html", "--out", tmp_.File("intact.html")}).exit_code, 0);
  const std::string intact = test::ReadFile(tmp_.File("intact.html"));
  EXPECT_NE(intact.find("<h2>Case integrity</h2><p><code>" + dir_ + "</code>: "), std::string::npos);
  EXPECT_NE(intact.find("<span class=\"ok\">intact</span>"), std::string::npos);
  const auto rendered = test::RunPython("check_report_format.py", {"html", tmp_.File("intact.html")});
  EXPECT_EQ(rendered.exit_code, 0) << rendered.out;
  // An artifact changed after collection: the report says so.
  const std::string artifact = dir_ + "/artifacts/logs/payments/events.jsonl";
  ASSERT_EQ(chmod(artifact.c_str(), 0600), 0);
  test::WriteFile(artifact, "{}\n");
  ASSERT_EQ(test::RunTool({"analyze", dir_, "--format", "html", "--out", tmp_.File("changed.html")}).exit_code, 0);
  const std::string changed = test::ReadFile(tmp_.File("changed.html"));
  EXPECT_NE(changed.find("<span class=\"bad\">2 problem(s)</span></p><ul><li>writable artifacts/logs/payments/events.jsonl: "
                        "artifact is writable (mode 600)</li><li>size-changed artifacts/logs/payments/events.jsonl: size 3 but "),
            std::string::npos)
      << changed.substr(changed.find("Case integrity"), 600);
}

}  // namespace
}  // namespace lir
