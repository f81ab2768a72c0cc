// `lambda-ir audit` against the audit scenario (audit_fixture.h).
#include "audit_fixture.h"

namespace lir {
namespace {

// Every finding of the scenario, exactly: ids, severities, wording, fix lines, Security Hub
// controls. Golden file: LIR_UPDATE_GOLDEN=1 rewrites it; review the diff.
TEST_F(Audit, ScenarioReportIsTheGoldenFile) {
  const auto r = Lir(AllFunctions());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string golden = test::SourceDir() + "/tests/golden/audit/scenario.json";
  const std::string actual = Normalized(r.out);
  if (std::getenv("LIR_UPDATE_GOLDEN") != nullptr) test::WriteFile(golden, actual);
  EXPECT_EQ(actual, test::ReadFile(golden));
}

// Each check once positive, and the function built to pass them all ("clean") has no finding:
// the negatives.
TEST_F(Audit, CleanFunctionHasNoFindingAndEveryCheckFires) {
  const auto r = Lir(AllFunctions());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json report = json::parse(r.out);
  std::set<std::string> fired;
  for (const json& f : report["findings"]) {
    EXPECT_NE(f["function"], "clean") << f.dump();
    EXPECT_EQ(f["resource"].get<std::string>().find("clean-role"), std::string::npos) << f.dump();
    fired.insert(f["id"]);
  }
  const std::set<std::string> expected = {
      "lambda_config_policy_public",         "lambda_config_role_policy_admin",
      "lambda_config_url_public",            "lambda_posture_role_trust_broad",
      "lambda_config_env_secret",            "lambda_config_role_shared",
      "lambda_config_runtime_deprecated",    "lambda_config_url_cors_wildcard",
      "lambda_posture_code_signing_warn_only", "lambda_posture_layer_unapproved",
      "lambda_posture_role_wildcard_actions", "lambda_posture_trail_no_lambda_data_events",
      "lambda_posture_vpc_single_az",        "lambda_config_no_code_signing",
      "lambda_posture_async_no_failure_destination", "lambda_posture_env_no_kms",
      "lambda_posture_log_retention_short",  "lambda_posture_not_in_vpc",
      "lambda_posture_role_no_boundary",     "lambda_posture_policy_foreign_source_bucket"};
  EXPECT_EQ(fired, expected);
  EXPECT_EQ(report["unread"], json::array());
}

// Audit reads and never writes to what it audits: every operation it asked is in its policy
// (`permissions audit`), and each is asked (the control proxy logs them by IAM action). Its
// one write, the findings into Security Hub, is asked for here with --to-security-hub; its
// one read for --regions all (ec2:DescribeRegions) with that.
TEST_F(Audit, CallsOnlyItsReads) {
  auto args = AllFunctions();
  args[3] = "all";  // --regions
  args.push_back("--least-privilege");
  args.push_back("--to-security-hub");
  const auto r = Lir(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> asked;
  for (const json& a : Log()) asked.insert(a.get<std::string>());
  const auto policy = test::RunTool({"permissions", "audit", "security-hub"});
  ASSERT_EQ(policy.exit_code, 0) << policy.err;
  std::set<std::string> allowed;
  const json document = json::parse(policy.out);
  for (const json& s : document["Statement"]) {
    for (const json& a : s["Action"]) allowed.insert(a.get<std::string>());
  }
  allowed.insert("sts:GetCallerIdentity");
  EXPECT_EQ(asked, allowed);
}

// A responder whose role lacks lambda:GetPolicy and iam:GetRole: those checks say they could
// not look (with the permission to add), every other finding is still there, exit 9.
TEST_F(Audit, MissingPermissionsAreGapsNotPasses) {
  const auto full = Lir(AllFunctions());
  ASSERT_EQ(full.exit_code, 0) << full.err;
  Deny({"lambda:GetPolicy", "iam:GetRole"});
  const auto r = Lir(AllFunctions());
  EXPECT_EQ(r.exit_code, 9) << r.err;
  const json report = json::parse(r.out);
  std::set<std::string> unread;
  for (const json& g : report["unread"]) {
    unread.insert(g["operation"].get<std::string>() + " " + g["resource"].get<std::string>());
    EXPECT_NE(g["remedy"].get<std::string>().find(g["operation"].get<std::string>()), std::string::npos) << g.dump();
  }
  EXPECT_EQ(unread, (std::set<std::string>{"iam:GetRole clean-role", "iam:GetRole legacy-role", "iam:GetRole worker-role",
                                           "lambda:GetPolicy clean", "lambda:GetPolicy clean:prod", "lambda:GetPolicy legacy",
                                           "lambda:GetPolicy legacy-b", "lambda:GetPolicy legacy-b:blue", "lambda:GetPolicy worker"}));
  // What needs the denied reads is missing; everything else is as with every permission.
  auto expected = Ids(json::parse(full.out));
  std::erase_if(expected, [](const auto& id) {
    return id.first == "lambda_config_policy_public" || id.first == "lambda_posture_role_trust_broad" ||
           id.first == "lambda_posture_role_no_boundary" || id.first == "lambda_posture_policy_foreign_source_bucket";
  });
  EXPECT_EQ(Ids(report), expected);
}

// Named functions: only theirs and their roles' findings; a name no region has is said.
TEST_F(Audit, NamedFunctionsOnly) {
  const auto r = Lir({"audit", "worker", "nope", "--format", "json"});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["functions"], 1);
  for (const json& f : report["findings"]) {
    EXPECT_TRUE(f["function"] == "worker" || f["resource"] == "arn:aws:iam::123456789012:role/worker-role" ||
                f["id"] == "lambda_posture_trail_no_lambda_data_events")
        << f.dump();
  }
  ASSERT_EQ(report["unread"].size(), 1u);
  EXPECT_EQ(report["unread"][0]["resource"], "nope");
  EXPECT_EQ(report["unread"][0]["error"], "not found");
}

// --fail-on gates a pipeline; the terminal report names each fix; bad flags are usage errors.
TEST_F(Audit, FailOnAndTerminalAndUsage) {
  const auto gated = Lir({"audit", "worker", "--fail-on", "high"});
  EXPECT_EQ(gated.exit_code, 0) << gated.out;  // worker's worst is medium
  const auto failed = Lir({"audit", "legacy", "--fail-on", "high"});
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
  EXPECT_NE(failed.out.find("CRITICAL Statement public-url lets anyone invoke  lambda_config_policy_public\n  legacy (us-east-1)\n"),
            std::string::npos)
      << failed.out;
  EXPECT_NE(failed.out.find("       aws lambda remove-permission --function-name legacy --statement-id public-url --region us-east-1"),
            std::string::npos)
      << failed.out;
  EXPECT_EQ(Lir({"audit"}).exit_code, 2);
  EXPECT_EQ(Lir({"audit", "legacy", "--all-functions"}).exit_code, 2);
  test::TempDir dir;
  test::WriteFile(dir.File("bad.txt"), "not-an-arn\n");
  const auto bad = Lir({"audit", "legacy", "--approved-layers", dir.File("bad.txt")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--approved-layers " + dir.File("bad.txt") + ": 'not-an-arn' is not a layer version ARN"), std::string::npos)
      << bad.err;
}

// A hostile endpoint's resource policy (nested deeper than any policy) is not parsed: it is
// unread, said, and the rest of the audit goes on.
TEST_F(Audit, AHostilePolicyIsUnreadNotACrash) {
  SetRules({{"answers", {{"lambda:GetPolicy", {{{"body", json{{"Policy", std::string(100000, '[')}}.dump()}}}}}}});
  const auto r = Lir({"audit", "worker", "--format", "json"});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  const json report = json::parse(r.out);
  ASSERT_EQ(report["unread"].size(), 1u) << report["unread"].dump();
  EXPECT_EQ(report["unread"][0]["what"], "resource policy");
  EXPECT_NE(report["unread"][0]["error"].get<std::string>().find("more deeply nested than any Lambda policy"), std::string::npos);
  EXPECT_EQ(Lir({"audit", "worker", "--regions", ","}).exit_code, 2);
}

}  // namespace
}  // namespace lir
