// Least privilege on hand-made roles and witnesses (pure: no AWS): which grants the evidence
// removes, which it narrows, which it must keep because no witness can see them, and the
// trail reader that turns an archive into a role's calls.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/least_privilege.h"
#include "analysis/role_usage.h"
#include "assumed_role_record.h"
#include "core/strings.h"
#include "core/time.h"
#include "test_support.h"

namespace lir {
namespace {

using nlohmann::json;

constexpr const char* kRole = "arn:aws:iam::123456789012:role/app/pay-role";
constexpr TimestampMs kDay = TimestampMs{24} * 3600 * 1000;

TimestampMs At(const char* iso) { return *ParseIso8601(iso); }

RoleInventory Role(json statements) {
  RoleInventory role;
  role.arn = kRole;
  role.name = "pay-role";
  role.policies.push_back({"inline", "app", "", json{{"Version", "2012-10-17"}, {"Statement", std::move(statements)}}});
  role.policies_complete = true;
  return role;
}

json Allow(std::vector<std::string> actions, json resource = "*") {
  return json{{"Effect", "Allow"}, {"Action", std::move(actions)}, {"Resource", std::move(resource)}};
}

struct Witness {
  TrailUsage trail;
  std::optional<json> last_accessed;
  std::set<std::string> needs;
  UsageWitnesses Get(const std::string& session = "") const {
    UsageWitnesses w;
    w.trail = &trail;
    w.last_accessed = &last_accessed;
    w.now = At("2026-12-01T00:00:00Z");
    w.window_start = w.now - 90 * kDay;
    w.session = session;
    w.lambda_needs = needs;
    return w;
  }
};

// A trail archive from before the window to the day before the read, as a responder exports it.
void CoveringTrail(Witness* w) {
  w->trail.given = true;
  w->trail.sources = {"trail/"};
  w->trail.first = At("2026-08-01T00:00:00Z");
  w->trail.last = At("2026-11-30T23:00:00Z");
}

void Use(TrailUsage* trail, const std::string& session, const std::string& action, const char* last, uint64_t calls = 1) {
  trail->roles[kRole][session][ToLower(action)] = ActionUse{action, calls, At(last)};
}

TEST(IamActions, EventsMapToTheActionsTheyNeed) {
  EXPECT_EQ(IamActionOfEvent("s3.amazonaws.com", "ListObjectsV2"), "s3:ListBucket");
  EXPECT_EQ(IamActionOfEvent("s3.amazonaws.com", "PutBucketPolicy"), "s3:PutBucketPolicy");
  EXPECT_EQ(IamActionOfEvent("monitoring.amazonaws.com", "PutMetricAlarm"), "cloudwatch:PutMetricAlarm");
  EXPECT_EQ(IamActionOfEvent("lambda.amazonaws.com", "Invoke"), "lambda:InvokeFunction");
  EXPECT_EQ(IamActionOfEvent("ssm.amazonaws.com", "GetParameter"), "ssm:GetParameter");
  EXPECT_EQ(IamActionOfEvent("signin.example.com", "ConsoleLogin"), "");  // not an AWS service host
  EXPECT_EQ(IamActionOfEvent("s3.amazonaws.com", ""), "");
}

TEST(IamActions, GlobsAreCaseInsensitiveAndLinear) {
  EXPECT_TRUE(IamActionMatches("s3:Get*", "s3:GetObject"));
  EXPECT_TRUE(IamActionMatches("S3:getobject", "s3:GetObject"));
  EXPECT_TRUE(IamActionMatches("*", "iam:PassRole"));
  EXPECT_TRUE(IamActionMatches("s3:Get?bject", "s3:GetObject"));
  EXPECT_TRUE(IamActionMatches("s3:*Object", "s3:GetObject"));
  EXPECT_FALSE(IamActionMatches("s3:*Object", "s3:GetObjectAcl"));
  EXPECT_FALSE(IamActionMatches("s3:Get*", "s3:PutObject"));
  EXPECT_FALSE(IamActionMatches("iam:Pass*", "iam:Get"));
  // A crafted policy's pattern against a long action: answered, not backtracked forever.
  EXPECT_FALSE(IamActionMatches("a*a*a*a*a*a*a*a*a*a*a*b", std::string(20000, 'a')));
}

// IAM alone: a service nobody used goes whole, a tracked action unused goes, a service IAM
// tracks only as a whole stays whole, and what Lambda itself uses stays though unused (the
// dead-letter topic it publishes failures to).
TEST(LeastPrivilege, LastAccessedRemovesUnusedServicesAndTrackedActions) {
  Witness w;
  w.needs = {"target_sns"};
  w.last_accessed = json::array({
      {{"ServiceNamespace", "s3"}, {"ServiceName", "Amazon S3"}, {"LastAuthenticated", "2026-11-20T10:00:00Z"},
       {"TrackedActionsLastAccessed", {{{"ActionName", "GetObject"}, {"LastAccessedTime", "2026-11-20T10:00:00Z"}},
                                       {{"ActionName", "PutBucketPolicy"}}}}},
      {{"ServiceNamespace", "dynamodb"}, {"ServiceName", "Amazon DynamoDB"}, {"LastAuthenticated", "2026-05-01T00:00:00Z"}},
      {{"ServiceNamespace", "sns"}, {"ServiceName", "Amazon SNS"}},
      {{"ServiceNamespace", "logs"}, {"ServiceName", "Amazon CloudWatch Logs"}, {"LastAuthenticated", "2026-11-30T00:00:00Z"}},
      {{"ServiceNamespace", "kms"}, {"ServiceName", "AWS KMS"}},
  });
  const RoleInventory role = Role({Allow({"s3:GetObject", "s3:PutBucketPolicy", "dynamodb:*", "logs:*", "sns:Publish", "kms:Encrypt"}),
                                   Allow({"dynamodb:GetItem"}, "arn:aws:dynamodb:us-east-1:123456789012:table/orders")});
  const LeastPrivilege lp = ComputeLeastPrivilege(role, w.Get());
  EXPECT_TRUE(lp.reduces);
  EXPECT_EQ(lp.policy, json::parse(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["logs:*", "s3:GetObject", "sns:Publish"], "Resource": "*"}]})"));
  EXPECT_EQ(lp.used, std::vector<std::string>{"s3:GetObject (IAM: last 2026-11-20)"});
  EXPECT_EQ(lp.unused_services, (std::vector<std::string>{"dynamodb (IAM: last used 2026-05-01)", "kms (IAM: never used)"}));
  EXPECT_EQ(lp.unused_actions, (std::vector<std::string>{
                                   "dynamodb:GetItem (inline policy app): IAM: dynamodb last used 2026-05-01",
                                   "kms:Encrypt (inline policy app): IAM: kms never used",
                                   "s3:PutBucketPolicy (inline policy app): IAM: never used",
                               }));
  EXPECT_EQ(lp.narrowed, std::vector<std::string>{"dynamodb:* (inline policy app) -> nothing"});
  EXPECT_EQ(lp.kept_unseen, std::vector<std::string>{"logs:*: no trail covering the window shows which of its actions are used"});

  // Without a dead-letter topic, Lambda does not publish: IAM's "never used" removes it.
  w.needs.clear();
  const LeastPrivilege no_dlq = ComputeLeastPrivilege(role, w.Get());
  EXPECT_EQ(no_dlq.policy["Statement"][0]["Action"], json::parse(R"(["logs:*", "s3:GetObject"])"));
  EXPECT_EQ(no_dlq.unused_actions.back(), "sns:Publish (inline policy app): IAM: sns never used");
}

TEST(LeastPrivilege, LambdaNeedsComeFromTheConfigurationAndItsSources) {
  const json config = json::parse(R"({"VpcConfig": {"SubnetIds": ["subnet-1"]}, "TracingConfig": {"Mode": "Active"},
      "DeadLetterConfig": {"TargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq"}})");
  const json invoke = json::parse(R"([{"DestinationConfig": {"OnSuccess": {"Destination": "arn:aws:events:us-east-1:123456789012:event-bus/b"},
      "OnFailure": {}}}])");
  const json mappings = json::parse(R"([{"EventSourceArn": "arn:aws:kinesis:us-east-1:123456789012:stream/s"}, {"SelfManagedEventSource": {}}])");
  EXPECT_EQ(LambdaNeeds(config, invoke, mappings),
            (std::set<std::string>{"source_kafka", "source_kinesis", "target_events", "target_sqs", "tracing", "vpc"}));
  // Unread lists count as every need of their kind.
  EXPECT_EQ(LambdaNeeds(json::object(), std::nullopt, json::array()),
            (std::set<std::string>{"target_events", "target_lambda", "target_s3", "target_sns", "target_sqs"}));
  EXPECT_EQ(LambdaNeeds(json::object(), json::array(), std::nullopt).count("source_docdb"), 1u);
}

// A trail covering the window: a wildcard becomes the actions seen (and those a trail cannot
// see), an action not called in the window goes, a Deny stays, data events stay.
TEST(LeastPrivilege, TrailCoveringTheWindowNarrowsWildcards) {
  Witness w;
  CoveringTrail(&w);
  w.trail.events = 40;
  Use(&w.trail, "pay", "ssm:GetParameter", "2026-11-29T08:00:00Z", 12);
  w.trail.read_events = 30;
  Use(&w.trail, "pay", "sns:CreateTopic", "2026-08-15T08:00:00Z");  // before the window
  const json deny = {{"Effect", "Deny"}, {"Action", "ssm:DeleteParameter"}, {"Resource", "*"}};
  // iam:PassRole is an authorisation, never an event: a trail cannot show it unused.
  const RoleInventory role = Role({Allow({"ssm:*", "sns:CreateTopic", "s3:GetObject", "iam:PassRole"}), deny});
  const LeastPrivilege lp = ComputeLeastPrivilege(role, w.Get());
  EXPECT_EQ(lp.policy, json::parse(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["iam:PassRole", "s3:GetObject", "ssm:GetParameter"], "Resource": "*"},
      {"Effect": "Deny", "Action": "ssm:DeleteParameter", "Resource": "*"}]})"));
  EXPECT_EQ(lp.used, std::vector<std::string>{"ssm:GetParameter (CloudTrail: 12 call(s), last 2026-11-29)"});
  EXPECT_EQ(lp.unused_actions, std::vector<std::string>{"sns:CreateTopic (inline policy app): not in the trail"});
  EXPECT_EQ(lp.unused_services, std::vector<std::string>{"sns (not in the trail)"});
  EXPECT_EQ(lp.narrowed, std::vector<std::string>{"ssm:* (inline policy app) -> ssm:GetParameter"});
  EXPECT_EQ(lp.kept_unseen, (std::vector<std::string>{"iam:PassRole: no management event of a trail shows it",
                                                      "s3:GetObject: no management event of a trail shows it"}));
  EXPECT_EQ(lp.sources, std::vector<std::string>{"CloudTrail: 40 events in 1 file(s), 2026-08-01 to 2026-11-30"});

  // Only one function's sessions (own-role): another function's calls do not count.
  Use(&w.trail, "other", "ssm:PutParameter", "2026-11-29T08:00:00Z");
  const LeastPrivilege own = ComputeLeastPrivilege(role, w.Get("pay"));
  EXPECT_EQ(own.narrowed, std::vector<std::string>{"ssm:* (inline policy app) -> ssm:GetParameter"});
  const LeastPrivilege all = ComputeLeastPrivilege(role, w.Get());
  EXPECT_EQ(all.narrowed, std::vector<std::string>{"ssm:* (inline policy app) -> ssm:GetParameter, ssm:PutParameter"});
}

// A trail that starts inside the window cannot show what runs monthly: nothing goes on its silence.
TEST(LeastPrivilege, ShortTrailRemovesNothing) {
  Witness w;
  w.trail.given = true;
  w.trail.sources = {"trail/"};
  w.trail.first = At("2026-11-25T00:00:00Z");
  w.trail.last = At("2026-11-30T23:00:00Z");
  Use(&w.trail, "pay", "ssm:GetParameter", "2026-11-29T08:00:00Z");
  const RoleInventory role = Role({Allow({"ssm:*", "iam:PassRole"})});
  const LeastPrivilege lp = ComputeLeastPrivilege(role, w.Get());
  EXPECT_FALSE(lp.reduces);
  EXPECT_EQ(lp.policy["Statement"], json::parse(R"([{"Effect": "Allow", "Action": ["iam:PassRole", "ssm:*"], "Resource": "*"}])"));
  EXPECT_EQ(lp.sources, std::vector<std::string>{
                            "CloudTrail: 0 events in 1 file(s), 2026-11-25 to 2026-11-30 (does not cover 2026-09-02 to 2026-12-01: calls it "
                            "lacks are not taken as unused)"});
}

// IAM saw the role use S3 and the trail holds none of its S3 calls (data events): the trail is
// blind to S3, so its silence removes no S3 grant.
TEST(LeastPrivilege, TrailSilenceOnAServiceIamSawUsedProvesNothing) {
  Witness w;
  CoveringTrail(&w);
  Use(&w.trail, "pay", "ssm:GetParameter", "2026-11-29T08:00:00Z");
  w.last_accessed = json::array({{{"ServiceNamespace", "s3"}, {"ServiceName", "Amazon S3"}, {"LastAuthenticated", "2026-11-28T00:00:00Z"}},
                                 {{"ServiceNamespace", "ssm"}, {"ServiceName", "AWS Systems Manager"}, {"LastAuthenticated", "2026-11-29T08:00:00Z"}}});
  const RoleInventory role = Role({Allow({"s3:PutBucketTagging", "s3:List*", "ssm:GetParameter"})});
  const LeastPrivilege lp = ComputeLeastPrivilege(role, w.Get());
  EXPECT_FALSE(lp.reduces);
  EXPECT_EQ(lp.policy["Statement"][0]["Action"], json::parse(R"(["s3:List*", "s3:PutBucketTagging", "ssm:GetParameter"])"));
  EXPECT_EQ(lp.kept_unseen, (std::vector<std::string>{"s3:List*: IAM shows calls the trail does not record",
                                                      "s3:PutBucketTagging: no witness covers it"}));
}

// An IAM report listing no service for a role that allows some cannot be right: not taken,
// and with no other witness nothing is judged (an administrator role stays as it is).
TEST(LeastPrivilege, AnEmptyIamReportIsNoWitness) {
  Witness w;
  w.last_accessed = json::array();
  const RoleInventory role = Role({Allow({"*"})});
  const LeastPrivilege lp = ComputeLeastPrivilege(role, w.Get());
  EXPECT_FALSE(lp.witnessed);
  EXPECT_FALSE(lp.reduces);
  EXPECT_EQ(lp.policy["Statement"], json::parse(R"([{"Effect": "Allow", "Action": ["*"], "Resource": "*"}])"));
  EXPECT_EQ(lp.sources, std::vector<std::string>{
                            "IAM last accessed: not used (its report lists no service, though the role's policies allow some)"});
  EXPECT_EQ(lp.kept_unseen, std::vector<std::string>{"*: no witness lists the services it reaches"});
}

// NotAction grants every action but a few: with a trail it becomes the actions used, never
// one it excludes.
TEST(LeastPrivilege, NotActionBecomesTheActionsUsed) {
  Witness w;
  CoveringTrail(&w);
  Use(&w.trail, "pay", "ssm:GetParameter", "2026-11-29T08:00:00Z");
  Use(&w.trail, "pay", "iam:CreateUser", "2026-11-29T08:00:00Z");
  const RoleInventory role = Role({{{"Effect", "Allow"}, {"NotAction", "iam:*"}, {"Resource", "*"}}});
  const LeastPrivilege lp = ComputeLeastPrivilege(role, w.Get());
  ASSERT_EQ(lp.policy["Statement"].size(), 1u);
  const json actions = lp.policy["Statement"][0]["Action"];
  EXPECT_NE(std::find(actions.begin(), actions.end(), "ssm:GetParameter"), actions.end());
  EXPECT_EQ(std::find(actions.begin(), actions.end(), "iam:CreateUser"), actions.end());
  EXPECT_FALSE(lp.policy["Statement"][0].contains("NotAction"));
}

// The archive reader: a role's sessions' calls by session, denied calls and other roles left out.
TEST(RoleUsage, TrailArchiveGivesEachRoleItsCallsBySession) {
  test::TempDir dir;
  auto record = [](const char* time, const char* source, const char* name, const char* session, const char* role, const char* error) {
    return test::AssumedRoleRecord(time, source, name, std::string("app/") + role, session, error);
  };
  const json records = {record("2026-11-01T00:00:00Z", "ssm.amazonaws.com", "GetParameter", "pay", "pay-role", ""),
                        record("2026-11-03T00:00:00Z", "ssm.amazonaws.com", "GetParameter", "pay", "pay-role", "ParameterNotFound"),
                        record("2026-11-02T00:00:00Z", "iam.amazonaws.com", "CreateUser", "pay", "pay-role", "AccessDenied"),
                        record("2026-11-02T00:00:00Z", "s3.amazonaws.com", "ListObjectsV2", "refund", "pay-role", ""),
                        record("2026-11-04T00:00:00Z", "sqs.amazonaws.com", "ListQueues", "x", "other-role", "")};
  test::WriteFile(dir.File("trail.json"), json{{"Records", records}}.dump());
  std::vector<ReadIssue> issues;
  const TrailUsage usage = ReadTrailUsage({dir.path()}, {kRole}, &issues);
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(usage.events, 5u);
  EXPECT_EQ(usage.first, At("2026-11-01T00:00:00Z"));
  EXPECT_EQ(usage.last, At("2026-11-04T00:00:00Z"));
  ASSERT_EQ(usage.roles.size(), 1u);
  const auto& sessions = usage.roles.at(kRole);
  ASSERT_EQ(sessions.size(), 2u);
  ASSERT_EQ(sessions.at("pay").size(), 1u);
  const ActionUse& get = sessions.at("pay").at("ssm:getparameter");
  EXPECT_EQ(get.action, "ssm:GetParameter");
  EXPECT_EQ(get.calls, 2u);  // a call that failed for another reason than IAM still used the permission
  EXPECT_EQ(get.last, At("2026-11-03T00:00:00Z"));
  ASSERT_EQ(sessions.at("refund").size(), 1u);
  EXPECT_EQ(sessions.at("refund").at("s3:listbucket").action, "s3:ListBucket");
}

}  // namespace
}  // namespace lir
