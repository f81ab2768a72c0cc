// What moto cannot show: CloudTrail LookupEvents (moto lacks it) against a loopback replay
// of real-format responses built from the third-party corpora, and fault injection (a
// loopback proxy in front of moto) for retries and non-idempotent calls.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "aws/api_caller.h"
#include "aws/aws_session.h"
#include "aws/cloudtrail_client.h"
#include "evidence/case.h"
#include "evidence/trail_collector.h"
#include "sources/cloudtrail_reader.h"
#include "sources/event_view.h"
#include "test_support.h"

namespace lir::aws {
namespace {

std::vector<nlohmann::json> ReadLog(const std::string& path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

std::unique_ptr<AwsSession> SessionFor(const std::string& endpoint, MapEnvironment* env, const std::string& region = "us-east-1") {
  *env = MapEnvironment({{"HOME", "/nonexistent"}, {"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"},
                         {"AWS_DEFAULT_REGION", region}, {"AWS_ENDPOINT_URL", endpoint}, {"AWS_EC2_METADATA_DISABLED", "true"}});
  return std::move(*AwsSession::Create({}, *env, nullptr));
}

struct Ids : RecordSink {
  std::vector<std::string> ids;
  void OnRecord(const RecordRef& r) override {
    EventView v;
    std::string why;
    if (const EventView* found = r.View(&v, &why)) ids.emplace_back(found->event_id);
  }
  void OnIssue(ReadIssue) override {}
};

TEST(LookupEventsReplay, PagesThrottlingAndTheRateLimit) {
  LIR_REQUIRE_CORPORA();
  test::TempDir dir;
  test::ChildServer replay({"python3", test::SourceDir() + "/tests/servers/lookup_events_replay.py", test::CorporaDir(), dir.File("log")});
  MapEnvironment env({});
  auto session = SessionFor(replay.url(), &env);
  CloudTrailClient cloudtrail(session->context(), MakeLookupEventsLimiter());
  auto pages = cloudtrail.LookupEvents({"EventSource", "lambda.amazonaws.com", std::nullopt, std::nullopt});
  ASSERT_TRUE(pages) << pages.error().message;

  // Every record of the corpora files, in order, across pages of two.
  const auto trail = nlohmann::json::parse(test::ReadFile(test::CorporaDir() + "/cloudtrail-trailscraper/"
                                                          "111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json"));
  const auto docs = nlohmann::json::parse(test::ReadFile(test::CorporaDir() + "/cloudtrail-awsdocs/aws-lambda-developer-guide/"
                                                         "logging-using-cloudtrail.block0.json"));
  std::vector<std::string> expected;
  for (const auto& r : trail["Records"]) expected.push_back(r["eventID"]);
  for (const auto& r : docs["Records"]) expected.push_back(r["eventID"]);
  EXPECT_EQ(pages->size(), (expected.size() + 1) / 2);
  // The pages, saved as received, are what `lambda-ir analyze` reads.
  Ids ids;
  CloudTrailReader reader;
  for (const auto& page : *pages) {
    InputBuffer buffer;
    buffer.Resize(page.raw.size());
    std::memcpy(buffer.data(), page.raw.data(), page.raw.size());
    reader.ReadBuffer("page", buffer, ids);
  }
  EXPECT_EQ(ids.ids, expected);

  const auto log = ReadLog(dir.File("log"));
  ASSERT_EQ(log.size(), pages->size() + 1);  // one throttled request, retried
  for (const auto& entry : log) {
    EXPECT_TRUE(entry["signed"].get<bool>());
    EXPECT_EQ(entry["target"], "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents");
    const auto body = nlohmann::json::parse(entry["body"].get<std::string>());
    EXPECT_EQ(body["LookupAttributes"][0]["AttributeValue"], "lambda.amazonaws.com");
  }
  EXPECT_FALSE(nlohmann::json::parse(log[1]["body"].get<std::string>()).contains("NextToken"));  // the retry of page 1
  EXPECT_EQ(nlohmann::json::parse(log[2]["body"].get<std::string>())["NextToken"], "2");
  // 2 requests per second: consecutive requests at least ~0.5 s apart.
  for (size_t i = 1; i < log.size(); ++i) {
    EXPECT_GE(log[i]["t"].get<double>() - log[i - 1]["t"].get<double>(), 0.45) << "request " << i;
  }
}

// A function outside us-east-1: its role's IAM events are recorded in us-east-1, so the
// role is looked up there too (signed for us-east-1), besides the function's own region.
TEST(LookupEventsReplay, RoleEventsAreAlsoReadFromUsEast1) {
  LIR_REQUIRE_CORPORA();
  test::TempDir dir;
  test::ChildServer replay({"python3", test::SourceDir() + "/tests/servers/lookup_events_replay.py", test::CorporaDir(), dir.File("log")});
  MapEnvironment env({});
  auto session = SessionFor(replay.url(), &env, "eu-west-1");
  auto evidence = EvidenceCase::Create(dir.File("case"), "case", "tester", "test");
  ASSERT_TRUE(evidence);
  CollectionOutcome outcome;
  CollectLookupEvents(*session, **evidence, "payments", "payments-role", {0, NowMs()}, &outcome);
  EXPECT_TRUE(outcome.failures.empty());
  std::vector<std::string> asked;
  for (const auto& entry : ReadLog(dir.File("log"))) {
    const auto body = nlohmann::json::parse(entry["body"].get<std::string>());
    if (body.contains("NextToken")) continue;  // later pages of the same query
    asked.push_back(body["LookupAttributes"][0]["AttributeValue"].get<std::string>() + "@" + entry["region"].get<std::string>());
  }
  // The first request is the replay's throttled one, retried: drop the duplicate.
  asked.erase(std::unique(asked.begin(), asked.end()), asked.end());
  EXPECT_EQ(asked, (std::vector<std::string>{"lambda.amazonaws.com@eu-west-1", "payments@eu-west-1", "payments-role@eu-west-1",
                                             "payments-role@us-east-1"}));
  struct stat st {};
  EXPECT_EQ(stat(dir.File("case/artifacts/cloudtrail/lookup-ResourceName-payments-role-us-east-1.page-1.json").c_str(), &st), 0);
}

class FaultInjection : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto seed = test::RunPython("seed_moto.py", {test::FreshMoto()});
    seeded_ = seed.exit_code == 0;
    ASSERT_TRUE(seeded_) << seed.err;
  }

  // Runs `calls` through a fault proxy with `plan`; returns what reached moto.
  std::vector<nlohmann::json> Run(const std::string& plan, const std::function<void(ApiCaller&)>& calls) {
    test::TempDir dir;
    test::ChildServer proxy({"python3", test::SourceDir() + "/tests/servers/fault_proxy.py", test::MotoEndpoint(), plan, dir.File("log")});
    MapEnvironment env({});
    auto session = SessionFor(proxy.url(), &env);
    ApiCaller caller(Service::kLambda, session->context());
    calls(caller);
    return ReadLog(dir.File("log"));
  }

  bool seeded_ = false;
};

const CallParams kGet{{{"FunctionName", "payments"}}};

TEST_F(FaultInjection, RetriesRecoverFromThrottling500sResetsAndSlowReplies) {
  const auto& get = Op(Service::kLambda, "GetFunctionConfiguration");
  const auto forwarded = Run("throttle,error500,pass,reset,slow", [&](ApiCaller& caller) {
    auto first = caller.Call(get, kGet);  // throttled, then 500, then through
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->doc["FunctionName"], "payments");
    auto second = caller.Call(get, kGet);  // reset, then a slow reply
    ASSERT_TRUE(second) << second.error().message;
  });
  EXPECT_EQ(forwarded.size(), 2u);
}

TEST_F(FaultInjection, GivesUpAfterMaxAttemptsWithTheServiceError) {
  const auto forwarded = Run("throttle,throttle,throttle", [&](ApiCaller& caller) {
    auto r = caller.Call(Op(Service::kLambda, "GetFunctionConfiguration"), kGet);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kThrottled);
    EXPECT_EQ(r.error().service_code, "ThrottlingException");
  });
  EXPECT_TRUE(forwarded.empty());
}

TEST_F(FaultInjection, NonIdempotentCallIsNotRepeatedWhenItMayHaveLanded) {
  const auto& add = Op(Service::kLambda, "AddPermission");
  auto params = [](const char* sid) {
    return CallParams{{{"FunctionName", "payments"}}, {}, {{"StatementId", sid}, {"Action", "lambda:InvokeFunction"},
                                                           {"Principal", "events.amazonaws.com"}}};
  };
  const auto forwarded = Run("pass,lost,throttle", [&](ApiCaller& caller) {
    ASSERT_TRUE(caller.Call(Op(Service::kLambda, "GetFunctionConfiguration"), kGet));  // warms a reusable connection
    // Reached Lambda, answer lost: a retry could add the statement twice, so none is made.
    auto lost = caller.Call(add, params("fault-lost"));
    ASSERT_FALSE(lost);
    EXPECT_EQ(lost.error().code, ErrorCode::kUnavailable);
    // A throttling reply proves nothing happened: retried, and it lands once.
    auto throttled = caller.Call(add, params("fault-throttled"));
    ASSERT_TRUE(throttled) << throttled.error().message;
  });
  ASSERT_EQ(forwarded.size(), 3u);
  EXPECT_EQ(forwarded[1]["method"], "POST");
  EXPECT_NE(forwarded[1]["body"].get<std::string>().find("fault-lost"), std::string::npos);
  EXPECT_NE(forwarded[2]["body"].get<std::string>().find("fault-throttled"), std::string::npos);
}

}  // namespace
}  // namespace lir::aws
