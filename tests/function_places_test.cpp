// collect and contain of a function whose account and region the responder does not know
// (`--accounts`, `--regions`), against the organisation of tests/organisation_fixture.h: the
// name is searched in each account and region, the one place it is in is entered through the
// account's role, and the evidence and the changes land there, nowhere else.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "organisation_fixture.h"
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
// and region; the caller's account is not touched.
TEST_F(FunctionPlaces, ContainActsInTheAccountAndRegionTheFunctionIsIn) {
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
  const auto state = test::RunPython("read_state.py", {gaps_, "beta-worker", Id("beta"), "us-west-2"});
  ASSERT_EQ(state.exit_code, 0) << state.err;
  EXPECT_EQ(json::parse(state.out)["reserved"], 0);
  const auto payments = test::RunPython("read_state.py", {gaps_, "payments"});
  ASSERT_EQ(payments.exit_code, 0) << payments.err;
  EXPECT_EQ(json::parse(payments.out)["reserved"], nullptr);
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
  const auto two = Lir({"contain", "payments", "beta-api", "--accounts", "all", "--case", tmp.File("case"), "--yes"});
  EXPECT_EQ(two.exit_code, 2) << two.err;
  EXPECT_EQ(two.err, "lambda-ir: contain: payments is in 123456789012 us-east-1 but beta-api in " + Id("beta") +
                         " us-east-1: one case holds one account and region, act on each place apart\n");
  EXPECT_FALSE(std::filesystem::exists(tmp.File("case")));
}

}  // namespace
}  // namespace lir
