// Findings into Security Hub (moto's BatchImportFindings): in batches of 100, upserted by
// their stable Ids, a finding moto rejects reported by its Id, a denied import reported with
// the grant to ask; and audit --to-security-hub end to end on the audit scenario.
#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "audit_fixture.h"
#include "aws/aws_session.h"
#include "report/report_sink.h"
#include "response/aws_calls.h"
#include "response/security_hub_import.h"
#include "test_support.h"

namespace lir {
namespace {

json ReadSecurityHub(const std::string& endpoint) {
  const auto r = test::RunPython("read_security_hub.py", {endpoint}, kAuditEnv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

// 250 findings of one rule on 250 functions, as ASFF for account 123456789012 (moto's).
json ManyFindings() {
  AnalysisResult r;
  for (int i = 0; i < 250; ++i) {
    Finding f;
    f.rule_id = "lambda_function_code_updated";
    f.severity = Severity::kMedium;
    f.title = "Lambda function code replaced";
    f.resource = "arn:aws:lambda:us-east-1:123456789012:function:fn-" + std::to_string(i);
    f.account = "123456789012";
    f.region = "us-east-1";
    r.findings.push_back(f);
  }
  return json::parse(RenderReport("asff", r, ReportContext{}, SinkOptions{}));
}

TEST(SecurityHub, ImportsInBatchesOfAHundredAndUpdatesOnASecondRun) {
  const std::string endpoint = test::FreshMoto();
  aws::MapEnvironment env({{"HOME", "/nonexistent"}, {"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"},
                           {"AWS_DEFAULT_REGION", "us-east-1"}, {"AWS_ENDPOINT_URL", endpoint}, {"AWS_EC2_METADATA_DISABLED", "true"}});
  auto session = std::move(*aws::AwsSession::Create({}, env, nullptr));
  AwsCalls calls(*session);
  json findings = ManyFindings();
  // moto refuses a finding without a resource: the one rejection is named, the rest go in.
  json broken = findings[120];
  broken["Id"] = "lambda-ir/broken";
  broken["Resources"] = json::array();
  findings.push_back(broken);
  const SecurityHubImport first = ImportToSecurityHub(calls, findings);
  EXPECT_EQ(first.batches, 3u);
  EXPECT_EQ(first.imported, 250u);
  ASSERT_EQ(first.rejected.size(), 1u);
  EXPECT_EQ(first.rejected[0].rfind("lambda-ir/broken: InvalidInput: ", 0), 0u) << first.rejected[0];
  EXPECT_FALSE(first.error);
  EXPECT_EQ(DescribeImport(first).rfind("Security Hub: 250 finding(s) imported in 3 call(s), 1 rejected:\n  lambda-ir/broken: ", 0), 0u)
      << DescribeImport(first);
  // The Ids are stable: the same findings again update the 250 instead of adding 250 more.
  const SecurityHubImport second = ImportToSecurityHub(calls, ManyFindings());
  EXPECT_EQ(second.imported, 250u);
  const json held = ReadSecurityHub(endpoint);
  ASSERT_EQ(held.size(), 250u);
  std::set<std::string> ours, theirs;
  for (const auto& f : ManyFindings()) ours.insert(f["Id"]);
  for (const auto& f : held) theirs.insert(f["Id"]);
  EXPECT_EQ(ours, theirs);
  EXPECT_EQ(held[0]["Severity"], "MEDIUM");
}

class AuditToSecurityHub : public Audit {};

TEST_F(AuditToSecurityHub, EveryFindingIsImportedWithItsRule) {
  const auto r = Lir({"audit", "--all-functions", "--regions", "us-east-1,us-west-2", "--format", "json", "--to-security-hub"});
  const json report = json::parse(r.out);
  const size_t count = report["findings"].size();
  ASSERT_GT(count, 10u);
  EXPECT_NE(r.err.find(fmt::format("lambda-ir: Security Hub: {} finding(s) imported in 1 call(s)\n", count)), std::string::npos)
      << r.err;
  std::multiset<std::string> ours, theirs;
  for (const auto& f : report["findings"]) ours.insert(f["id"].get<std::string>());
  for (const auto& f : ReadSecurityHub(control_->url())) theirs.insert(f["GeneratorId"].get<std::string>());
  EXPECT_EQ(ours, theirs);
  // What was sent is exactly what --format asff writes.
  const auto asff = Lir({"audit", "--all-functions", "--regions", "us-east-1,us-west-2", "--format", "asff"});
  EXPECT_EQ(json::parse(asff.out).size(), count);
  test::TempDir dir;
  test::WriteFile(dir.File("audit.asff.json"), asff.out);
  const auto checked = test::RunPython("check_report_format.py", {"asff", dir.File("audit.asff.json")});
  EXPECT_EQ(checked.out, fmt::format("ok {}\n", count)) << checked.err;
  // The same findings as OCSF, for a SIEM: one Detection Finding per line.
  const auto ocsf = Lir({"audit", "--all-functions", "--regions", "us-east-1,us-west-2", "--format", "ocsf"});
  test::WriteFile(dir.File("audit.ocsf.jsonl"), ocsf.out);
  EXPECT_EQ(test::RunPython("check_report_format.py", {"ocsf", dir.File("audit.ocsf.jsonl")}).out, fmt::format("ok {}\n", count));
}

TEST_F(AuditToSecurityHub, ADeniedImportSaysWhatToGrantAndKeepsTheReport) {
  Deny({"securityhub:BatchImportFindings"});
  const auto r = Lir({"audit", "--all-functions", "--regions", "us-east-1,us-west-2", "--format", "json", "--to-security-hub"});
  EXPECT_EQ(r.exit_code, 6);
  const size_t count = json::parse(r.out)["findings"].size();
  EXPECT_NE(r.err.find(fmt::format("Security Hub: 0 finding(s) imported in 0 call(s)\n  {} finding(s) not sent: ", count)),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("next: grant securityhub:BatchImportFindings to the caller"), std::string::npos) << r.err;
  EXPECT_EQ(ReadSecurityHub(control_->url()).size(), 0u);
}

}  // namespace
}  // namespace lir
