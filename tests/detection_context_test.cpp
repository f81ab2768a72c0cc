// Detection from context: routine changes by a usual deployer, severity from what a change
// grants, the suspect-actor pivot (and what suspects create), refused writes, and the benign
// week that must raise nothing high or critical.
#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/engine.h"
#include "analysis/rule_set.h"
#include "sources/input_files.h"
#include "test_support.h"

namespace lir {
namespace {

using nlohmann::json;

constexpr const char* kAccount = "111122223333";
constexpr const char* kSdkUa = "aws-sdk-js/3.478.0 ua/2.0 os/linux#6.5.0 lang/js md/nodejs#20.10.0 api/lambda#3.478.0";
constexpr const char* kCliUa = "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12";
constexpr const char* kLambdaUa = "Boto3/1.34.34 md/Botocore#1.34.34 exec-env/AWS_Lambda_python3.12";

json User(const std::string& name, const std::string& key) {
  return {{"type", "IAMUser"}, {"principalId", "AIDA" + name}, {"arn", fmt::format("arn:aws:iam::{}:user/{}", kAccount, name)},
          {"accountId", kAccount}, {"accessKeyId", key}, {"userName", name}};
}

json Session(const std::string& role, const std::string& session, const std::string& key) {
  return {{"type", "AssumedRole"},
          {"principalId", "AROA" + role + ":" + session},
          {"arn", fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", kAccount, role, session)},
          {"accountId", kAccount},
          {"accessKeyId", key},
          {"sessionContext",
           {{"sessionIssuer",
             {{"type", "Role"}, {"principalId", "AROA" + role}, {"arn", fmt::format("arn:aws:iam::{}:role/{}", kAccount, role)},
              {"accountId", kAccount}, {"userName", role}}}}}};
}

struct Call {
  std::string time, source, name;
  json identity, request = nullptr, response = nullptr;
  std::string ip = "203.0.113.10", ua = kCliUa, error;
  std::string region = "us-east-1";
};

class Trail {
 public:
  std::string Add(const Call& c) {
    const std::string id = fmt::format("ev-{:03}", records_.size() + 1);
    json r = {{"eventVersion", "1.09"}, {"userIdentity", c.identity}, {"eventTime", c.time}, {"eventSource", c.source},
              {"eventName", c.name}, {"awsRegion", c.region}, {"sourceIPAddress", c.ip}, {"userAgent", c.ua},
              {"requestParameters", c.request}, {"responseElements", c.error.empty() ? c.response : json(nullptr)},
              {"eventID", id}, {"eventType", "AwsApiCall"}, {"recipientAccountId", kAccount}};
    if (!c.error.empty()) {
      r["errorCode"] = c.error;
      r["errorMessage"] = "not authorized";
    }
    records_.push_back(std::move(r));
    return id;
  }

  AnalysisResult Analyze(const std::string& function = "") {
    text_ = json{{"Records", records_}}.dump();
    ScanOptions options;
    options.jobs = 1;
    options.function = function;
    return lir::Analyze({{"trail.json", text_.size(), &text_}}, LoadEmbeddedRules().Rules(), options);
  }

 private:
  json records_ = json::array();
  std::string text_;
};

const Finding* FindingOf(const AnalysisResult& r, const std::string& rule, const std::string& event_id) {
  for (const Finding& f : r.findings) {
    if (f.rule_id == rule && std::find(f.event_ids.begin(), f.event_ids.end(), event_id) != f.event_ids.end()) return &f;
  }
  return nullptr;
}

Call CodeUpdate(const std::string& time, json identity, const std::string& function, const std::string& ua) {
  return {time, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", std::move(identity),
          {{"functionName", function}}, {{"functionName", function}}, "140.82.115.4", ua};
}

TEST(DetectionContext, UsualDeployerChangesAreRoutineOnlyFromItsOwnClientAndAfterADay) {
  Trail t;
  const json ci1 = Session("github-deploy", "gha-1", "ASIACI1");
  const json ci2 = Session("github-deploy", "gha-2", "ASIACI2");  // a new session every run
  const std::string first = t.Add(CodeUpdate("2026-11-25T10:00:00Z", ci1, "orders-api", kSdkUa));
  const std::string next_day = t.Add(CodeUpdate("2026-11-26T10:00:00Z", ci2, "orders-api", kSdkUa));
  const std::string laptop = t.Add(CodeUpdate("2026-11-26T11:00:00Z", ci2, "orders-api", kCliUa));
  const std::string other_fn = t.Add(CodeUpdate("2026-11-26T12:00:00Z", ci2, "thumbnailer", kSdkUa));
  const std::string laptop_again = t.Add(CodeUpdate("2026-11-26T13:00:00Z", ci2, "orders-api", kCliUa));
  // Minutes apart, a stranger's changes to one function never make each other routine.
  const json mallory = User("mallory", "AKIAMALLORY");
  const std::string burst1 = t.Add(CodeUpdate("2026-11-26T14:00:00Z", mallory, "orders-api", kCliUa));
  const std::string burst2 = t.Add(CodeUpdate("2026-11-26T14:03:00Z", mallory, "orders-api", kCliUa));
  const AnalysisResult r = t.Analyze();

  auto check = [&](const std::string& id, Severity severity, bool routine, const std::string& note) {
    const Finding* f = FindingOf(r, "lambda_function_code_updated", id);
    ASSERT_NE(f, nullptr) << id;
    EXPECT_EQ(f->severity, severity) << id;
    EXPECT_EQ(f->routine, routine) << id;
    EXPECT_EQ(f->note, note) << id;
  };
  check(first, Severity::kMedium, false, "");
  check(next_day, Severity::kLow, true,
        "routine: github-deploy changed orders-api 1 time(s) before, the first 24 h earlier, from the same client (aws-sdk-js)");
  check(laptop, Severity::kMedium, false, "");
  check(other_fn, Severity::kLow, true,
        "routine: github-deploy made 3 changes in this account before, the first 26 h earlier, from the same client (aws-sdk-js)");
  check(laptop_again, Severity::kMedium, false, "");  // the laptop's change taught nothing
  check(burst1, Severity::kMedium, false, "");
  check(burst2, Severity::kMedium, false, "");
}

// "New principal" needs a day of evidence before the event: of its region, else of its account.
// A principal seen a day before in another region is known; one never seen is new.
TEST(DetectionContext, NewPrincipalNeedsCoverageOfTheEventsAccountAndRegion) {
  Trail t;
  const json ops = User("ops", "AKIAOPS");
  const json dev = User("dev", "AKIADEV");
  Call seen{"2026-11-24T09:00:00Z", "s3.amazonaws.com", "ListBuckets", ops};
  seen.region = "us-west-2";
  t.Add(seen);
  t.Add({"2026-11-26T08:00:00Z", "sts.amazonaws.com", "GetCallerIdentity", dev});  // us-east-1 begins here
  Call known = CodeUpdate("2026-11-26T09:00:00Z", ops, "orders-api", kCliUa);
  Call unknown = CodeUpdate("2026-11-26T09:05:00Z", dev, "orders-api", kCliUa);
  const std::string by_ops = t.Add(known);
  const std::string by_dev = t.Add(unknown);
  const AnalysisResult r = t.Analyze();
  EXPECT_EQ(FindingOf(r, "lambda_change_by_new_principal", by_ops), nullptr);
  const Finding* f = FindingOf(r, "lambda_change_by_new_principal", by_dev);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kHigh);
  EXPECT_EQ(f->note, "");
  // With one hour of the account's evidence, nobody can be told new.
  Trail short_trail;
  short_trail.Add({"2026-11-26T08:00:00Z", "sts.amazonaws.com", "GetCallerIdentity", dev});
  const std::string early = short_trail.Add(CodeUpdate("2026-11-26T09:05:00Z", dev, "orders-api", kCliUa));
  const AnalysisResult s = short_trail.Analyze();
  const Finding* g = FindingOf(s, "lambda_change_by_new_principal", early);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->severity, Severity::kInfo);
  EXPECT_EQ(g->note, "no baseline: the evidence for 111122223333 in us-east-1 begins 65 min before this event; 1440 min are needed");
}

// A region the account never used has no history before the attacker's first call there: the
// account's other regions are its baseline, and a stranger there is new, not "no baseline".
TEST(DetectionContext, ANewPrincipalInAnUnusedRegionIsNew) {
  Trail t;
  t.Add({"2026-11-20T09:00:00Z", "sts.amazonaws.com", "GetCallerIdentity", User("ops", "AKIAOPS")});
  Call create{"2026-11-26T09:00:00Z", "lambda.amazonaws.com", "CreateFunction20150331", User("eve", "AKIAEVE"),
              {{"functionName", "miner"}}};
  create.region = "ap-southeast-3";
  const std::string id = t.Add(create);
  const AnalysisResult r = t.Analyze();
  const Finding* f = FindingOf(r, "lambda_change_by_new_principal", id);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kHigh);
  EXPECT_EQ(f->note, "");
}

Call RolePolicy(const std::string& time, const std::string& name, const json& request) {
  return {time, "iam.amazonaws.com", name, User("dana", "AKIADANA"), request};
}

TEST(DetectionContext, RoleChangesAreRatedByWhatTheyGrant) {
  Trail t;
  // The role runs a function: its changes are the function's.
  t.Add({"2026-11-25T09:00:00Z", "lambda.amazonaws.com", "CreateFunction20150331", User("dana", "AKIADANA"),
         {{"functionName", "payments"}, {"role", fmt::format("arn:aws:iam::{}:role/payments-role", kAccount)}}});
  auto put = [&](const std::string& time, const json& statements, bool url_encoded = false) {
    std::string doc = json{{"Version", "2012-10-17"}, {"Statement", statements}}.dump();
    if (url_encoded) {
      std::string encoded;
      for (char c : doc) encoded += std::isalnum(static_cast<unsigned char>(c)) ? std::string(1, c) : fmt::format("%{:02X}", c);
      doc = encoded;
    }
    return t.Add(RolePolicy(time, "PutRolePolicy", {{"roleName", "payments-role"}, {"policyName", "p"}, {"policyDocument", doc}}));
  };
  const std::string scoped = put("2026-11-25T10:00:00Z", {{{"Effect", "Allow"}, {"Action", "dynamodb:GetItem"}, {"Resource", "*"}}});
  const std::string deny_all = put("2026-11-25T10:01:00Z", {{{"Effect", "Deny"}, {"Action", "*"}, {"Resource", "*"}}});
  // Allow and "*" in different statements: no statement allows everything.
  const std::string mixed = put("2026-11-25T10:02:00Z", {{{"Effect", "Allow"}, {"Action", "s3:GetObject"}, {"Resource", "*"}},
                                                         {{"Effect", "Deny"}, {"Action", "*"}, {"Resource", "*"}}});
  const std::string pass_role = put("2026-11-25T10:03:00Z", {{{"Effect", "Allow"}, {"Action", {"iam:PassRole"}}, {"Resource", "*"}}});
  const std::string star = put("2026-11-25T10:04:00Z", {{{"Effect", "Allow"}, {"Action", {"s3:GetObject", "*"}}, {"Resource", "*"}}}, true);
  // Wildcards and NotAction grant as much as their spelled-out forms.
  const std::string not_action = put("2026-11-25T10:05:10Z", {{{"Effect", "Allow"}, {"NotAction", "iam:DeleteRole"}, {"Resource", "*"}}});
  const std::string any_service = put("2026-11-25T10:05:20Z", {{{"Effect", "Allow"}, {"Action", "*:*"}, {"Resource", "*"}}});
  const std::string iam_p = put("2026-11-25T10:05:30Z", {{{"Effect", "Allow"}, {"Action", "iam:P*"}, {"Resource", "*"}}});
  const std::string assume = put("2026-11-25T10:05:40Z", {{{"Effect", "Allow"}, {"Action", "sts:Assume*"}, {"Resource", "*"}}});
  const std::string admin = t.Add(RolePolicy("2026-11-25T10:05:00Z", "AttachRolePolicy",
                                             {{"roleName", "payments-role"}, {"policyArn", "arn:aws:iam::aws:policy/AdministratorAccess"}}));
  auto trust = [&](const std::string& time, const json& principal) {
    const json doc = {{"Version", "2012-10-17"},
                      {"Statement", {{{"Effect", "Allow"}, {"Principal", principal}, {"Action", "sts:AssumeRole"}}}}};
    return t.Add(RolePolicy(time, "UpdateAssumeRolePolicy", {{"roleName", "payments-role"}, {"policyDocument", doc.dump()}}));
  };
  const std::string lambda_only = trust("2026-11-25T10:06:00Z", {{"Service", "lambda.amazonaws.com"}});
  const std::string ec2 = trust("2026-11-25T10:07:00Z", {{"Service", {"lambda.amazonaws.com", "ec2.amazonaws.com"}}});
  const std::string foreign = trust("2026-11-25T10:08:00Z", {{"AWS", "arn:aws:iam::444455556666:root"}});
  const std::string anyone = trust("2026-11-25T10:09:00Z", "*");
  const std::string own_account = trust("2026-11-25T10:10:00Z", {{"AWS", "arn:aws:iam::111122223333:role/deploy"}});
  const AnalysisResult r = t.Analyze();

  auto check = [&](const std::string& rule, const std::string& id, Severity severity, const std::string& note) {
    const Finding* f = FindingOf(r, rule, id);
    ASSERT_NE(f, nullptr) << id;
    EXPECT_EQ(f->severity, severity) << id;
    EXPECT_EQ(f->note, note) << id;
  };
  const std::string policy = "iam_lambda_role_policy_changed", trust_rule = "iam_lambda_role_trust_changed";
  check(policy, scoped, Severity::kMedium, "");
  check(policy, deny_all, Severity::kMedium, "");
  check(policy, mixed, Severity::kMedium, "");
  const std::string powers =
      "grants IAM, role-assumption or Lambda powers (wildcards included), a power-user or administrator job policy, or "
      "removes a permissions boundary";
  const std::string everything =
      "grants every action (Action * or iam:*, a wildcard service with every action, or NotAction) or an administrator "
      "policy";
  check(policy, pass_role, Severity::kHigh, powers);
  check(policy, iam_p, Severity::kHigh, powers);
  check(policy, assume, Severity::kHigh, powers);
  check(policy, star, Severity::kCritical, everything);
  check(policy, admin, Severity::kCritical, everything);
  check(policy, not_action, Severity::kCritical, everything);
  check(policy, any_service, Severity::kCritical, everything);
  check(trust_rule, lambda_only, Severity::kMedium, "");
  const std::string inside = "lets another AWS service than Lambda, or a principal of this account, assume the role";
  check(trust_rule, ec2, Severity::kHigh, inside);
  check(trust_rule, own_account, Severity::kHigh, inside);
  const std::string outside = "lets another AWS account, a federated identity or anyone assume the role";
  check(trust_rule, foreign, Severity::kCritical, outside);
  check(trust_rule, anyone, Severity::kCritical, outside);
}

TEST(DetectionContext, SuspectsAndWhatTheyCreateJoinTheIncident) {
  Trail t;
  const json mallory = User("mallory", "AKIAMALLORY");
  const std::string opened = t.Add({"2026-11-26T14:00:00Z", "lambda.amazonaws.com", "AddPermission20150331v2", mallory,
                                    {{"functionName", "payments"}, {"action", "lambda:InvokeFunction"}, {"principal", "*"},
                                     {"statementId", "open"}}});
  const std::string user = t.Add({"2026-11-26T14:01:00Z", "iam.amazonaws.com", "CreateUser", mallory, {{"userName", "bob"}},
                                  {{"user", {{"userName", "bob"}, {"arn", fmt::format("arn:aws:iam::{}:user/bob", kAccount)}}}}});
  const std::string key = t.Add({"2026-11-26T14:02:00Z", "iam.amazonaws.com", "CreateAccessKey", mallory, {{"userName", "bob"}},
                                 {{"accessKey", {{"userName", "bob"}, {"accessKeyId", "AKIABOBKEY"}, {"status", "Active"}}}}});
  // The new key, used from elsewhere: bob's calls are the attacker's.
  const json bob = User("bob", "AKIABOBKEY");
  const std::string shared = t.Add({"2026-11-26T15:00:00Z", "ec2.amazonaws.com", "ModifySnapshotAttribute", bob,
                                    {{"snapshotId", "snap-1"}, {"attributeType", "CREATE_VOLUME_PERMISSION"}},
                                    nullptr, "198.51.100.23"});
  const std::string refused1 = t.Add({"2026-11-26T15:01:00Z", "cloudtrail.amazonaws.com", "DeleteTrail", bob,
                                      {{"name", "org-trail"}}, nullptr, "198.51.100.23", kCliUa, "AccessDenied"});
  const std::string refused2 = t.Add({"2026-11-26T15:02:00Z", "guardduty.amazonaws.com", "DeleteDetector", bob,
                                      {{"detectorId", "d-1"}}, nullptr, "198.51.100.23", kCliUa, "AccessDeniedException"});
  // The same kind of call by someone nothing implicates.
  const std::string innocent = t.Add({"2026-11-26T15:03:00Z", "ec2.amazonaws.com", "ModifySnapshotAttribute",
                                      User("dana", "AKIADANA"), {{"snapshotId", "snap-2"}}, nullptr, "192.0.2.44"});
  const AnalysisResult r = t.Analyze();

  const Finding* created = FindingOf(r, "suspect_iam_identity_created", user);
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->event_ids, (std::vector<std::string>{user, key}));
  EXPECT_EQ(created->resource, "bob");
  EXPECT_EQ(created->category, "persistence");
  EXPECT_EQ(created->note,
            "suspect: Lambda function opened to everyone (AddPermission, 2026-11-26T14:00:00Z); created: user "
            "arn:aws:iam::111122223333:user/bob, access key AKIABOBKEY");
  const Finding* exfil = FindingOf(r, "suspect_data_shared_out", shared);
  ASSERT_NE(exfil, nullptr);
  EXPECT_EQ(exfil->actor, "arn:aws:iam::111122223333:user/bob");
  EXPECT_EQ(exfil->resource, "snap-1");
  // The key the suspect created is what matches first.
  EXPECT_EQ(exfil->note, "suspect: created by a suspect: CreateAccessKey at 2026-11-26T14:02:00Z");
  const Finding* attempts = FindingOf(r, "suspect_write_attempt_denied", refused1);
  ASSERT_NE(attempts, nullptr);
  EXPECT_EQ(attempts->event_ids, (std::vector<std::string>{refused1, refused2}));
  EXPECT_EQ(attempts->severity, Severity::kMedium);
  EXPECT_EQ(FindingOf(r, "suspect_data_shared_out", innocent), nullptr);
  EXPECT_EQ(FindingOf(r, "suspect_iam_identity_created", opened), nullptr);
  // The pivot's events are on the timeline with the rest.
  std::set<std::string> timeline;
  for (const Event& e : r.timeline) timeline.insert(e.event_id);
  for (const std::string& id : {shared, refused1, refused2}) EXPECT_TRUE(timeline.count(id)) << id;
  EXPECT_FALSE(timeline.count(innocent));
}

TEST(DetectionContext, ALambdaRoleIsImplicatedByTheFlaggedSessionNotAsAWhole) {
  Trail t;
  const json flagged = Session("payments-role", "payments", "ASIAFLAGGED");
  const json other = Session("payments-role", "payments", "ASIAOTHER");
  // The role is a Lambda role: its sessions call from a Lambda runtime.
  t.Add({"2026-11-26T13:00:00Z", "sts.amazonaws.com", "GetCallerIdentity", other, nullptr, nullptr, "3.91.10.10", kLambdaUa});
  const std::string backdoor = t.Add({"2026-11-26T14:00:00Z", "iam.amazonaws.com", "CreateUser", flagged,
                                      {{"userName", "svc-backup"}}, nullptr, "3.91.10.11", kLambdaUa});
  const Call run_flagged{"2026-11-26T14:10:00Z", "ec2.amazonaws.com", "RunInstances", flagged, {{"instanceType", "p3.16xlarge"}},
                         nullptr, "3.91.10.11", kLambdaUa};
  Call run_other = run_flagged;
  run_other.identity = other;
  run_other.time = "2026-11-26T14:11:00Z";
  const std::string by_flagged = t.Add(run_flagged);
  const std::string by_other = t.Add(run_other);
  const AnalysisResult r = t.Analyze();
  ASSERT_NE(FindingOf(r, "iam_write_by_lambda_role", backdoor), nullptr);
  const Finding* run = FindingOf(r, "suspect_command_execution", by_flagged);
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->event_ids, std::vector<std::string>{by_flagged});
  EXPECT_EQ(FindingOf(r, "suspect_command_execution", by_other), nullptr);
}

TEST(DetectionContext, RefusedWritesToLambdaOrIamAreOneFindingPerPrincipal) {
  Trail t;
  const json probe = Session("ci-runner", "run-7", "ASIAPROBE");
  const std::string a = t.Add({"2026-11-26T14:00:00Z", "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", probe,
                               {{"functionName", "payments"}}, nullptr, "198.51.100.7", kCliUa, "AccessDeniedException"});
  const std::string b = t.Add({"2026-11-26T14:01:00Z", "iam.amazonaws.com", "PutRolePolicy", probe,
                               {{"roleName", "payments-role"}}, nullptr, "198.51.100.7", kCliUa, "AccessDenied"});
  const std::string c = t.Add({"2026-11-26T14:02:00Z", "lambda.amazonaws.com", "CreateFunction20150331", probe,
                               {{"functionName", "x"}}, nullptr, "198.51.100.7", kCliUa, "AccessDeniedException"});
  const std::string read = t.Add({"2026-11-26T14:03:00Z", "lambda.amazonaws.com", "GetFunction20150331v2", probe,
                                  {{"functionName", "payments"}}, nullptr, "198.51.100.7", kCliUa, "AccessDeniedException"});
  const std::string conflict = t.Add({"2026-11-26T14:04:00Z", "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", probe,
                                      {{"functionName", "payments"}}, nullptr, "198.51.100.7", kCliUa, "ResourceConflictException"});
  const AnalysisResult r = t.Analyze();
  std::vector<const Finding*> refused;
  for (const Finding& f : r.findings) {
    if (f.rule_id == "lambda_iam_write_attempt_denied") refused.push_back(&f);
  }
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0]->event_ids, (std::vector<std::string>{a, b, c}));
  EXPECT_EQ(refused[0]->severity, Severity::kMedium);
  EXPECT_EQ(refused[0]->actor, "arn:aws:sts::111122223333:assumed-role/ci-runner/run-7");
  (void)read;
  (void)conflict;
}

// What is learned later counts for what was judged earlier: a change rated routine because the
// usual deployer's client made it is not routine once its key turns out to be a suspect's, and
// credentials a suspect obtained (AssumeRole) are followed.
TEST(DetectionContext, RoutineIsJudgedAgainOnceTheKeyIsASuspects) {
  Trail t;
  t.Add(CodeUpdate("2026-11-24T10:00:00Z", Session("deploy", "run-1", "ASIARUN1"), "pay", kSdkUa));
  t.Add(CodeUpdate("2026-11-25T10:00:00Z", Session("deploy", "run-2", "ASIARUN2"), "pay", kSdkUa));
  // Day 3: a stolen session, the pipeline's own client; then a public URL with the same key.
  const json stolen = Session("deploy", "run-9", "ASIASTOLEN");
  Call code = CodeUpdate("2026-11-26T10:00:00Z", stolen, "pay", kSdkUa);
  code.ip = "203.0.113.66";
  const std::string backdoor = t.Add(code);
  t.Add({"2026-11-26T10:05:00Z", "lambda.amazonaws.com", "CreateFunctionUrlConfig", stolen,
         {{"functionName", "pay"}, {"authType", "NONE"}}, {{"authType", "NONE"}}, "203.0.113.66", kSdkUa});
  // Eve (public permission: critical) assumes the deploy role; that session deploys and reads a secret.
  const json eve = User("eve", "AKIAEVE");
  t.Add({"2026-11-26T11:00:00Z", "lambda.amazonaws.com", "AddPermission20150331v2", eve,
         {{"functionName", "pay"}, {"principal", "*"}, {"action", "lambda:InvokeFunction"}, {"statementId", "s"}}});
  t.Add({"2026-11-26T11:01:00Z", "sts.amazonaws.com", "AssumeRole", eve,
         {{"roleArn", fmt::format("arn:aws:iam::{}:role/deploy", kAccount)}, {"roleSessionName", "x"}},
         {{"credentials", {{"accessKeyId", "ASIAEVEDEPLOY"}}}}});
  const json eve_deploy = Session("deploy", "x", "ASIAEVEDEPLOY");
  const std::string via_role = t.Add(CodeUpdate("2026-11-26T11:02:00Z", eve_deploy, "pay", kSdkUa));
  const std::string secret = t.Add({"2026-11-26T11:03:00Z", "secretsmanager.amazonaws.com", "GetSecretValue", eve_deploy,
                                    {{"secretId", "prod/db"}}, nullptr, "192.0.2.200", kCliUa});
  const AnalysisResult r = t.Analyze();
  const Finding* f = FindingOf(r, "lambda_function_code_updated", backdoor);
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->routine);
  EXPECT_EQ(f->severity, Severity::kMedium);
  EXPECT_EQ(f->note, "not routine: suspect: Function URL without authentication (CreateFunctionUrlConfig, 2026-11-26T10:05:00Z)");
  const Finding* g = FindingOf(r, "lambda_function_code_updated", via_role);
  ASSERT_NE(g, nullptr);
  EXPECT_FALSE(g->routine);
  // The role itself was implicated by its stolen session by then.
  EXPECT_EQ(g->note, "not routine: suspect: Function URL without authentication (CreateFunctionUrlConfig, 2026-11-26T10:05:00Z)");
  const Finding* read = FindingOf(r, "suspect_credential_access", secret);
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->resource, "prod/db");
  EXPECT_EQ(read->note, "suspect: created by a suspect: AssumeRole at 2026-11-26T11:01:00Z");  // its key, followed
}

// --function shows one function, but who is a suspect is learned from everything: a stolen key
// that opened another function is not a usual deployer of this one.
TEST(DetectionContext, FunctionViewLearnsSuspectsFromOtherFunctions) {
  Trail t;
  t.Add(CodeUpdate("2026-11-24T10:00:00Z", Session("deploy", "run-1", "ASIARUN1"), "a", kSdkUa));
  t.Add(CodeUpdate("2026-11-25T10:00:00Z", Session("deploy", "run-2", "ASIARUN2"), "a", kSdkUa));
  const json stolen = Session("deploy", "run-9", "ASIASTOLEN");
  t.Add({"2026-11-26T10:00:00Z", "lambda.amazonaws.com", "CreateFunctionUrlConfig", stolen,
         {{"functionName", "b"}, {"authType", "NONE"}}, {{"authType", "NONE"}}, "203.0.113.66", kSdkUa});
  const std::string update = t.Add(CodeUpdate("2026-11-26T10:05:00Z", stolen, "a", kSdkUa));
  const AnalysisResult r = t.Analyze("a");
  const Finding* f = FindingOf(r, "lambda_function_code_updated", update);
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->routine);
  EXPECT_EQ(f->severity, Severity::kMedium);
  for (const Finding& other : r.findings) EXPECT_NE(other.rule_id, "lambda_function_url_public");  // b's, not shown
}

// Reads of a decoy secret by the hundred do not hide the one read that matters.
TEST(DetectionContext, EverySecretASuspectReadIsNamed) {
  Trail t;
  const json eve = User("eve", "AKIAEVE");
  t.Add({"2026-11-26T11:00:00Z", "lambda.amazonaws.com", "AddPermission20150331v2", eve,
         {{"functionName", "pay"}, {"principal", "*"}, {"action", "lambda:InvokeFunction"}, {"statementId", "s"}}});
  for (int i = 0; i < 600; ++i) {
    t.Add({fmt::format("2026-11-26T11:{:02}:{:02}Z", 1 + i / 60, i % 60), "secretsmanager.amazonaws.com", "GetSecretValue",
           eve, {{"secretId", "dummy"}}});
  }
  const std::string real = t.Add({"2026-11-26T11:30:00Z", "secretsmanager.amazonaws.com", "GetSecretValue", eve,
                                  {{"secretId", "prod/db-master"}}});
  const AnalysisResult r = t.Analyze();
  const Finding* f = FindingOf(r, "suspect_credential_access", real);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->resource, "prod/db-master");
}

// tools/gen_cloudtrail.py --benign: a week of four accounts' pipelines, Terraform runs (role
// policies and trust rewritten daily), a new service, routine failures. Nothing in it is an
// attack: every high or critical finding would be a false positive.
TEST(DetectionContext, ABenignWeekRaisesNothingHighOrCritical) {
  test::TempDir dir;
  const auto gen = test::RunCommand({"python3", test::SourceDir() + "/tools/gen_cloudtrail.py", "--out", dir.path() + "/week",
                                     "--benign", "--hours", "168"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::vector<ReadIssue> issues;
  const auto inputs = DiscoverInputs({dir.path() + "/week"}, &issues);
  ASSERT_TRUE(issues.empty());
  const AnalysisResult r = Analyze(inputs, LoadEmbeddedRules().Rules(), {});
  EXPECT_EQ(r.stats.events, 40817u);
  size_t routine = 0;
  for (const Finding& f : r.findings) {
    EXPECT_LT(f.severity, Severity::kHigh) << f.rule_id << " " << f.actor << " " << f.resource << " " << f.event_ids.front();
    routine += f.routine;
  }
  // Most of the week's changes are the usual deployers' and are told as routine.
  EXPECT_EQ(routine, 284u);
}

}  // namespace
}  // namespace lir
