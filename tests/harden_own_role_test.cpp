// `lambda-ir harden --fixes own-role` on the audit scenario (audit_fixture.h): the function
// moves to a role of its own with the policy its use needs (or a copy of the grants), its
// aliases follow where they serve $LATEST's code, a role of that name someone else made is
// refused, the dry-run's lines reach the same state, a run killed anywhere completes on rerun,
// and --undo restores the state before exactly.
#include <fmt/format.h>

#include "audit_fixture.h"

namespace lir {
namespace {

constexpr const char* kLegacyRole = "arn:aws:iam::123456789012:role/legacy-role";
constexpr const char* kLegacyArn = "arn:aws:lambda:us-east-1:123456789012:function:legacy";

const json kLambdaTrust = json::parse(
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})");

class HardenOwnRole : public Audit {
 protected:
  // legacy runs as an administrator role it shares with legacy-b (us-west-2); IAM says the role
  // used S3 lately and IAM never. Version 1 (timeout 30) is served by alias stale, version 2
  // (timeout 60, as $LATEST) by alias live; alias edge follows $LATEST itself.
  void Scenario() {
    SeedLastAccessed({{kLegacyRole,
                       {{{"ServiceNamespace", "s3"}, {"ServiceName", "Amazon S3"}, {"LastAuthenticated", "2026-12-01T00:00:00Z"}},
                        {{"ServiceNamespace", "iam"}, {"ServiceName", "AWS Identity and Access Management"}},
                        {{"ServiceNamespace", "ec2"}, {"ServiceName", "Amazon EC2"}, {"LastAuthenticated", "2025-01-01T00:00:00Z"}},
                        {{"ServiceNamespace", "logs"}, {"ServiceName", "Amazon CloudWatch Logs"}}}}});
    for (const auto& [timeout, alias] : {std::pair{"30", "stale"}, std::pair{"60", "live"}}) {
      Aws({"lambda", "update-function-configuration", "--function-name", "legacy", "--timeout", timeout});
      const std::string version = Aws({"lambda", "publish-version", "--function-name", "legacy"})["Version"];
      Aws({"lambda", "create-alias", "--function-name", "legacy", "--name", alias, "--function-version", version});
    }
    Aws({"lambda", "create-alias", "--function-name", "legacy", "--name", "edge", "--function-version", "$LATEST"});
  }

  json OwnState() const {
    const auto r = test::RunPython("read_harden_state.py", {control_->url(), "legacy", "worker"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }

  std::vector<std::string> Args(const std::string& dir) const { return {"harden", "legacy", "--fixes", "own-role", "--case", dir}; }
};

TEST_F(HardenOwnRole, LeastPrivilegeRoleAliasesFollowAndUndoRestores) {
  Scenario();
  const json before = OwnState();
  test::TempDir tmp;
  auto args = Args(tmp.File("case"));
  args.push_back("--yes");
  const auto r = Lir(args);
  ASSERT_EQ(r.exit_code, 9) << r.out << r.err;  // partial: alias stale stays on the old role
  EXPECT_NE(r.out.find("3 changed, 0 done by an earlier run, 0 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("alias stale of legacy serves version 1, whose code or settings differ from $LATEST: it keeps role " +
                       std::string(kLegacyRole)),
            std::string::npos)
      << r.err;

  const json after = OwnState();
  const json& legacy = after["functions"]["legacy"];
  const std::string own = "arn:aws:iam::123456789012:role/legacy-own-role";
  EXPECT_EQ(legacy["role"], own);
  EXPECT_EQ(legacy["aliases"], json({{"edge", "$LATEST"}, {"live", "3"}, {"stale", "1"}}));
  EXPECT_EQ(legacy["versions"], json({{"$LATEST", own}, {"1", kLegacyRole}, {"2", kLegacyRole}, {"3", own}}));
  EXPECT_EQ(after["functions"]["worker"], before["functions"]["worker"]);
  // Lambda alone trusts it; its policy is the S3 it uses, the logs and the network interfaces
  // of its VPC that Lambda uses with it; IAM, never used, is gone.
  const json expected_role = {
      {"trust", kLambdaTrust},
      {"inline",
       {{"lambda-ir-least-privilege",
         json::parse(R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
           "ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces",
           "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:UnassignPrivateIpAddresses",
           "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "s3:*"]}]})")}}},
      {"attached", json::array()},
      {"tags", {{"lambda-ir:own-role-of", kLegacyArn}}}};
  EXPECT_EQ(after["own_roles"], json({{"legacy-own-role", expected_role}}));

  // The role legacy-b keeps is no longer shared: audit of both regions says so.
  const auto audit = Lir({"audit", "--all-functions", "--regions", "us-east-1,us-west-2", "--format", "json"});
  for (const json& f : json::parse(audit.out)["findings"]) EXPECT_NE(f["id"], "lambda_config_role_shared") << f.dump();

  const auto undo = Lir({"harden", "--undo", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_EQ(OwnState(), before);
}

// No witness of use and a role another function shares: the new role copies the grants, said.
TEST_F(HardenOwnRole, WithoutWitnessTheGrantsAreCopiedForReview) {
  const std::string worker_role = Aws({"lambda", "get-function-configuration", "--function-name", "worker"})["Role"];
  CreateFunction("worker2", worker_role);
  test::TempDir tmp;
  const auto r = Lir({"harden", "worker", "--fixes", "own-role", "--no-last-accessed", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("worker: no witness of its use (IAM's last-accessed report or --cloudtrail): the new role copies the old one's "
                       "grants; review them"),
            std::string::npos)
      << r.err;
  const json state = OwnState();
  EXPECT_EQ(state["functions"]["worker"]["role"], "arn:aws:iam::123456789012:role/worker-own-role");
  EXPECT_EQ(Aws({"lambda", "get-function-configuration", "--function-name", "worker2"})["Role"], worker_role);
  const json tables = Aws({"iam", "get-role-policy", "--role-name", "worker-role", "--policy-name", "tables"})["PolicyDocument"];
  EXPECT_EQ(state["own_roles"]["worker-own-role"]["inline"], json({{"tables", tables}}));
  EXPECT_EQ(state["own_roles"]["worker-own-role"]["trust"], kLambdaTrust);
}

// A role of the name harden would use, made by someone else (an attacker guessing it): refused,
// the function stays on its role, and nothing of harden's is put on that role.
TEST_F(HardenOwnRole, ARoleOfThatNameNotMadeByHardenIsRefused) {
  Scenario();
  const json squat = {{"Version", "2012-10-17"},
                      {"Statement", {{{"Effect", "Allow"}, {"Principal", {{"AWS", "arn:aws:iam::210987654321:root"}}}, {"Action", "sts:AssumeRole"}}}}};
  Aws({"iam", "create-role", "--role-name", "legacy-own-role", "--assume-role-policy-document", squat.dump()});
  test::TempDir tmp;
  auto args = Args(tmp.File("case"));
  args.push_back("--yes");
  const auto r = Lir(args);
  EXPECT_EQ(r.exit_code, 9) << r.out << r.err;
  EXPECT_NE(r.err.find("own-role: legacy not moved: role legacy-own-role exists and is not the one harden makes (its trust, its "
                       "lambda-ir:own-role-of tag differ)"),
            std::string::npos)
      << r.err;
  const json state = OwnState();
  EXPECT_EQ(state["functions"]["legacy"]["role"], kLegacyRole);
  EXPECT_EQ(state["own_roles"]["legacy-own-role"]["inline"], json::object());
  EXPECT_EQ(state["functions"]["legacy"]["aliases"], json({{"edge", "$LATEST"}, {"live", "2"}, {"stale", "1"}}));
}

// A contained function (containment's deny policy on its role) is not moved: a new role would
// not carry the deny, and the function would run with its grants again.
TEST_F(HardenOwnRole, AContainedFunctionIsNotMoved) {
  Scenario();
  const json deny = {{"Version", "2012-10-17"}, {"Statement", {{{"Effect", "Deny"}, {"Action", "*"}, {"Resource", "*"}}}}};
  Aws({"iam", "put-role-policy", "--role-name", "legacy-role", "--policy-name", "DenyAll-IncidentResponse", "--policy-document", deny.dump()});
  test::TempDir tmp;
  auto args = Args(tmp.File("case"));
  args.push_back("--yes");
  const auto r = Lir(args);
  EXPECT_EQ(r.exit_code, 9) << r.out << r.err;
  EXPECT_NE(r.err.find("own-role: legacy not moved: its role legacy-role carries DenyAll-IncidentResponse (contained); recover first"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(OwnState()["functions"]["legacy"]["role"], kLegacyRole);
}

// The printed lines, run through the aws CLI, make the changes harden makes.
TEST_F(HardenOwnRole, DryRunLinesGiveTheSameEndState) {
  Scenario();
  test::TempDir tmp;
  auto dry = Args(tmp.File("dry"));
  dry.push_back("--dry-run");
  const auto printed = Lir(dry);
  ASSERT_EQ(printed.exit_code, 9) << printed.err;  // alias stale would stay on the old role
  const auto ran = test::RunPython("run_cli_lines.py", {}, kAuditEnv, printed.out);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  const json by_hand = OwnState();
  SetUp();
  Scenario();
  auto args = Args(tmp.File("case"));
  args.push_back("--yes");
  ASSERT_EQ(Lir(args).exit_code, 9);  // alias stale stays on the old role
  EXPECT_EQ(OwnState(), by_hand);
}

// Three steps (the role, the version, the alias), four crash points each.
class HardenOwnRoleCrash : public HardenOwnRole, public ::testing::WithParamInterface<int> {};

TEST_P(HardenOwnRoleCrash, KilledHereThenRerunCompletesAndUndoRestores) {
  Scenario();
  const json before = OwnState();
  test::TempDir tmp;
  auto args = Args(tmp.File("case"));
  args.insert(args.end(), {"--yes", "--jobs", "1"});
  const auto killed = LirKilledAt(GetParam(), args);
  ASSERT_EQ(killed.exit_code, 128 + 9) << killed.out << killed.err;
  const auto rerun = Lir(args);
  ASSERT_EQ(rerun.exit_code, 9) << rerun.out << rerun.err;  // alias stale stays on the old role
  const json hardened = OwnState();
  EXPECT_EQ(hardened["functions"]["legacy"]["role"], "arn:aws:iam::123456789012:role/legacy-own-role");
  EXPECT_EQ(hardened["functions"]["legacy"]["aliases"], json({{"edge", "$LATEST"}, {"live", "3"}, {"stale", "1"}}));
  const auto undo = Lir({"harden", "--undo", "--case", tmp.File("case"), "--yes"});
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_EQ(OwnState(), before);
}

INSTANTIATE_TEST_SUITE_P(EveryPoint, HardenOwnRoleCrash, ::testing::Range(1, 3 * 4 + 1));

}  // namespace
}  // namespace lir
