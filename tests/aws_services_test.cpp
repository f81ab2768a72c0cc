// Every operation of the table that moto implements, against a seeded moto_server, with
// the values read back checked (and a few compared with the aws CLI on the same server).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/api_caller.h"
#include "aws/aws_session.h"
#include "core/strings.h"
#include "test_support.h"

namespace lir::aws {
namespace {

class AwsServices : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto r = test::RunPython("seed_moto.py", {test::FreshMoto()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    seed_ = new nlohmann::json(nlohmann::json::parse(r.out));
    env_ = new MapEnvironment({{"HOME", "/nonexistent"}, {"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"},
                               {"AWS_DEFAULT_REGION", "us-east-1"}, {"AWS_ENDPOINT_URL", test::MotoEndpoint()},
                               {"AWS_EC2_METADATA_DISABLED", "true"}});
    session_ = AwsSession::Create({}, *env_, nullptr)->release();
  }
  static void TearDownTestSuite() {
    delete session_;
    delete env_;
    delete seed_;
  }

  static nlohmann::json Call(Service service, const char* name, CallParams params = {}) {
    ApiCaller caller(service, session_->context());
    auto r = caller.Call(Op(service, name), params);
    EXPECT_TRUE(r) << name << ": " << (r ? "" : r.error().message);
    return r ? r->doc : nlohmann::json();
  }
  static nlohmann::json All(Service service, const char* name, CallParams params = {}, std::vector<ApiResult>* pages = nullptr) {
    ApiCaller caller(service, session_->context());
    auto r = caller.CallAll(Op(service, name), params, pages);
    EXPECT_TRUE(r) << name << ": " << (r ? "" : r.error().message);
    return r ? *r : nlohmann::json();
  }

  static inline nlohmann::json* seed_ = nullptr;
  static inline MapEnvironment* env_ = nullptr;
  static inline AwsSession* session_ = nullptr;
};

const std::map<std::string, std::string> kFn = {{"FunctionName", "payments"}};

TEST_F(AwsServices, LambdaReads) {
  const auto functions = All(Service::kLambda, "ListFunctions");
  ASSERT_EQ(functions["Functions"].size(), 1u);
  EXPECT_EQ(functions["Functions"][0]["FunctionName"], "payments");
  const auto fn = Call(Service::kLambda, "GetFunction", {kFn});
  EXPECT_EQ(fn["Configuration"]["Handler"], "app.handler");
  EXPECT_EQ(fn["Configuration"]["Environment"]["Variables"]["DB_PASSWORD"], "hunter2");
  EXPECT_TRUE(fn["Code"].contains("Location"));
  EXPECT_EQ(Call(Service::kLambda, "GetFunctionConfiguration", {kFn, {{"Qualifier", "1"}}})["Version"], "1");
  const auto versions = All(Service::kLambda, "ListVersionsByFunction", {kFn});
  ASSERT_EQ(versions["Versions"].size(), 2u);
  EXPECT_EQ(versions["Versions"][1]["Version"], "1");
  EXPECT_EQ(All(Service::kLambda, "ListAliases", {kFn})["Aliases"][0]["Name"], "live");
  const auto policy = nlohmann::json::parse(Call(Service::kLambda, "GetPolicy", {kFn})["Policy"].get<std::string>());
  EXPECT_EQ(policy["Statement"][0]["Sid"], "s3-invoke");
  EXPECT_EQ(Call(Service::kLambda, "GetFunctionUrlConfig", {kFn})["AuthType"], "NONE");
  const auto mappings = All(Service::kLambda, "ListEventSourceMappings", {{}, {{"FunctionName", "payments"}}});
  ASSERT_EQ(mappings["EventSourceMappings"].size(), 1u);
  const std::string uuid = (*seed_)["esm_uuid"];
  EXPECT_EQ(Call(Service::kLambda, "GetEventSourceMapping", {{{"UUID", uuid}}})["EventSourceArn"], (*seed_)["queue_arn"]);
  EXPECT_EQ(Call(Service::kLambda, "GetFunctionConcurrency", {kFn})["ReservedConcurrentExecutions"], 7);
  EXPECT_EQ(Call(Service::kLambda, "ListTags", {{{"Resource", (*seed_)["function_arn"]}}})["Tags"]["team"], "payments");
}

TEST_F(AwsServices, LambdaChangesReadBack) {
  const std::string uuid = (*seed_)["esm_uuid"];
  Call(Service::kLambda, "UpdateEventSourceMapping", {{{"UUID", uuid}}, {}, {{"Enabled", false}}});
  EXPECT_EQ(Call(Service::kLambda, "GetEventSourceMapping", {{{"UUID", uuid}}})["State"], "Disabled");
  Call(Service::kLambda, "UpdateEventSourceMapping", {{{"UUID", uuid}}, {}, {{"Enabled", true}}});

  Call(Service::kLambda, "PutFunctionConcurrency", {kFn, {}, {{"ReservedConcurrentExecutions", 0}}});
  EXPECT_EQ(Call(Service::kLambda, "GetFunctionConcurrency", {kFn})["ReservedConcurrentExecutions"], 0);
  Call(Service::kLambda, "PutFunctionConcurrency", {kFn, {}, {{"ReservedConcurrentExecutions", 7}}});

  Call(Service::kLambda, "AddPermission", {kFn, {}, {{"StatementId", "tmp"}, {"Action", "lambda:InvokeFunction"},
                                                    {"Principal", "events.amazonaws.com"}}});
  Call(Service::kLambda, "RemovePermission", {{{"FunctionName", "payments"}, {"StatementId", "tmp"}}});
  const auto policy = nlohmann::json::parse(Call(Service::kLambda, "GetPolicy", {kFn})["Policy"].get<std::string>());
  EXPECT_EQ(policy["Statement"].size(), 1u);

  Call(Service::kLambda, "UpdateFunctionUrlConfig", {kFn, {}, {{"AuthType", "AWS_IAM"}}});
  EXPECT_EQ(Call(Service::kLambda, "GetFunctionUrlConfig", {kFn})["AuthType"], "AWS_IAM");
  Call(Service::kLambda, "UpdateFunctionUrlConfig", {kFn, {}, {{"AuthType", "NONE"}}});

  Call(Service::kLambda, "UpdateFunctionConfiguration", {kFn, {}, {{"Timeout", 42}}});
  EXPECT_EQ(Call(Service::kLambda, "GetFunctionConfiguration", {kFn})["Timeout"], 42);
  // The aws CLI on the same server sees the same value.
  const auto cli = test::RunPython("aws_cli.py", {"lambda", "get-function-configuration", "--function-name", "payments",
                                     "--endpoint-url", test::MotoEndpoint(), "--output", "json"},
                                    {{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"}, {"AWS_DEFAULT_REGION", "us-east-1"}});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(nlohmann::json::parse(cli.out)["Timeout"], 42);
}

TEST_F(AwsServices, LambdaErrorsCarryTheServiceCode) {
  ApiCaller caller(Service::kLambda, session_->context());
  auto missing = caller.Call(Op(Service::kLambda, "GetFunction"), {{{"FunctionName", "ghost"}}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().service_code, "ResourceNotFoundException");
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().http_status, 404);
}

TEST_F(AwsServices, IamRoleAndPolicies) {
  const auto role = Call(Service::kIam, "GetRole", {{}, {}, {}, {{"RoleName", "payments-role"}}});
  EXPECT_EQ(role["Role"]["Arn"], (*seed_)["role_arn"]);
  EXPECT_NE(role["Role"]["AssumeRolePolicyDocument"].get<std::string>().find("lambda.amazonaws.com"), std::string::npos);
  EXPECT_EQ(All(Service::kIam, "ListRolePolicies", {{}, {}, {}, {{"RoleName", "payments-role"}}})["PolicyNames"],
            nlohmann::json::array({"inline-logs"}));
  const auto inline_policy = Call(Service::kIam, "GetRolePolicy", {{}, {}, {}, {{"RoleName", "payments-role"}, {"PolicyName", "inline-logs"}}});
  EXPECT_NE(inline_policy["PolicyDocument"].get<std::string>().find("logs"), std::string::npos);
  const auto attached = All(Service::kIam, "ListAttachedRolePolicies", {{}, {}, {}, {{"RoleName", "payments-role"}}});
  ASSERT_EQ(attached["AttachedPolicies"].size(), 1u);
  const std::string arn = (*seed_)["policy_arn"];
  EXPECT_EQ(attached["AttachedPolicies"][0]["PolicyArn"], arn);
  const auto policy = Call(Service::kIam, "GetPolicy", {{}, {}, {}, {{"PolicyArn", arn}}});
  const std::string version = policy["Policy"]["DefaultVersionId"];
  const auto document = Call(Service::kIam, "GetPolicyVersion", {{}, {}, {}, {{"PolicyArn", arn}, {"VersionId", version}}});
  // IAM returns policy documents URL-encoded (moto may not): decoding works for both.
  EXPECT_NE(UrlDecode(document["PolicyVersion"]["Document"].get<std::string>()).find("s3:GetObject"), std::string::npos);
  // Write calls, read back: a deny-all inline policy on and off, a role created and deleted.
  Call(Service::kIam, "PutRolePolicy", {{}, {}, {}, {{"RoleName", "payments-role"}, {"PolicyName", "DenyAll-IncidentResponse"},
                                                      {"PolicyDocument", R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})"}}});
  EXPECT_EQ(All(Service::kIam, "ListRolePolicies", {{}, {}, {}, {{"RoleName", "payments-role"}}})["PolicyNames"].size(), 2u);
  Call(Service::kIam, "DeleteRolePolicy", {{}, {}, {}, {{"RoleName", "payments-role"}, {"PolicyName", "DenyAll-IncidentResponse"}}});
  Call(Service::kIam, "CreateRole", {{}, {}, {}, {{"RoleName", "ir-temp"}, {"AssumeRolePolicyDocument", R"({"Version":"2012-10-17","Statement":[]})"}}});
  Call(Service::kIam, "AttachRolePolicy", {{}, {}, {}, {{"RoleName", "ir-temp"}, {"PolicyArn", arn}}});
  Call(Service::kIam, "DetachRolePolicy", {{}, {}, {}, {{"RoleName", "ir-temp"}, {"PolicyArn", arn}}});
  Call(Service::kIam, "DeleteRole", {{}, {}, {}, {{"RoleName", "ir-temp"}}});
  const auto roles = All(Service::kIam, "ListRoles");
  ASSERT_EQ(roles["Roles"].size(), 1u);
  EXPECT_EQ(roles["Roles"][0]["RoleName"], "payments-role");
}

TEST_F(AwsServices, CloudTrailLogsMetricsAndS3) {
  const auto trails = Call(Service::kCloudTrail, "DescribeTrails");
  ASSERT_EQ(trails["trailList"].size(), 1u);
  EXPECT_EQ(trails["trailList"][0]["Name"], "org-trail");
  EXPECT_EQ(Call(Service::kCloudTrail, "GetTrailStatus", {{}, {}, {{"Name", "org-trail"}}})["IsLogging"], true);
  EXPECT_TRUE(Call(Service::kCloudTrail, "GetEventSelectors", {{}, {}, {{"TrailName", "org-trail"}}}).contains("TrailARN"));

  EXPECT_EQ(All(Service::kLogs, "DescribeLogGroups", {{}, {}, {{"logGroupNamePrefix", "/aws/lambda/"}}})["logGroups"][0]["logGroupName"],
            "/aws/lambda/payments");
  const auto events = All(Service::kLogs, "FilterLogEvents", {{}, {}, {{"logGroupName", "/aws/lambda/payments"}, {"limit", 2}}});
  ASSERT_EQ(events["events"].size(), 5u);  // three pages of two, merged
  EXPECT_EQ(events["events"][4]["message"], "START RequestId: 4");

  const auto alarms = All(Service::kCloudWatch, "DescribeAlarms");
  ASSERT_EQ(alarms["MetricAlarms"].size(), 1u);
  EXPECT_EQ(alarms["MetricAlarms"][0]["AlarmName"], "payments-errors");
  Call(Service::kCloudWatch, "PutMetricAlarm", {{}, {}, {}, {{"AlarmName", "ir-temp"}, {"Namespace", "AWS/Lambda"}, {"MetricName", "Throttles"},
                                                            {"Statistic", "Sum"}, {"Period", "60"}, {"EvaluationPeriods", "1"},
                                                            {"Threshold", "1"}, {"ComparisonOperator", "GreaterThanThreshold"}}});
  EXPECT_EQ(All(Service::kCloudWatch, "DescribeAlarms")["MetricAlarms"].size(), 2u);
  Call(Service::kCloudWatch, "DeleteAlarms", {{}, {}, {}, {{"AlarmNames.member.1", "ir-temp"}}});
  EXPECT_EQ(All(Service::kCloudWatch, "DescribeAlarms")["MetricAlarms"].size(), 1u);

  std::vector<ApiResult> pages;
  const auto objects = All(Service::kS3, "ListObjectsV2", {{{"Bucket", "trail-archive"}}, {{"prefix", "AWSLogs/"}, {"max-keys", "1"}}}, &pages);
  EXPECT_EQ(pages.size(), 3u);
  ASSERT_EQ(objects["Contents"].size(), 3u);
  const std::string key = objects["Contents"][2]["Key"];
  EXPECT_EQ(key, "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/f2.json.gz");
  ApiCaller s3(Service::kS3, session_->context());
  std::string body;
  auto got = s3.Call(Op(Service::kS3, "GetObject"), {{{"Bucket", "trail-archive"}, {"Key", key}}},
                     [&](std::string_view chunk) { body.append(chunk); return true; });
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(body, "object 2");
}

// moto lacks ListFunctionUrlConfigs, the provisioned-concurrency calls and
// GetCodeSigningConfig (404 from its router): those are covered by the operation table's
// check against botocore only, until a replay covers them.
TEST_F(AwsServices, LambdaRemainingOperations) {
  EXPECT_TRUE(Call(Service::kLambda, "GetFunctionCodeSigningConfig", {kFn}).is_object());
  Call(Service::kLambda, "PutFunctionEventInvokeConfig", {kFn, {}, {{"MaximumRetryAttempts", 0}}});
  EXPECT_EQ(Call(Service::kLambda, "GetFunctionEventInvokeConfig", {kFn})["MaximumRetryAttempts"], 0);
  Call(Service::kLambda, "DeleteFunctionConcurrency", {kFn});
  const auto after = Call(Service::kLambda, "GetFunctionConcurrency", {kFn});
  EXPECT_TRUE(!after.contains("ReservedConcurrentExecutions") || after["ReservedConcurrentExecutions"].is_null()) << after.dump();
  Call(Service::kLambda, "PutFunctionConcurrency", {kFn, {}, {{"ReservedConcurrentExecutions", 7}}});
  EXPECT_TRUE(Call(Service::kLambda, "GetLayerVersionByArn", {{}, {{"Arn", "arn:aws:lambda:us-east-1:123456789012:layer:x:1"}}}).is_object());

  // A scratch function for the destructive calls.
  const std::string role = (*seed_)["role_arn"];
  const std::string zip_b64 = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";  // an empty zip
  test::TempDir dir;
  test::WriteFile(dir.File("empty.zip"), std::string("PK\x05\x06", 4) + std::string(18, '\0'));
  const auto cli = test::RunPython("aws_cli.py", {"lambda", "create-function", "--function-name", "scratch", "--runtime", "python3.12",
                                     "--role", role, "--handler", "app.handler", "--zip-file", "fileb://" + dir.File("empty.zip"),
                                     "--endpoint-url", test::MotoEndpoint()},
                                    {{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"}, {"AWS_DEFAULT_REGION", "us-east-1"}});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const std::map<std::string, std::string> scratch = {{"FunctionName", "scratch"}};
  const auto updated = Call(Service::kLambda, "UpdateFunctionCode", {scratch, {}, {{"ZipFile", zip_b64}}});
  EXPECT_EQ(updated["FunctionName"], "scratch");
  EXPECT_EQ(Call(Service::kLambda, "UpdateFunctionConfiguration", {scratch, {}, {{"Description", "scratch"}}})["Description"],
            "scratch");
  Call(Service::kLambda, "DeleteFunctionUrlConfig", {kFn});
  ApiCaller caller(Service::kLambda, session_->context());
  auto gone = caller.Call(Op(Service::kLambda, "GetFunctionUrlConfig"), {kFn});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().service_code, "ResourceNotFoundException");
  Call(Service::kLambda, "DeleteFunction", {scratch});
  EXPECT_EQ(All(Service::kLambda, "ListFunctions")["Functions"].size(), 1u);
}

TEST_F(AwsServices, LogsInsightsAndMetrics) {
  const auto started = Call(Service::kLogs, "StartQuery", {{}, {}, {{"logGroupName", "/aws/lambda/payments"}, {"startTime", 1795766400},
                                                                   {"endTime", 1795766500}, {"queryString", "fields @message"}}});
  ASSERT_TRUE(started.contains("queryId"));
  EXPECT_TRUE(Call(Service::kLogs, "GetQueryResults", {{}, {}, {{"queryId", started["queryId"]}}}).contains("status"));
  const std::string now = FormatIso8601(NowMs() + 60'000), before = FormatIso8601(NowMs() - 3'600'000);
  const auto stats = Call(Service::kCloudWatch, "GetMetricStatistics",
                          {{}, {}, {}, {{"Namespace", "AWS/Lambda"}, {"MetricName", "Invocations"},
                                        {"Dimensions.member.1.Name", "FunctionName"}, {"Dimensions.member.1.Value", "payments"},
                                        {"StartTime", before}, {"EndTime", now}, {"Period", "60"}, {"Statistics.member.1", "Sum"}}});
  ASSERT_EQ(stats["Datapoints"].size(), 1u);
  EXPECT_EQ(stats["Datapoints"][0]["Sum"], "3.0");
  const auto data = All(Service::kCloudWatch, "GetMetricData",
                        {{}, {}, {}, {{"MetricDataQueries.member.1.Id", "m1"},
                                      {"MetricDataQueries.member.1.MetricStat.Metric.Namespace", "AWS/Lambda"},
                                      {"MetricDataQueries.member.1.MetricStat.Metric.MetricName", "Invocations"},
                                      {"MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name", "FunctionName"},
                                      {"MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value", "payments"},
                                      {"MetricDataQueries.member.1.MetricStat.Period", "60"},
                                      {"MetricDataQueries.member.1.MetricStat.Stat", "Sum"},
                                      {"StartTime", before}, {"EndTime", now}}});
  ASSERT_EQ(data["MetricDataResults"].size(), 1u);
  EXPECT_EQ(data["MetricDataResults"][0]["Id"], "m1");
}

}  // namespace
}  // namespace lir::aws
