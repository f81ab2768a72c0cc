// collect and contain of a function whose account and region the responder does not know
// (`--accounts`, `--regions`), against the organisation of tests/organisation_fixture.h: the
// name is searched in each account and region, the one place it is in is entered through the
// account's role, and the evidence and the changes land there, nowhere else.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/aws_data.h"
#include "core/task_pool.h"
#include "organisation_fixture.h"
#include "response/function_locator.h"
#include "test_support.h"

namespace lir {
namespace {

using nlohmann::json;
using Assumed = std::multiset<std::tuple<std::string, std::string, std::string>>;

class FunctionPlaces : public test::OrganisationTest {
 protected:
  static std::vector<std::string> Collect(const std::string& function, const std::string& case_dir) {
    return {"collect", function, "--accounts", "all", "--regions", "us-east-1,us-west-2", "--case", case_dir,
            "--skip-cloudtrail", "--skip-logs", "--skip-metrics", "--skip-packages"};
  }
  void SeedFunction(const std::string& account, const std::string& region, const std::string& name) const {
    const auto r = test::RunPython("seed_function.py", {moto_, gaps_, account, region, name});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  json StateOf(const std::string& name, const std::string& account, const std::string& region) const {
    const auto r = test::RunPython("read_state.py", {gaps_, name, account, region});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }
  // The custody line that opened the case.
  static json CollectionStarted(const std::string& case_dir) {
    std::istringstream log(test::ReadFile(case_dir + "/custody.log"));
    for (std::string line; std::getline(log, line);) {
      if (line.find("collection-started") != std::string::npos) return json::parse(line)["detail"];
    }
    return nullptr;
  }
};

// gamma-job is only in gamma, us-west-2: every active account is searched in both regions
// (delta cannot be entered: a warning, not a failure), gamma is entered once more to collect,
// and the case holds gamma's function, its custody line naming the account, region and role.
TEST_F(FunctionPlaces, CollectFindsTheFunctionInItsAccountAndRegion) {
  const test::TempDir tmp;
  const auto r = Lir(Collect("gamma-job", tmp.File("case")));
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const json stored = json::parse(test::ReadFile(tmp.File("case") + "/artifacts/lambda/gamma-job/function.json"));
  EXPECT_EQ(stored["Configuration"]["FunctionArn"], "arn:aws:lambda:us-west-2:" + Id("gamma") + ":function:gamma-job");
  EXPECT_EQ(CollectionStarted(tmp.File("case")),
            json({{"function", "gamma-job"},
                  {"account", Id("gamma")},
                  {"caller", "arn:aws:sts::123456789012:user/moto"},
                  {"region", "us-west-2"},
                  {"endpoint", control_->url()},
                  {"role", RoleOf("gamma")}}));
  EXPECT_NE(r.err.find("lambda-ir: collect: gamma-job in account " + Id("gamma") + ", region us-west-2, as " + RoleOf("gamma") + "\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("lambda-ir: collect: warning: not searched: " + Id("delta") + ": not entered (AssumeRole " + RoleOf("delta")),
            std::string::npos)
      << r.err;
  EXPECT_EQ(AssumeRoles(), (Assumed{{RoleOf("beta"), "lambda-ir-collect", ""},
                                    {RoleOf("gamma"), "lambda-ir-collect", ""},
                                    {RoleOf("gamma"), "lambda-ir-collect", ""},
                                    {RoleOf("delta"), "lambda-ir-collect", ""}}));
}

// --regions all: each account entered is searched in the regions it has enabled
// (ec2:DescribeRegions, asked as that account's role), not in every Lambda region; without
// the permission, in every region, with a warning naming who lacks it.
TEST_F(FunctionPlaces, RegionsAllSearchesEachAccountsEnabledRegions) {
  auto args = Collect("gamma-job", "");
  args[5] = "all";  // --regions
  const test::TempDir tmp;
  args[7] = tmp.File("case");
  const auto r = Lir(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("lambda-ir: collect: gamma-job in account " + Id("gamma") + ", region us-west-2, as " + RoleOf("gamma") + "\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("enabled regions"), std::string::npos) << r.err;
  const json log = json::parse(test::PostJson(control_->url() + "/_proxy/log", ""));
  // The caller's account, beta and gamma (delta is not entered); moto enables 20 regions, so
  // 3 x 20 searches, where every Lambda region would have been 3 x 34.
  EXPECT_EQ(std::count(log.begin(), log.end(), "ec2:DescribeRegions"), 3);
  const auto searches = std::count(log.begin(), log.end(), "lambda:GetFunctionConfiguration");
  EXPECT_GE(searches, 3 * 20);
  EXPECT_LT(searches, 3 * 20 + 5) << "the collect of the one found adds a few";

  ASSERT_EQ(test::PostJson(control_->url() + "/_proxy/reset", ""), "{}");
  SetRules({{"deny", {"ec2:DescribeRegions"}}, {"deny_if", DeltaHasNoRole()["deny_if"]}});
  const test::TempDir again;
  args[7] = again.File("case");
  const auto denied = Lir(args);
  ASSERT_EQ(denied.exit_code, 0) << denied.err;
  for (const std::string& account : {std::string(kCaller), Id("beta"), Id("gamma")}) {
    const std::string who = account == kCaller ? "the caller" : "role arn:aws:iam::" + account + ":role/OrganizationAccountAccessRole";
    EXPECT_NE(denied.err.find("lambda-ir: collect: warning: account " + account + ": its enabled regions could not be listed (DescribeRegions: "
                              "UnauthorizedOperation: "),
              std::string::npos)
        << denied.err;
    EXPECT_NE(denied.err.find("every Lambda region was searched; grant ec2:DescribeRegions to " + who + "\n"), std::string::npos)
        << denied.err;
  }
}

// A name found nowhere names what could not be searched; nothing is created.
TEST_F(FunctionPlaces, ANameFoundNowhereSaysWhereItWasNotSearched) {
  const test::TempDir tmp;
  const auto r = Lir(Collect("no-such-function", tmp.File("case")));
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(r.err.rfind("lambda-ir: collect: no-such-function is in none of the accounts and regions searched; not searched: " + Id("delta") +
                            ": not entered (AssumeRole " + RoleOf("delta") + ": AccessDenied: ",
                        0),
            0u)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(tmp.File("case")));
}

// contain of a function in another account and region: the throttle lands on beta's
// beta-worker in us-west-2, as beta's role, and the printed lines name that account's profile
// and region; the caller's account is not touched. recover finds it the same way and undoes it.
TEST_F(FunctionPlaces, ContainActsInTheAccountAndRegionTheFunctionIsIn) {
  SeedFunction(kCaller, "us-west-2", "beta-worker");  // a namesake in an account not searched
  const test::TempDir tmp;
  const std::vector<std::string> args = {"contain", "beta-worker", "--accounts", Id("beta"), "--regions", "us-east-1,us-west-2",
                                         "--case", tmp.File("case"), "--steps", "throttle", "--skip-packages"};
  auto dry = args;
  dry.push_back("--dry-run");
  const auto printed = Lir(dry);
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_NE(printed.out.find("aws lambda put-function-concurrency --function-name beta-worker --reserved-concurrent-executions 0 "
                             "--profile '<profile of " +
                             Id("beta") + ">' --region us-west-2 --endpoint-url " + control_->url() + "\n"),
            std::string::npos)
      << printed.out;
  auto yes = args;
  yes.push_back("--yes");
  const auto r = Lir(yes);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("in account " + Id("beta") + ", region us-west-2, as arn:aws:sts::" + Id("beta") +
                       ":assumed-role/OrganizationAccountAccessRole/lambda-ir-contain"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(StateOf("beta-worker", Id("beta"), "us-west-2")["reserved"], 0);
  EXPECT_EQ(StateOf("beta-worker", kCaller, "us-west-2")["reserved"], nullptr);
  // recover, with the same flags and the case, undoes it there: no reserved concurrency again.
  const auto back = Lir({"recover", "beta-worker", "--accounts", Id("beta"), "--regions", "us-west-2", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(back.exit_code, 0) << back.err << back.out;
  EXPECT_EQ(StateOf("beta-worker", Id("beta"), "us-west-2")["reserved"], nullptr);
}

// A change acts only on a search that looked everywhere: delta could not be entered, so the
// beta-worker found in beta may be a decoy of one in delta. Refused, nothing changed; the ARN
// (not searched) is acted on, entering beta alone.
TEST_F(FunctionPlaces, AChangeOnAnIncompleteSearchIsRefusedButItsArnIsActedOn) {
  const test::TempDir tmp;
  const auto refused = Lir({"contain", "beta-worker", "--accounts", "all", "--regions", "us-east-1,us-west-2", "--case", tmp.File("case"),
                            "--steps", "throttle", "--yes"});
  EXPECT_EQ(refused.exit_code, 8) << refused.err;
  const std::string arn = "arn:aws:lambda:us-west-2:" + Id("beta") + ":function:beta-worker";
  EXPECT_EQ(refused.err.rfind("lambda-ir: contain: beta-worker was found as " + arn +
                                  ", but the search was not complete: another beta-worker may be where it could not look; not searched: " +
                                  Id("delta") + ": not entered (AssumeRole " + RoleOf("delta") + ": AccessDenied: ",
                              0),
            0u)
      << refused.err;
  EXPECT_NE(refused.err.find(". Nothing changed\n  next: name the function by its ARN (no search), or give the searches that failed what they lack\n"),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(std::filesystem::exists(tmp.File("case")));
  EXPECT_EQ(StateOf("beta-worker", Id("beta"), "us-west-2")["reserved"], nullptr);

  // (Packages skipped: moto's code location of a member account's function is not reachable here,
  // and a package the case lacks makes the run part done.)
  const auto by_arn = Lir({"contain", arn, "--accounts", "all", "--case", tmp.File("case"), "--steps", "throttle", "--skip-packages",
                           "--yes"});
  ASSERT_EQ(by_arn.exit_code, 0) << by_arn.err << by_arn.out;
  EXPECT_EQ(StateOf("beta-worker", Id("beta"), "us-west-2")["reserved"], 0);
  // The refused search entered beta, gamma and delta (refused); the ARN, beta alone.
  EXPECT_EQ(AssumeRoles(), (Assumed{{RoleOf("beta"), "lambda-ir-contain", ""},
                                    {RoleOf("gamma"), "lambda-ir-contain", ""},
                                    {RoleOf("delta"), "lambda-ir-contain", ""},
                                    {RoleOf("beta"), "lambda-ir-contain", ""}}));
}

// A name in two places asks for the ARN; searched in the caller's account alone (--regions),
// the one in another region is collected through a session in that region. The external id
// goes with every AssumeRole.
TEST_F(FunctionPlaces, ANameInTwoPlacesAsksForItsArnAndAnotherRegionIsEntered) {
  SeedFunction(kCaller, "us-west-2", "twin");
  SeedFunction(Id("gamma"), "us-east-1", "twin");
  const test::TempDir tmp;
  auto args = Collect("twin", tmp.File("case"));
  args.insert(args.end(), {"--external-id", "ext-1"});
  const auto two = Lir(args);
  EXPECT_EQ(two.exit_code, 2) << two.err;
  EXPECT_EQ(two.err, "lambda-ir: collect: twin is in 2 places: name one by its ARN: arn:aws:lambda:us-west-2:123456789012:function:twin, "
                     "arn:aws:lambda:us-east-1:" + Id("gamma") + ":function:twin\n");
  EXPECT_EQ(AssumeRoles(), (Assumed{{RoleOf("beta"), "lambda-ir-collect", "ext-1"},
                                    {RoleOf("gamma"), "lambda-ir-collect", "ext-1"},
                                    {RoleOf("delta"), "lambda-ir-collect", "ext-1"}}));

  const auto mine = Lir({"collect", "twin", "--regions", "us-east-1,us-west-2", "--case", tmp.File("case"), "--skip-cloudtrail",
                         "--skip-logs", "--skip-metrics", "--skip-packages"});
  ASSERT_EQ(mine.exit_code, 0) << mine.err;
  const json stored = json::parse(test::ReadFile(tmp.File("case") + "/artifacts/lambda/twin/function.json"));
  EXPECT_EQ(stored["Configuration"]["FunctionArn"], "arn:aws:lambda:us-west-2:123456789012:function:twin");
  const json started = CollectionStarted(tmp.File("case"));
  EXPECT_EQ(started["region"], "us-west-2");
  EXPECT_EQ(started["account"], kCaller);
  EXPECT_FALSE(started.contains("role"));
}

// What is neither a name nor a whole ARN, a region that is no region, an ARN of another
// partition: refused before any call.
TEST_F(FunctionPlaces, MalformedFunctionsAndRegionsAreRefusedBeforeAnyCall) {
  const auto partial = Lir({"contain", Id("beta") + ":function:beta-api", "--accounts", "all", "--yes"});
  EXPECT_EQ(partial.exit_code, 2);
  EXPECT_EQ(partial.err, "lambda-ir: contain: '" + Id("beta") +
                             ":function:beta-api' is neither a function name nor a function ARN (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME)\n");
  const auto host = Lir({"collect", "arn:aws:lambda:evil.example/x?:" + Id("beta") + ":function:f", "--accounts", "all"});
  EXPECT_EQ(host.exit_code, 2);
  EXPECT_NE(host.err.find("is neither a function name nor a function ARN"), std::string::npos) << host.err;
  const auto region = Lir({"collect", "payments", "--regions", "us-east-1,evil.example/"});
  EXPECT_EQ(region.exit_code, 2);
  EXPECT_EQ(region.err, "lambda-ir: collect: --regions: 'evil.example/' is not a region (R1,R2,... or all)\n");
  const auto china = Lir({"contain", "arn:aws-cn:lambda:cn-north-1:" + Id("beta") + ":function:f", "--accounts", "all", "--yes"});
  EXPECT_EQ(china.exit_code, 2);
  EXPECT_EQ(china.err, "lambda-ir: contain: arn:aws-cn:lambda:cn-north-1:" + Id("beta") + ":function:f is not in the caller's partition (aws)\n");
  EXPECT_EQ(AssumeRoles().size(), 0u);
}

// A step denied in another account names the role that lacks the permission, not the caller.
TEST_F(FunctionPlaces, ADeniedStepInAnotherAccountNamesItsRole) {
  json rules = DeltaHasNoRole();
  rules["deny"] = {"lambda:PutFunctionConcurrency"};
  SetRules(rules);
  const test::TempDir tmp;
  const auto r = Lir({"contain", "beta-worker", "--accounts", Id("beta"), "--regions", "us-west-2", "--case", tmp.File("case"), "--steps",
                      "throttle", "--skip-packages", "--yes"});
  EXPECT_EQ(r.exit_code, 6) << r.err << r.out;
  EXPECT_NE(r.out.find("(grant lambda:PutFunctionConcurrency to role " + RoleOf("beta") + ")\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("to the caller"), std::string::npos) << r.out;
}

// STS quotes the external id it refuses: the error printed does not.
TEST_F(FunctionPlaces, AnExternalIdStsRefusesIsNotPrinted) {
  SetRules({{"answers",
             {{"sts:AssumeRole",
               {{{"status", 400},
                 {"body", "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>1 validation error detected: Value "
                          "'ext secret 77' at 'externalId' failed to satisfy constraint</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"},
                 {"headers", {{"Content-Type", "text/xml"}}}}}}}}});
  const test::TempDir tmp;
  const auto r = Lir({"collect", "gamma-job", "--accounts", Id("gamma"), "--regions", "us-west-2", "--external-id", "ext secret 77", "--case",
                      tmp.File("case")});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(r.err.find("ext secret 77"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Value '<external id>' at 'externalId'"), std::string::npos) << r.err;
}

// One case holds one account and region: functions in two accounts are refused before any
// change, and an ARN of an account --accounts does not name is refused, saying which to add.
TEST_F(FunctionPlaces, FunctionsOfTwoAccountsOrAnUnnamedAccountAreRefused) {
  const test::TempDir tmp;
  const std::string arn = "arn:aws:lambda:us-east-1:" + Id("gamma") + ":function:gamma-job";
  const auto unnamed = Lir({"contain", arn, "--accounts", Id("beta"), "--case", tmp.File("case"), "--yes"});
  EXPECT_EQ(unnamed.exit_code, 2) << unnamed.err;
  EXPECT_EQ(unnamed.err, "lambda-ir: contain: " + arn + " is in account " + Id("gamma") + ", which --accounts does not name\n  next: add it: --accounts " +
                             Id("gamma") + "\n");
  EXPECT_EQ(AssumeRoles().size(), 0u);  // an ARN is not searched: nothing entered
  const auto two = Lir({"contain", "payments", "beta-api", "--accounts", std::string(kCaller) + "," + Id("beta"), "--case", tmp.File("case"), "--yes"});
  EXPECT_EQ(two.exit_code, 2) << two.err;
  EXPECT_EQ(two.err, "lambda-ir: contain: payments is in 123456789012 us-east-1 but beta-api in " + Id("beta") +
                         " us-east-1: one case holds one account and region, act on each place apart\n");
  EXPECT_FALSE(std::filesystem::exists(tmp.File("case")));
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

TEST(FunctionArns, OnlyWholeLambdaFunctionArnsWithARegionAndAnAccountParse) {
  EXPECT_EQ(PlaceOfArn("arn:aws:lambda:eu-central-2:111122223333:function:f:live"),
            (FunctionPlace{"111122223333", "eu-central-2", "arn:aws:lambda:eu-central-2:111122223333:function:f"}));
  EXPECT_EQ(PlaceOfArn("arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:f"),
            (FunctionPlace{"111122223333", "us-gov-west-1", "arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:f"}));
  for (const char* bad : {"111122223333:function:f", "f", "arn:aws:lambda:us-east-1:111122223333:layer:l:1",
                          "arn:aws:lambda:evil.example/:111122223333:function:f", "arn:aws:lambda:us-east-1:1111:function:f",
                          "arn:aws:lambda:us-east-1:111122223333:function:", "arn:aws:lambda:us-east-1:111122223333:function:f:1:x"}) {
    EXPECT_EQ(PlaceOfArn(bad), std::nullopt) << bad;
  }
}

TEST(FunctionArns, RegionNamesHaveTheirForm) {
  for (const char* good : {"us-east-1", "ap-southeast-4", "us-gov-west-1", "cn-north-1", "il-central-1", "eu-isoe-west-1"}) {
    EXPECT_TRUE(aws::IsRegionName(good)) << good;
  }
  for (const char* bad : {"", "us-east", "us-east-", "-us-east-1", "us--east-1", "US-EAST-1", "us-east-1.evil.com", "evil.example/",
                          "us-east-1/", "u-east-1", "us-1"}) {
    EXPECT_FALSE(aws::IsRegionName(bad)) << bad;
  }
}

TEST(TaskPoolFailures, ATaskThatThrowsIsRethrownByWaitAndTheOthersStillRun) {
  std::atomic<int> ran{0};
  TaskPool pool(3);
  for (int i = 0; i < 6; ++i) {
    pool.Submit([&ran, i] {
      if (i == 2) throw std::runtime_error("task 2 failed");
      ++ran;
    });
  }
  EXPECT_THROW(
      {
        try {
          pool.Wait();
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "task 2 failed");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_EQ(ran.load(), 5);
  pool.Wait();  // the failure was reported once
}

}  // namespace
}  // namespace lir
