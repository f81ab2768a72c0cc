// `lambda-ir audit --least-privilege` against the audit scenario (audit_fixture.h): IAM's
// last-accessed reports (tests/servers/iam_last_accessed.py, which moto lacks) and a trail
// archive of the roles' sessions, judged into unused grants and a generated policy.
#include "audit_fixture.h"

#include <fmt/format.h>

#include "core/time.h"
#include "assumed_role_record.h"

namespace lir {
namespace {

constexpr const char* kWorkerRole = "arn:aws:iam::123456789012:role/worker-role";
constexpr const char* kLegacyRole = "arn:aws:iam::123456789012:role/legacy-role";
constexpr TimestampMs kHour = TimestampMs{3600} * 1000;

std::string Iso(TimestampMs t) { return FormatIso8601(t - t % 1000); }

json Record(TimestampMs time, const char* source, const char* name, const char* role, const char* session, const char* error = "") {
  return test::AssumedRoleRecord(Iso(time), source, name, role, session, error);
}

const json* LeastPrivilegeOf(const json& report, const std::string& role) {
  for (const json& lp : report["least_privilege"]) {
    if (lp["role"] == role) return &lp;
  }
  return nullptr;
}

class AuditUsage : public Audit {
 protected:
  void SetUp() override {
    Audit::SetUp();
    now_ = NowMs();
    // worker: DynamoDB used (GetItem by IAM, DescribeTable by both), DeleteTable never.
    // legacy (an administrator role): S3 in use, IAM never, SQS not for 200 days. One service a
    // page: legacy's report comes in three.
    SeedLastAccessed({{"_page_size", 1},
                      {kWorkerRole,
                       {{{"ServiceNamespace", "dynamodb"},
                         {"ServiceName", "Amazon DynamoDB"},
                         {"LastAuthenticated", Iso(now_ - 24 * kHour)},
                         {"TrackedActionsLastAccessed",
                          {{{"ActionName", "GetItem"}, {"LastAccessedTime", Iso(now_ - 24 * kHour)}},
                           {{"ActionName", "DescribeTable"}, {"LastAccessedTime", Iso(now_ - 48 * kHour)}},
                           {{"ActionName", "DeleteTable"}}}}}}},
                      {kLegacyRole,
                       {{{"ServiceNamespace", "iam"}, {"ServiceName", "AWS Identity and Access Management"}},
                        {{"ServiceNamespace", "s3"}, {"ServiceName", "Amazon S3"}, {"LastAuthenticated", Iso(now_ - 3 * kHour)}},
                        {{"ServiceNamespace", "sqs"}, {"ServiceName", "Amazon SQS"}, {"LastAuthenticated", Iso(now_ - 200 * 24 * kHour)}},
                        // Lambda made legacy's network interfaces at its deploy, long ago; it never ran.
                        {{"ServiceNamespace", "ec2"}, {"ServiceName", "Amazon EC2"}, {"LastAuthenticated", Iso(now_ - 200 * 24 * kHour)}},
                        {{"ServiceNamespace", "logs"}, {"ServiceName", "Amazon CloudWatch Logs"}}}}});
    // A week of trail: someone's call opens it, worker's calls inside it.
    const json records = {Record(now_ - 8 * 24 * kHour, "sts.amazonaws.com", "GetCallerIdentity", "ops", "alice"),
                          Record(now_ - 48 * kHour, "dynamodb.amazonaws.com", "DescribeTable", "worker-role", "worker"),
                          Record(now_ - 47 * kHour, "iam.amazonaws.com", "CreateUser", "worker-role", "worker", "AccessDenied"),
                          Record(now_ - kHour, "sts.amazonaws.com", "GetCallerIdentity", "ops", "alice")};
    test::WriteFile(trail_.File("trail.json"), json{{"Records", records}}.dump());
  }

  std::vector<std::string> Args() const {
    auto args = AllFunctions();
    args.insert(args.end(), {"--least-privilege", "--usage-window", "7d", "--cloudtrail", trail_.path()});
    return args;
  }

  TimestampMs now_ = 0;
  test::TempDir trail_;
};

TEST_F(AuditUsage, UnusedGrantsAndTheGeneratedPolicy) {
  const auto r = Lir(Args());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json report = json::parse(r.out);
  std::set<std::string> flagged;
  for (const json& f : report["findings"]) {
    if (f["id"] == "lambda_posture_unused_permissions") flagged.insert(f["resource"]);
  }
  EXPECT_EQ(flagged, (std::set<std::string>{kWorkerRole, kLegacyRole}));  // clean-role uses what it has

  const json* worker = LeastPrivilegeOf(report, kWorkerRole);
  ASSERT_NE(worker, nullptr) << report.dump(2);
  // dynamodb:* becomes what was used and the item- and stream-level actions no management event
  // shows; DeleteTable, which IAM says was never used, goes.
  const json expected_policy = json::parse(R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
      "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
      "dynamodb:DescribeStream", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
      "dynamodb:ListStreams", "dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate",
      "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:TransactGetItems", "dynamodb:TransactWriteItems",
      "dynamodb:UpdateItem"],
      "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/jobs"}]})");
  EXPECT_EQ((*worker)["policy"], expected_policy);
  EXPECT_EQ((*worker)["used"], json({fmt::format("dynamodb:DescribeTable (CloudTrail: 1 call(s), last {})", Iso(now_ - 48 * kHour).substr(0, 10)),
                                     fmt::format("dynamodb:GetItem (IAM: last {})", Iso(now_ - 24 * kHour).substr(0, 10))}));
  const std::string narrowed = (*worker)["narrowed"][0];
  EXPECT_EQ(narrowed.rfind("dynamodb:* (inline policy tables) -> dynamodb:BatchGetItem, ", 0), 0u) << narrowed;
  EXPECT_EQ(narrowed.find("DeleteTable"), std::string::npos);
  EXPECT_EQ((*worker)["witnesses"][0],
            fmt::format("CloudTrail: 4 events in 1 file(s), {} to {}", Iso(now_ - 8 * 24 * kHour).substr(0, 10), Iso(now_ - kHour).substr(0, 10)));
  EXPECT_EQ((*worker)["witnesses"][1], "IAM last accessed: 1 service(s) the role's policies allow");

  // The administrator role: the S3 it uses is left, whole (nothing shows which S3 actions), with
  // what Lambda does with it: logs, and the network interfaces of legacy's VPC.
  const json* legacy = LeastPrivilegeOf(report, kLegacyRole);
  ASSERT_NE(legacy, nullptr);
  EXPECT_EQ((*legacy)["policy"], json::parse(R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
      "ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:UnassignPrivateIpAddresses",
      "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "s3:*"], "Resource": "*"}]})"));
  EXPECT_EQ((*legacy)["unused_services"], json({"iam (IAM: never used)", fmt::format("sqs (IAM: last used {})", Iso(now_ - 200 * 24 * kHour).substr(0, 10))}));

  const json* clean = LeastPrivilegeOf(report, "arn:aws:iam::123456789012:role/clean-role");
  ASSERT_NE(clean, nullptr);
  EXPECT_EQ((*clean)["grants_less"], false);
  EXPECT_EQ((*clean)["kept_unseen"], json({"s3:GetObject: no management event of a trail shows it"}));
}

// Without iam:GenerateServiceLastAccessedDetails the reports are gaps (exit 9) and the trail
// alone judges: IAM's evidence (DeleteTable never used) is gone, so less is removed.
TEST_F(AuditUsage, DeniedLastAccessedIsAGapAndTheTrailStillJudges) {
  Deny({"iam:GenerateServiceLastAccessedDetails"});
  const auto r = Lir(Args());
  EXPECT_EQ(r.exit_code, 9) << r.err;
  const json report = json::parse(r.out);
  std::set<std::string> unread;
  for (const json& g : report["unread"]) unread.insert(g["operation"].get<std::string>() + " " + g["resource"].get<std::string>());
  EXPECT_EQ(unread, (std::set<std::string>{"iam:GenerateServiceLastAccessedDetails clean-role",
                                           "iam:GenerateServiceLastAccessedDetails legacy-role",
                                           "iam:GenerateServiceLastAccessedDetails worker-role"}));
  const json* worker = LeastPrivilegeOf(report, kWorkerRole);
  ASSERT_NE(worker, nullptr);
  EXPECT_EQ((*worker)["witnesses"].size(), 1u);
  const json actions = (*worker)["policy"]["Statement"][0]["Action"];
  EXPECT_NE(std::find(actions.begin(), actions.end(), "dynamodb:DescribeTable"), actions.end());
  EXPECT_EQ(std::find(actions.begin(), actions.end(), "dynamodb:DeleteTable"), actions.end());  // not in a covering trail
  EXPECT_NE(std::find(actions.begin(), actions.end(), "dynamodb:GetItem"), actions.end());  // a data event: kept
}

// IAM's job failing, and no trail: the role is not judged, and the report says why.
TEST_F(AuditUsage, FailedJobWithoutTrailJudgesNothing) {
  SeedLastAccessed({{kWorkerRole, {{"fail", "internal failure"}}}});
  const auto r = Lir({"audit", "worker", "--least-privilege", "--format", "json"});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  const json report = json::parse(r.out);
  ASSERT_EQ(report["unread"].size(), 1u) << report["unread"].dump();
  EXPECT_EQ(report["unread"][0]["what"], "last-accessed report");
  EXPECT_NE(report["unread"][0]["error"].get<std::string>().find("ended FAILED: internal failure"), std::string::npos) << report["unread"][0];
  EXPECT_FALSE(report.contains("least_privilege"));
  const json notes = report["not_checked"];
  EXPECT_NE(std::find(notes.begin(), notes.end(),
                      "lambda_posture_unused_permissions for role worker-role: no witness of its use (its last-accessed report was not read, "
                      "no --cloudtrail)"),
            notes.end())
      << notes.dump();
  EXPECT_EQ(Lir({"audit", "worker", "--usage-window", "1h"}).exit_code, 2);
  const auto empty = Lir({"audit", "worker", "--cloudtrail", trail_.File("none")});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no CloudTrail file found"), std::string::npos) << empty.err;
}

}  // namespace
}  // namespace lir
