// The pure parts of response: shell quoting of the printed aws CLI lines, alarm thresholds,
// the functions offered for deletion, and the member role's trust policy.
#include <gtest/gtest.h>

#include "analysis/pre_incident.h"
#include "analysis/suspect_functions.h"
#include "core/aws_cli_line.h"
#include "response/member_role_trust.h"
#include "response/monitor.h"
#include "response/recover_plan.h"

namespace lir {
namespace {

TEST(AwsCliLine, QuotesOnlyWhatAShellWouldSplitOrExpand) {
  EXPECT_EQ(ShellQuote("payments"), "payments");
  EXPECT_EQ(ShellQuote("arn:aws:sqs:us-east-1:123456789012:q"), "arn:aws:sqs:us-east-1:123456789012:q");
  EXPECT_EQ(ShellQuote("{\"a\": 1}"), "'{\"a\": 1}'");
  EXPECT_EQ(ShellQuote("it's $HOME"), "'it'\\''s $HOME'");
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(AwsCliLine("lambda", "update-event-source-mapping", {{"--uuid", "u-1"}, {"--no-enabled", std::nullopt}},
                       {"prod", "eu-west-1", ""}),
            "aws lambda update-event-source-mapping --uuid u-1 --no-enabled --profile prod --region eu-west-1");
}

// `permissions --trust`: the role --assume-role-name enters, where Organizations made none.
TEST(MemberRoleTrust, TrustsTheResponderWithTheExternalIdAsked) {
  auto with_id = MemberRoleTrustPolicy("arn:aws:iam::111122223333:role/ir/Responder", "case-42");
  ASSERT_TRUE(with_id) << with_id.error().message;
  EXPECT_EQ(*with_id, nlohmann::json::parse(R"({"Version": "2012-10-17", "Statement": [{
      "Sid": "LambdaIrResponder", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ir/Responder"},
      "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "case-42"}}}]})"));
  // An account id as given (IAM reads it as the account's root, in any partition); no condition.
  auto account = MemberRoleTrustPolicy("111122223333", "");
  ASSERT_TRUE(account) << account.error().message;
  EXPECT_EQ(*account, nlohmann::json::parse(R"({"Version": "2012-10-17", "Statement": [{
      "Sid": "LambdaIrResponder", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}]})"));
  for (const char* ok : {"arn:aws:iam::111122223333:root", "arn:aws-us-gov:iam::111122223333:user/alice"}) {
    EXPECT_TRUE(MemberRoleTrustPolicy(ok, "")) << ok;
  }
}

TEST(MemberRoleTrust, RefusesWhatNoTrustPolicyCouldNameAndSaysWhy) {
  const auto why = [](const std::string& principal, const std::string& external_id = "") {
    auto r = MemberRoleTrustPolicy(principal, external_id);
    return r ? std::string("accepted") : r.error().message;
  };
  EXPECT_EQ(why("arn:aws:sts::111122223333:assumed-role/Responder/alice"),
            "--trust 'arn:aws:sts::111122223333:assumed-role/Responder/alice': a role session (what `aws sts "
            "get-caller-identity` shows): trust its role, whose ARN `aws iam get-role --role-name Responder --query "
            "Role.Arn` prints (with its path)");
  const std::string not_arn = "not a role or user ARN (arn:aws:iam::ACCOUNT:role/NAME) or an account id";
  EXPECT_EQ(why("arn:aws:iam::1111:role/x"), "--trust 'arn:aws:iam::1111:role/x': " + not_arn);
  EXPECT_EQ(why("11112222333"), "--trust '11112222333': " + not_arn);
  EXPECT_EQ(why("arn:aws:iam:us-east-1:111122223333:role/x"), "--trust 'arn:aws:iam:us-east-1:111122223333:role/x': " + not_arn);
  const std::string not_named = "the resource is not root, role/NAME or user/NAME";
  for (const std::string bad : {"group/admins", "role/", "role/a//b", "role/a b", "role/a/"}) {
    EXPECT_EQ(why("arn:aws:iam::111122223333:" + bad), "--trust 'arn:aws:iam::111122223333:" + bad + "': " + not_named);
  }
  EXPECT_EQ(why("arn:aws:s3::111122223333:bucket"), "--trust 'arn:aws:s3::111122223333:bucket': not an IAM ARN");
  // A terminal sees no control character of what was typed.
  EXPECT_EQ(why("x\x1b]0;t\x07"), "--trust 'x?]0;t?': " + not_arn);
  // The external id is never repeated back.
  const std::string bad_id = "--external-id: STS takes 2 to 1224 characters of letters, digits and +=,.@:/_-";
  EXPECT_EQ(why("111122223333", "a b"), bad_id);
  EXPECT_EQ(why("111122223333", "x"), bad_id);
  EXPECT_EQ(why("111122223333", std::string(1225, 'a')), bad_id);
  EXPECT_EQ(why("111122223333", std::string(1224, 'a')), "accepted");
}

TEST(Monitor, ThresholdsSitAboveTheBaselinePeaks) {
  const auto alarms = PlanAlarms("payments", {{"Errors", 4}, {"Invocations", 120}, {"Duration", 900}});
  ASSERT_EQ(alarms.size(), 5u);
  EXPECT_EQ(alarms[0].name, "lambda-ir-payments-errors");
  EXPECT_EQ(alarms[0].threshold, 4);      // any 5 minutes worse than the worst seen
  EXPECT_EQ(alarms[1].threshold, 0);      // no throttles seen: any throttle alarms
  EXPECT_EQ(alarms[2].threshold, 250);    // invocations: double the busiest, plus 10
  EXPECT_EQ(alarms[3].threshold, 1450);   // duration: half again the slowest, plus 100 ms
  EXPECT_EQ(alarms[4].threshold, 1);      // concurrency: above the highest seen
}

TEST(SuspectFunctions, OnlyFunctionsCreatedByAPrincipalOfAHighFinding) {
  auto finding = [](const char* rule, Severity severity, const char* actor, const char* resource) {
    Finding f;
    f.rule_id = rule;
    f.severity = severity;
    f.actor = actor;
    f.resource = resource;
    f.title = "t";
    return f;
  };
  const auto suspects = FunctionsCreatedBySuspects({
      finding("lambda_permission_public", Severity::kCritical, "arn:aws:iam::1:user/bad", "arn:aws:lambda:us-east-1:1:function:p"),
      finding("lambda_function_created", Severity::kMedium, "arn:aws:iam::1:user/bad", "arn:aws:lambda:us-east-1:1:function:miner"),
      finding("lambda_function_created", Severity::kMedium, "arn:aws:iam::1:user/bad", "arn:aws:lambda:us-east-1:1:function:miner"),
      finding("lambda_function_created", Severity::kMedium, "arn:aws:iam::1:user/ci", "arn:aws:lambda:us-east-1:1:function:api"),
  });
  ASSERT_EQ(suspects.size(), 1u);
  EXPECT_EQ(suspects[0].name, "miner");
  EXPECT_EQ(suspects[0].because, "lambda_permission_public: t");
}

TEST(PreIncident, NewestVersionConfiguredBeforeTheFirstFindingAboutTheFunction) {
  Finding unrelated;
  unrelated.severity = Severity::kCritical;
  unrelated.resource = "arn:aws:lambda:us-east-1:1:function:other";
  unrelated.time = 100;
  Finding low;
  low.severity = Severity::kLow;
  low.resource = "payments";
  low.time = 150;
  Finding by_session;
  by_session.severity = Severity::kHigh;
  by_session.actor = "arn:aws:sts::1:assumed-role/payments-role/payments";
  by_session.time = 300;
  Finding about;
  about.severity = Severity::kCritical;
  about.resource = "arn:aws:lambda:us-east-1:1:function:payments";
  about.time = 500;
  EXPECT_EQ(IncidentStart({unrelated, low, about, by_session}, "payments"), 300);
  EXPECT_EQ(IncidentStart({unrelated, low}, "payments"), std::nullopt);
  const std::vector<VersionConfig> versions = {{"$LATEST", 50}, {"1", 100}, {"2", 250}, {"3", 300}, {"4", 400}};
  EXPECT_EQ(PreIncidentVersion(versions, 300), "2");  // 3 was configured at the incident's start: not before it
  EXPECT_EQ(PreIncidentVersion(versions, 100), std::nullopt);
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

JournalStep Done(std::string key, std::string prior = "{}", TimestampMs at = 0) {
  JournalStep s;
  s.key = std::move(key);
  s.status = StepStatus::kDone;
  s.prior_state = std::move(prior);
  s.started_at = s.finished_at = at;
  return s;
}

// Two contained functions share a role: the deny-all stays while the other is contained,
// and goes once eradicate has deleted the other (else the recovered function would run with
// a role that denies everything).
TEST(RecoverPlan, ADeletedFunctionNoLongerHoldsItsRole) {
  const std::string role = R"({"RoleName":"shared-role","PolicyName":"DenyAll-IncidentResponse"})";
  std::vector<JournalStep> journal = {Done("contain/payments/r1/deny-policy", role, 100), Done("contain/cache-warmer/r1/deny-policy", role, 110)};
  EXPECT_EQ(RolesHeldByOtherContainments(journal, "payments"), (std::map<std::string, std::string>{{"shared-role", "cache-warmer"}}));
  JournalStep failed = Done("eradicate/payments/delete-function/cache-warmer", "{}", 200);
  failed.status = StepStatus::kFailed;
  journal.push_back(failed);
  EXPECT_EQ(RolesHeldByOtherContainments(journal, "payments").size(), 1u);  // not deleted: still held
  journal.push_back(Done("eradicate/payments/delete-function/cache-warmer", "{}", 210));
  EXPECT_EQ(RolesHeldByOtherContainments(journal, "payments"), (std::map<std::string, std::string>{}));
  // A function of that name made again on the role and contained again holds it anew.
  journal.push_back(Done("contain/cache-warmer/r2/deny-policy", role, 300));
  EXPECT_EQ(RolesHeldByOtherContainments(journal, "payments"), (std::map<std::string, std::string>{{"shared-role", "cache-warmer"}}));
  // The deleted function's name is the key's last part, whatever the other names in it: a
  // function called "delete-function" deleted x.
  const std::vector<JournalStep> odd = {Done("contain/payments/r1/deny-policy", role, 100), Done("contain/x/r1/deny-policy", role, 110),
                                        Done("eradicate/delete-function/delete-function/x", "{}", 200)};
  EXPECT_EQ(RolesHeldByOtherContainments(odd, "payments"), (std::map<std::string, std::string>{}));
}

}  // namespace
}  // namespace lir
