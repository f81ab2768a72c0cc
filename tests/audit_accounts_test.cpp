// `lambda-ir audit --accounts` against an AWS Organization in moto (tests/seed_accounts.py):
// the caller's account read with its own credentials, each member through
// OrganizationAccountAccessRole assumed with the external id given, one member whose role
// cannot be assumed (the control proxy denies that one AssumeRole), a closed member that
// "all" skips and names.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "organisation_fixture.h"
#include "test_support.h"

namespace lir {
namespace {

using nlohmann::json;

class AuditAccounts : public test::OrganisationTest {
 protected:
  std::vector<std::string> AuditAll(const std::string& accounts) const {
    return {"audit", "--all-functions", "--accounts", accounts, "--external-id", "ext-4711", "--regions", "us-east-1,us-west-2",
            "--format", "json"};
  }
  // (account, function, check) of the findings about functions.
  static std::set<std::tuple<std::string, std::string, std::string>> FunctionFindings(const json& report, const std::set<std::string>& ids) {
    std::set<std::tuple<std::string, std::string, std::string>> out;
    for (const json& f : report["findings"]) {
      if (ids.count(f["id"]) != 0) out.emplace(f["account"].get<std::string>(), f["function"].get<std::string>(), f["id"].get<std::string>());
    }
    return out;
  }

};

// --accounts all: the organisation's active accounts, the caller's first; each member entered
// once through its role with the external id; every function of every account read with its
// own account on each row; the account without the role one gap; exit 9 (partial).
TEST_F(AuditAccounts, EveryActiveAccountReadAndTheOneWithoutTheRoleIsAGap) {
  const auto r = Lir(AuditAll("all"));
  EXPECT_EQ(r.exit_code, 9) << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["account"], kCaller);
  EXPECT_EQ(report["accounts"], json::array({kCaller, Id("beta"), Id("gamma")}));
  EXPECT_EQ(report["functions"], 4);
  using Row = std::tuple<std::string, std::string, std::string>;
  const std::set<Row> expected = {{kCaller, "payments", "lambda_config_policy_public"},
                                  {kCaller, "payments", "lambda_config_url_public"},
                                  {Id("beta"), "beta-api", "lambda_config_policy_public"},
                                  {Id("beta"), "beta-api", "lambda_config_url_public"},
                                  {Id("gamma"), "gamma-job", "lambda_config_policy_public"}};
  EXPECT_EQ(FunctionFindings(report, {"lambda_config_policy_public", "lambda_config_url_public"}), expected);
  // Every finding about a function names it in its own account's ARN and region.
  std::set<std::string> functions;
  for (const json& f : report["findings"]) {
    if (f["function"] == "") continue;
    functions.insert(f["account"].get<std::string>() + "/" + f["function"].get<std::string>() + "/" + f["region"].get<std::string>());
    EXPECT_EQ(f["resource"].get<std::string>().rfind("arn:aws:lambda:" + f["region"].get<std::string>() + ":" +
                                                         f["account"].get<std::string>() + ":function:" + f["function"].get<std::string>(), 0),
              0u)
        << f.dump();
  }
  EXPECT_EQ(functions, (std::set<std::string>{std::string(kCaller) + "/payments/us-east-1", Id("beta") + "/beta-api/us-east-1",
                                              Id("beta") + "/beta-worker/us-west-2", Id("gamma") + "/gamma-job/us-west-2"}));
  // delta: one gap naming the role and what to do; omega (closed) not tried at all.
  ASSERT_EQ(report["unread"].size(), 1u) << report["unread"].dump(2);
  const json& gap = report["unread"][0];
  EXPECT_EQ(gap["account"], Id("delta"));
  EXPECT_EQ(gap["resource"], RoleOf("delta"));
  EXPECT_EQ(gap["operation"], "sts:AssumeRole");
  EXPECT_EQ(gap["error"].get<std::string>().rfind("permission-denied: AssumeRole " + RoleOf("delta") + ": AccessDenied: ", 0), 0u) << gap.dump();
  EXPECT_NE(gap["remedy"].get<std::string>().find("role OrganizationAccountAccessRole exists in " + Id("delta")), std::string::npos);
  const std::multiset<std::tuple<std::string, std::string, std::string>> assumed = {
      {RoleOf("beta"), "lambda-ir-audit", "ext-4711"}, {RoleOf("gamma"), "lambda-ir-audit", "ext-4711"},
      {RoleOf("delta"), "lambda-ir-audit", "ext-4711"}};
  EXPECT_EQ(AssumeRoles(), assumed);
  // omega is listed by the organisation but closed: the report says it was left out.
  EXPECT_EQ(report["not_checked"].back(), "account " + Id("omega") + " (omega): SUSPENDED in the organisation, not entered");
}

// An account entered but whose functions cannot be listed (its role lacks audit's reads) is a
// gap that names that role and audit's reads, not the role's trust; the caller's own account
// names the caller. Nothing read: exit 6, with the report of what failed.
TEST_F(AuditAccounts, AnEnteredAccountThatCannotBeReadNamesTheReadsNotTheTrust) {
  json rules = DeltaHasNoRole();
  rules["deny"] = {"lambda:ListFunctions"};
  SetRules(rules);
  const auto r = Lir(AuditAll("all"));
  EXPECT_EQ(r.exit_code, 6) << r.err;
  const json report = json::parse(r.out);
  std::vector<std::string> unread;
  for (const json& g : report["unread"]) {
    unread.push_back(g["account"].get<std::string>() + " | " + g["what"].get<std::string>() + " | " + g["resource"].get<std::string>() +
                     " | " + g["operation"].get<std::string>() + " | " + g["remedy"].get<std::string>());
  }
  const std::string trust = "make sure role OrganizationAccountAccessRole exists in " + Id("delta") +
                            " and trusts the caller's account or role (or name another with --assume-role-name), and that the caller "
                            "may call sts:AssumeRole on it";
  EXPECT_EQ(unread, (std::vector<std::string>{
                        std::string(kCaller) + " | account |  | lambda:ListFunctions | give the caller audit's reads in " + kCaller +
                            " (lambda-ir permissions audit lists them)",
                        Id("beta") + " | account | " + RoleOf("beta") + " | lambda:ListFunctions | give role " + RoleOf("beta") +
                            " audit's reads in " + Id("beta") + " (lambda-ir permissions audit lists them)",
                        Id("gamma") + " | account | " + RoleOf("gamma") + " | lambda:ListFunctions | give role " + RoleOf("gamma") +
                            " audit's reads in " + Id("gamma") + " (lambda-ir permissions audit lists them)",
                        Id("delta") + " | account (role assumed) | " + RoleOf("delta") + " | sts:AssumeRole | " + trust}))
      << report["unread"].dump(2);
}

// A fix line for another account's function runs with that account's credentials, not the
// caller's: the line names the profile to use. The terminal report names each row's account.
TEST_F(AuditAccounts, AnotherAccountsRowsNameTheirAccountAndTheProfileToUse) {
  const std::vector<std::string> args = {"audit", "beta-api", "payments", "--accounts", Id("beta") + "," + kCaller, "--regions", "us-east-1"};
  auto json_args = args;
  json_args.insert(json_args.end(), {"--format", "json"});
  const auto r = Lir(json_args);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["accounts"], json::array({kCaller, Id("beta")}));
  std::map<std::string, std::string> fix;
  for (const json& f : report["findings"]) {
    if (f["id"] == "lambda_config_url_public") fix[f["function"]] = f["fix_command"];
  }
  const std::string endpoint = " --endpoint-url " + control_->url();
  EXPECT_EQ(fix, (std::map<std::string, std::string>{
                     {"beta-api", "aws lambda update-function-url-config --function-name beta-api --auth-type AWS_IAM --profile '<profile of " +
                                      Id("beta") + ">' --region us-east-1" + endpoint},
                     {"payments", "aws lambda update-function-url-config --function-name payments --auth-type AWS_IAM --region us-east-1" + endpoint}}));
  const auto text = Lir(args);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Audit 2 accounts (123456789012, " + Id("beta") + "), 2 function(s)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("\n  beta-api (" + Id("beta") + " us-east-1)\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("\n  payments (123456789012 us-east-1)\n"), std::string::npos) << text.out;
  // Only beta's role was assumed: the caller's own account needs none.
  EXPECT_EQ(AssumeRoles().size(), 2u);
}

// A function named on the command line is searched in every account: found in one, it is no
// gap in the others; found in none, it is one gap of no account.
TEST_F(AuditAccounts, ANamedFunctionIsSearchedInEveryAccount) {
  const auto r = Lir({"audit", "gamma-job", "no-such-function", "--accounts", "all", "--regions", "us-east-1,us-west-2", "--format", "json"});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["functions"], 1);
  std::set<std::string> unread;
  for (const json& g : report["unread"]) {
    unread.insert(g["account"].get<std::string>() + " " + g["what"].get<std::string>() + " " + g["resource"].get<std::string>() + ": " +
                  g["remedy"].get<std::string>().substr(0, 40));
  }
  EXPECT_EQ(unread, (std::set<std::string>{" function no-such-function: check the name, --accounts and --regions",
                                           Id("delta") + " account (role assumed) " + RoleOf("delta") + ": make sure role OrganizationAccountAccess"}));
}

// Before anything is read: an id that is not one is a usage error naming it; an organisation
// the caller may not list is an AWS error naming the permission.
TEST_F(AuditAccounts, BadAccountsStopBeforeAnyRead) {
  const auto bad = Lir({"audit", "--all-functions", "--accounts", "123456789012,12345"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_EQ(bad.out, "");
  EXPECT_NE(bad.err.find("--accounts: '12345' is not a 12-digit account id (ID,ID,... or all)"), std::string::npos) << bad.err;
  SetRules({{"deny", {"organizations:ListAccounts"}}});
  const auto denied = Lir({"audit", "--all-functions", "--accounts", "all"});
  EXPECT_EQ(denied.exit_code, 6) << denied.err;
  EXPECT_EQ(denied.out, "");
  EXPECT_NE(denied.err.find("--accounts all: ListAccounts: AccessDenied"), std::string::npos) << denied.err;
  EXPECT_NE(denied.err.find("next: grant organizations:ListAccounts to the caller; it answers only in the organisation's management "
                            "account or a delegated administrator's"),
            std::string::npos)
      << denied.err;
  // An account in no organisation: name the accounts instead.
  SetRules({{"answers",
             {{"organizations:ListAccounts",
               {{{"status", 400},
                 {"body", R"({"__type":"AWSOrganizationsNotInUseException","Message":"Your account is not a member of an organization."})"},
                 {"headers", {{"Content-Type", "application/x-amz-json-1.1"}}}}}}}}});
  const auto alone = Lir({"audit", "--all-functions", "--accounts", "all"});
  EXPECT_EQ(alone.exit_code, 6) << alone.err;
  EXPECT_NE(alone.err.find("next: the caller's account belongs to no organisation: name the accounts instead (--accounts ID,ID,...)"),
            std::string::npos)
      << alone.err;
}

// An organisation's answer that names an account twice: each account is read once, as its first
// entry says (its findings were doubled, and a function there looked found in two places).
TEST_F(AuditAccounts, AnAccountListedTwiceIsReadOnce) {
  auto entry = [](const std::string& id, const std::string& status) {
    return json{{"Id", id}, {"Name", "n"}, {"Status", status}, {"State", status}};
  };
  const json accounts = {{"Accounts", {entry(kCaller, "ACTIVE"), entry(Id("beta"), "ACTIVE"), entry(kCaller, "ACTIVE"),
                                       entry(Id("beta"), "SUSPENDED")}}};
  SetRules({{"answers",
             {{"organizations:ListAccounts",
               {{{"status", 200}, {"body", accounts.dump()}, {"headers", {{"Content-Type", "application/x-amz-json-1.1"}}}}}}}}});
  const auto r = Lir(AuditAll("all"));
  const json report = json::parse(r.out);
  EXPECT_EQ(report["accounts"], json::array({kCaller, Id("beta")})) << r.err;
  size_t public_policy = 0;
  for (const json& f : report["findings"]) public_policy += f["account"] == kCaller && f["id"] == "lambda_config_policy_public";
  EXPECT_EQ(public_policy, 1u);
}

}  // namespace
}  // namespace lir
