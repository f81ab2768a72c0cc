// audit's judgement on hand-made inventories (pure: no AWS): trail selectors, and the negatives
// moto cannot hold (KMSKeyArn, DeadLetterConfig), and unread parts giving no finding.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "analysis/posture_checks.h"
#include "analysis/source_buckets.h"
#include "report/posture_report.h"

namespace lir {
namespace {

using nlohmann::json;

constexpr const char* kArn = "arn:aws:lambda:us-east-1:123456789012:function:pay";

TEST(TrailSelectors, BasicSelectorsLogWritesOfTheFunctionOrAPrefix) {
  auto basic = [](const char* rw, const char* value) {
    return json{{"EventSelectors", {{{"ReadWriteType", rw}, {"DataResources", {{{"Type", "AWS::Lambda::Function"}, {"Values", {value}}}}}}}}};
  };
  EXPECT_TRUE(SelectorsLogInvoke(basic("All", "arn:aws:lambda"), kArn));
  EXPECT_TRUE(SelectorsLogInvoke(basic("WriteOnly", kArn), kArn));
  EXPECT_FALSE(SelectorsLogInvoke(basic("ReadOnly", "arn:aws:lambda"), kArn));  // Invoke is a write
  EXPECT_FALSE(SelectorsLogInvoke(basic("All", "arn:aws:lambda:us-east-1:123456789012:function:other"), kArn));
  json s3 = basic("All", "arn:aws:s3");
  s3["EventSelectors"][0]["DataResources"][0]["Type"] = "AWS::S3::Object";
  EXPECT_FALSE(SelectorsLogInvoke(s3, kArn));
  EXPECT_FALSE(SelectorsLogInvoke(json::object(), kArn));
  // CloudTrail matches a Lambda function ARN exactly; only "arn:PARTITION:lambda" means all.
  EXPECT_FALSE(SelectorsLogInvoke(basic("All", "arn:aws:lambda:us-east-1:123456789012:function:pa"), kArn));
  EXPECT_TRUE(SelectorsLogInvoke(basic("All", "arn:aws:lambda"), "arn:aws:lambda:us-east-1:1:function:x"));
  EXPECT_FALSE(SelectorsLogInvoke(basic("All", "arn:aws:lambda"), "arn:aws-cn:lambda:cn-north-1:1:function:x"));
}

json Advanced(json fields) { return json{{"AdvancedEventSelectors", {{{"Name", "x"}, {"FieldSelectors", std::move(fields)}}}}}; }
json Field(const char* name, const char* op, std::vector<std::string> values) { return json{{"Field", name}, {op, values}}; }

TEST(TrailSelectors, AdvancedSelectorsAreEvaluatedForAnInvoke) {
  const json data = Field("eventCategory", "Equals", {"Data"});
  const json lambda = Field("resources.type", "Equals", {"AWS::Lambda::Function"});
  EXPECT_TRUE(SelectorsLogInvoke(Advanced({data, lambda}), kArn));
  EXPECT_TRUE(SelectorsLogInvoke(Advanced({data, lambda, Field("resources.ARN", "StartsWith", {"arn:aws:lambda:us-east-1:"})}), kArn));
  EXPECT_FALSE(SelectorsLogInvoke(Advanced({data, lambda, Field("resources.ARN", "NotStartsWith", {kArn})}), kArn));
  EXPECT_FALSE(SelectorsLogInvoke(Advanced({data, lambda, Field("readOnly", "Equals", {"true"})}), kArn));
  EXPECT_FALSE(SelectorsLogInvoke(Advanced({data, lambda, Field("eventName", "Equals", {"GetFunction"})}), kArn));
  EXPECT_FALSE(SelectorsLogInvoke(Advanced({data, Field("resources.type", "Equals", {"AWS::S3::Object"})}), kArn));
  EXPECT_FALSE(SelectorsLogInvoke(Advanced({Field("eventCategory", "Equals", {"Management"})}), kArn));
  EXPECT_FALSE(SelectorsLogInvoke(Advanced({lambda}), kArn));  // no category: not a data selector
  // A field it cannot judge (who calls) is taken as logging some invocations.
  EXPECT_TRUE(SelectorsLogInvoke(Advanced({data, lambda, Field("userIdentity.arn", "NotStartsWith", {"arn:aws:sts::1:"})}), kArn));
}

AccountInventory OneFunction(json configuration) {
  AccountInventory inv;
  inv.account = "123456789012";
  inv.regions.push_back({"us-east-1", true, json::array(), std::map<std::string, json>{}});
  FunctionInventory f;
  f.region = "us-east-1";
  configuration["FunctionName"] = "pay";
  configuration["FunctionArn"] = kArn;
  configuration["Runtime"] = "python3.12";
  configuration["VpcConfig"] = {{"SubnetIds", {"subnet-1", "subnet-2"}}};
  f.configuration = std::move(configuration);
  f.policy = json();
  f.urls = json::array();
  f.code_signing = json{{"CodeSigningConfigArn", "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-1"}};
  f.invoke_configs = json::array();
  inv.code_signing_configs[f.code_signing->at("CodeSigningConfigArn")] = {{"CodeSigningPolicies", {{"UntrustedArtifactOnDeployment", "Enforce"}}}};
  inv.functions.push_back(std::move(f));
  return inv;
}

std::vector<std::string> Ids(const PostureReport& report) {
  std::vector<std::string> out;
  for (const PostureFinding& p : report.findings) out.push_back(p.finding.rule_id);
  return out;
}

// The trail finding is left out of these: OneFunction has no trail.
std::vector<std::string> FunctionIds(const AccountInventory& inv) {
  auto ids = Ids(AuditPosture(inv, {}));
  std::erase(ids, "lambda_posture_trail_no_lambda_data_events");
  return ids;
}

// S3 sources: a bucket the account does not own is high without the account's SourceAccount,
// low with it; a partner's SourceAccount is not judged; patterns, arrays and key case count.
TEST(SourceBuckets, BucketsTheAccountDoesNotOwn) {
  auto flag = [](const std::string& condition) {
    const std::string policy = R"({"Statement":[{"Sid":"s","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},)"
                               R"("Action":"lambda:InvokeFunction","Condition":)" + condition + "}]}";
    std::vector<std::string> out;
    for (const FlaggedStatement& s : FlagForeignSourceBuckets(policy, {"mine"}, "111122223333")) {
      out.push_back(std::string(ToString(s.severity)) + " " + s.title);
    }
    return out;
  };
  EXPECT_EQ(flag(R"({"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::mine"}})"), std::vector<std::string>{});
  EXPECT_EQ(flag(R"({"ArnLike":{"aws:sourcearn":"arn:aws:s3:::gone/prefix/*"}})"),
            std::vector<std::string>{"high Statement s lets whoever owns bucket gone invoke the function"});
  EXPECT_EQ(flag(R"({"ArnLike":{"AWS:SourceArn":["arn:aws:s3:::mine","arn:aws:s3:::gone"]},"StringEquals":{"AWS:SourceAccount":"111122223333"}})"),
            std::vector<std::string>{"low Statement s trusts bucket gone, which the account no longer has"});
  EXPECT_EQ(flag(R"({"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::partner"},"StringEquals":{"AWS:SourceAccount":"444455556666"}})"),
            std::vector<std::string>{});
  EXPECT_EQ(flag(R"({"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::mine-*"}})"),
            std::vector<std::string>{"high Statement s lets whoever owns bucket mine-* invoke the function"});
  EXPECT_EQ(flag(R"({"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::mine-*"},"StringEquals":{"AWS:SourceAccount":"111122223333"}})"),
            std::vector<std::string>{});
  EXPECT_EQ(flag(R"({"ArnLike":{"AWS:SourceArn":"arn:aws:sns:us-east-1:111122223333:topic"}})"), std::vector<std::string>{});
  // Negated and Null operators narrow nothing; a wildcard account pins nothing.
  EXPECT_EQ(flag(R"({"ArnNotLike":{"AWS:SourceArn":"arn:aws:s3:::gone"}})"), std::vector<std::string>{});
  EXPECT_EQ(flag(R"({"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::gone"},"StringLike":{"AWS:SourceAccount":"*"}})"),
            std::vector<std::string>{"high Statement s lets whoever owns bucket gone invoke the function"});
  EXPECT_EQ(flag(R"({"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::gone"},"Null":{"AWS:SourceAccount":"false"}})"),
            std::vector<std::string>{"high Statement s lets whoever owns bucket gone invoke the function"});
  // An account principal is not S3 invoking: SourceArn narrows nothing there.
  const std::string account = R"({"Statement":[{"Sid":"a","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},)"
                              R"("Action":"lambda:InvokeFunction","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::gone"}}}]})";
  EXPECT_TRUE(FlagForeignSourceBuckets(account, {"mine"}, "111122223333").empty());
}

TEST(AuditPosture, KmsKeyAndDeadLetterQueueSatisfyTheirChecks) {
  const json dlq = {{"TargetArn", "arn:aws:sqs:us-east-1:123456789012:dlq"}};
  EXPECT_EQ(FunctionIds(OneFunction({{"Environment", {{"Variables", {{"TABLE", "t"}}}}},
                                     {"KMSKeyArn", "arn:aws:kms:us-east-1:123456789012:key/k"},
                                     {"DeadLetterConfig", dlq}})),
            std::vector<std::string>{});
  EXPECT_EQ(FunctionIds(OneFunction({{"Environment", {{"Variables", {{"TABLE", "t"}}}}}, {"DeadLetterConfig", dlq}})),
            std::vector<std::string>{"lambda_posture_env_no_kms"});
  EXPECT_EQ(FunctionIds(OneFunction({})), std::vector<std::string>{"lambda_posture_async_no_failure_destination"});
}

// What was not read gives no finding (its gap is the report's): no policy, URLs, code signing or
// invoke configs read, so nothing about them is claimed.
TEST(AuditPosture, UnreadPartsClaimNothing) {
  AccountInventory inv = OneFunction({});
  inv.functions[0].code_signing.reset();
  inv.functions[0].invoke_configs.reset();
  inv.regions[0].trails.reset();
  inv.regions[0].log_groups.reset();
  EXPECT_EQ(Ids(AuditPosture(inv, {})), std::vector<std::string>{});
  inv.functions[0].code_signing = json::object();  // read: none attached
  EXPECT_EQ(Ids(AuditPosture(inv, {})), std::vector<std::string>{"lambda_config_no_code_signing"});
}

// A trail of another region counts only when it is multi-region, and only while it logs.
TEST(AuditPosture, TrailCoverageNeedsALoggingTrailOfTheRegion) {
  const json selectors = {{"EventSelectors", {{{"ReadWriteType", "All"},
                                               {"DataResources", {{{"Type", "AWS::Lambda::Function"}, {"Values", {"arn:aws:lambda"}}}}}}}}};
  auto with_trail = [&](bool multi, const char* home, bool logging) {
    AccountInventory inv = OneFunction({{"DeadLetterConfig", {{"TargetArn", "arn:aws:sqs:us-east-1:123456789012:d"}}}});
    inv.regions[0].trails = json::array({{{"TrailARN", "arn:aws:cloudtrail:x"}, {"HomeRegion", home}, {"IsMultiRegionTrail", multi},
                                          {"IsLogging", logging}, {"Selectors", selectors}}});
    return Ids(AuditPosture(inv, {}));
  };
  EXPECT_EQ(with_trail(false, "us-east-1", true), std::vector<std::string>{});
  EXPECT_EQ(with_trail(true, "eu-west-1", true), std::vector<std::string>{});
  EXPECT_EQ(with_trail(false, "eu-west-1", true), std::vector<std::string>{"lambda_posture_trail_no_lambda_data_events"});
  EXPECT_EQ(with_trail(false, "us-east-1", false), std::vector<std::string>{"lambda_posture_trail_no_lambda_data_events"});
  // A trail whose status could not be read is neither a pass nor a finding: not checked.
  AccountInventory inv = OneFunction({{"DeadLetterConfig", {{"TargetArn", "arn:aws:sqs:us-east-1:123456789012:d"}}}});
  inv.regions[0].trails = json::array({{{"TrailARN", "arn:aws:cloudtrail:x"}, {"HomeRegion", "us-east-1"}, {"Selectors", selectors}}});
  const PostureReport report = AuditPosture(inv, {});
  EXPECT_EQ(Ids(report), std::vector<std::string>{});
  const auto said = std::find_if(report.not_checked.begin(), report.not_checked.end(), [](const std::string& n) {
    return n.rfind("lambda_posture_trail_no_lambda_data_events in us-east-1 for pay:", 0) == 0;
  });
  EXPECT_NE(said, report.not_checked.end()) << testing::PrintToString(report.not_checked);
}

// Audit's JSON is ASCII, as analyze's: what AWS returned (a name with a C1 control or a bidi
// override) is \u-escaped, and reads back the same.
TEST(PostureJson, WhatAwsReturnedIsAsciiEscaped) {
  PostureReport report;
  report.account = "123456789012";
  report.not_checked = {"fn\xC2\x9B" "31m\xE2\x80\xAE"};
  const std::string out = RenderPostureJson(report, "test");
  EXPECT_EQ(out.find("\xC2\x9B"), std::string::npos);
  EXPECT_EQ(out.find("\xE2\x80\xAE"), std::string::npos);
  EXPECT_NE(out.find("fn\\u009b31m\\u202e"), std::string::npos) << out;
  EXPECT_EQ(json::parse(out)["not_checked"][0], "fn\xC2\x9B" "31m\xE2\x80\xAE");
}

}  // namespace
}  // namespace lir
