// Configuration checks on crafted GetFunction / GetPolicy / URL documents: exact findings,
// and never an environment variable value in any of them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "analysis/config_analysis.h"
#include "analysis/role_policy_analysis.h"
#include "analysis/runtime_support.h"
#include "core/strings.h"
#include "test_support.h"

namespace lir {
namespace {

using nlohmann::json;

FunctionEvidence Compromised() {
  FunctionEvidence e;
  e.function = "payments";
  e.artifact_dir = "artifacts/lambda/payments";
  e.function_doc = json::parse(R"({"Configuration":{
    "FunctionName":"payments","FunctionArn":"arn:aws:lambda:us-east-1:111122223333:function:payments",
    "Role":"arn:aws:iam::111122223333:role/shared","CodeSha256":"NEW=",
    "Environment":{"Variables":{"NODE_OPTIONS":"--require /opt/x.js","AWS_KEY":"AKIAABCDEFGHIJKLMNOP",
      "WEBHOOK":"https://exfil.example.net:8443/hook?token=s3cr3t-query","LOG_LEVEL":"debug"}},
    "Layers":[{"Arn":"arn:aws:lambda:us-east-1:111122223333:layer:own:1"},{"Arn":"arn:aws:lambda:us-east-1:444455556666:layer:otel:3"}]}})");
  e.policy = {{"Policy", json({{"Version", "2012-10-17"}, {"Statement", json::array({
      {{"Sid", "open"}, {"Effect", "Allow"}, {"Principal", "*"}, {"Action", "lambda:InvokeFunction"}},
      {{"Sid", "url"}, {"Effect", "Allow"}, {"Principal", "*"}, {"Action", "lambda:InvokeFunctionUrl"},
       {"Condition", {{"StringEquals", {{"lambda:FunctionUrlAuthType", "NONE"}}}}}},
      {{"Sid", "partner"}, {"Effect", "Allow"}, {"Principal", {{"AWS", "arn:aws:iam::444455556666:root"}}}},
      {{"Sid", "sns"}, {"Effect", "Allow"}, {"Principal", {{"Service", "sns.amazonaws.com"}}}},
      {{"Sid", "s3-ok"}, {"Effect", "Allow"}, {"Principal", {{"Service", "s3.amazonaws.com"}}},
       {"Condition", {{"ArnLike", {{"AWS:SourceArn", "arn:aws:s3:::uploads"}}}}}},
      // Anyone, but only for a source in another account: that account's way in.
      {{"Sid", "star-src-account"}, {"Effect", "Allow"}, {"Principal", "*"}, {"Action", "lambda:InvokeFunction"},
       {"Condition", {{"StringEquals", {{"AWS:SourceAccount", "999999999999"}}}}}},
      {{"Sid", "star-src-arn"}, {"Effect", "Allow"}, {"Principal", "*"}, {"Action", "lambda:InvokeFunction"},
       {"Condition", {{"ArnLike", {{"AWS:SourceArn", "arn:aws:sns:us-east-1:999999999999:attacker-topic"}}}}}},
      {{"Sid", "s3-partner"}, {"Effect", "Allow"}, {"Principal", {{"Service", "s3.amazonaws.com"}}},
       {"Condition", {{"StringEquals", {{"AWS:SourceAccount", "444455556666"}}}, {"ArnLike", {{"AWS:SourceArn", "arn:aws:s3:::partner"}}}}}},
      // Narrowed to the account's own sources, or its organisation: nothing to say.
      {{"Sid", "sns-own"}, {"Effect", "Allow"}, {"Principal", {{"Service", "sns.amazonaws.com"}}},
       {"Condition", {{"ArnLike", {{"AWS:SourceArn", "arn:aws:sns:us-east-1:111122223333:own-topic"}}}}}},
      {{"Sid", "star-org"}, {"Effect", "Allow"}, {"Principal", "*"},
       {"Condition", {{"StringEquals", {{"aws:PrincipalOrgID", "o-abcdefghij"}}}}}},
      {{"Sid", "deny"}, {"Effect", "Deny"}, {"Principal", "*"}}})}}).dump()}};
  e.url = {{"FunctionUrl", "https://abc.lambda-url.us-east-1.on.aws/"}, {"AuthType", "NONE"}, {"Cors", {{"AllowOrigins", {"*"}}}}};
  e.code_signing = {{"FunctionName", "payments"}};
  e.versions = json::array({{{"Version", "$LATEST"}, {"CodeSha256", "NEW="}}, {{"Version", "3"}, {"CodeSha256", "OLD="}}});
  e.aliases = json::array({{{"Name", "live"}, {"FunctionVersion", "3"}}});
  e.all_functions = json::array({{{"FunctionName", "payments"}, {"Role", "arn:aws:iam::111122223333:role/shared"}},
                                  {{"FunctionName", "orders"}, {"Role", "arn:aws:iam::111122223333:role/shared"}},
                                  {{"FunctionName", "other"}, {"Role", "arn:aws:iam::111122223333:role/other"}}});
  return e;
}

TEST(ConfigAnalysis, FindsEachProblemExactly) {
  const auto findings = AnalyzeFunctionConfiguration(Compromised());
  std::multiset<std::string> got;
  for (const Finding& f : findings) got.insert(f.rule_id + ": " + f.title);
  EXPECT_EQ(got, (std::multiset<std::string>{
                     "lambda_config_alias_runs_other_code: Alias live runs version 3, whose code differs from $LATEST",
                     "lambda_config_env_network_indicator: Environment variable WEBHOOK points at https://exfil.example.net:8443",
                     "lambda_config_env_runtime_hijack: Environment variable NODE_OPTIONS can run code before the handler",
                     "lambda_config_env_secret: Environment variable AWS_KEY holds what looks like a AWS access key id",
                     "lambda_config_layer_foreign: Layer from account 444455556666 attached",
                     "lambda_config_no_code_signing: No code signing configuration",
                     "lambda_config_policy_foreign_account: Statement partner grants account 444455556666",
                     "lambda_config_policy_foreign_account: Statement s3-partner lets account 444455556666 invoke, as the source its "
                     "condition names",
                     "lambda_config_policy_foreign_account: Statement star-src-account lets account 999999999999 invoke, as the "
                     "source its condition names",
                     "lambda_config_policy_foreign_account: Statement star-src-arn lets account 999999999999 invoke, as the source "
                     "its condition names",
                     "lambda_config_policy_public: Statement open lets anyone invoke",
                     "lambda_config_policy_public: Statement url lets anyone invoke",
                     "lambda_config_policy_service_unconditioned: Statement sns lets sns.amazonaws.com invoke for any account",
                     "lambda_config_role_shared: Execution role shared with 1 other function(s)",
                     "lambda_config_url_cors_wildcard: Function URL allows any web origin",
                     "lambda_config_url_public: Function URL requires no authentication"}));
  for (const Finding& f : findings) {
    for (const std::string& text : {f.title, f.description, f.remediation}) {
      for (const char* secret : {"AKIAABCDEFGHIJKLMNOP", "s3cr3t-query", "/opt/x.js"}) {
        EXPECT_EQ(text.find(secret), std::string::npos) << f.rule_id << " leaks " << secret;
      }
    }
    EXPECT_EQ(f.resource, "arn:aws:lambda:us-east-1:111122223333:function:payments");
    EXPECT_FALSE(f.event_ids.empty());
  }
}

// The configuration check and the CloudTrail rule know the same variables; LD_AUDIT (a shared
// object loaded as LD_PRELOAD loads one) was in neither.
TEST(ConfigAnalysis, TheHijackVariablesAreTheRulesAndIncludeLdAudit) {
  const std::string rule = test::ReadFile(test::SourceDir() + "/rules/lambda_function_runtime_hijack_env/rule.yaml");
  size_t lists = 0;
  for (size_t at = rule.find("haskey: ["); at != std::string::npos; at = rule.find("haskey: [", at + 1), ++lists) {
    const size_t open = at + 9, close = rule.find(']', open);
    std::set<std::string> names;
    for (std::string_view name : Split(std::string_view(rule).substr(open, close - open), ',')) names.emplace(Trim(name));
    EXPECT_EQ(names, RuntimeHijackVariables());
  }
  EXPECT_EQ(lists, 2u);
  FunctionEvidence e = Compromised();
  e.function_doc["Configuration"]["Environment"]["Variables"] = {{"LD_AUDIT", "/opt/lib/evil.so"}};
  std::vector<std::string> titles;
  for (const Finding& f : AnalyzeFunctionConfiguration(e)) {
    if (f.rule_id == "lambda_config_env_runtime_hijack") titles.push_back(f.title);
  }
  EXPECT_EQ(titles, std::vector<std::string>{"Environment variable LD_AUDIT can run code before the handler"});
}

TEST(ConfigAnalysis, VersionsConfiguredUnlikeLatest) {
  FunctionEvidence e = Compromised();
  json v3 = e.function_doc;
  v3["Configuration"]["Handler"] = "app.handler";
  v3["Configuration"]["Layers"] = json::array();
  e.version_docs["3"] = v3;
  e.version_docs["4"] = e.function_doc;  // same as $LATEST: nothing to say
  std::vector<std::string> titles;
  for (const Finding& f : AnalyzeFunctionConfiguration(e)) {
    if (f.rule_id == "lambda_config_version_differs") {
      titles.push_back(f.title);
      EXPECT_EQ(f.severity, Severity::kMedium);  // an alias runs it
      EXPECT_EQ(f.event_ids, std::vector<std::string>{"artifacts/lambda/payments/version-3/function.json"});
    }
  }
  EXPECT_EQ(titles, std::vector<std::string>{"Version 3 (alias live) is configured unlike $LATEST: Handler, Layers"});
}

TEST(ConfigAnalysis, CleanFunctionHasNoFindingsAndMissingPiecesAreTolerated) {
  FunctionEvidence e;
  e.function = "clean";
  e.function_doc = json::parse(R"({"Configuration":{"FunctionName":"clean","FunctionArn":"arn:aws:lambda:us-east-1:1:function:clean",
                                   "Role":"arn:aws:iam::1:role/clean","Environment":null}})");
  e.code_signing = {{"CodeSigningConfigArn", "arn:aws:lambda:us-east-1:1:code-signing-config:csc-1"}};
  EXPECT_TRUE(AnalyzeFunctionConfiguration(e).empty());
  FunctionEvidence bare;
  bare.function_doc = json::object();
  EXPECT_TRUE(AnalyzeFunctionConfiguration(bare).empty());
}

// The userinfo of a URL is a credential whatever its characters: a numeric password used to
// be read as a port and shown in every title.
TEST(ConfigAnalysis, AUrlPasswordIsASecretAndNeverShown) {
  FunctionEvidence e;
  e.function = "db";
  e.function_doc = json::parse(R"({"Configuration":{"FunctionName":"db","FunctionArn":"arn:aws:lambda:us-east-1:1:function:db",
      "Environment":{"Variables":{"DB_URL":"https://admin:123456@db.example.net:5432/app"}}}})");
  e.code_signing = {{"CodeSigningConfigArn", "arn:aws:lambda:us-east-1:1:code-signing-config:csc-1"}};
  std::vector<std::string> titles;
  for (const Finding& f : AnalyzeFunctionConfiguration(e)) {
    titles.push_back(f.rule_id + ": " + f.title);
    EXPECT_EQ(f.description.find("123456"), std::string::npos) << f.description;
  }
  EXPECT_EQ(titles, (std::vector<std::string>{
                        "lambda_config_env_secret: Environment variable DB_URL holds what looks like a URL with credentials",
                        "lambda_config_env_network_indicator: Environment variable DB_URL points at https://db.example.net:5432"}));
}

// Database and queue URLs carry passwords as often as web ones do.
TEST(ConfigAnalysis, APasswordInAnyUrlSchemeIsASecret) {
  for (const char* url : {"postgres://app:s3cr3t@db.internal:5432/app", "mongodb+srv://u:p@cluster0.example.net/x",
                          "redis://:hunter2@cache:6379"}) {
    SCOPED_TRACE(url);
    FunctionEvidence e;
    e.function = "db";
    e.function_doc = json::parse(R"({"Configuration":{"FunctionName":"db","FunctionArn":"arn:aws:lambda:us-east-1:1:function:db"}})");
    e.function_doc["Configuration"]["Environment"]["Variables"]["DATABASE_URL"] = url;
    e.code_signing = {{"CodeSigningConfigArn", "arn:aws:lambda:us-east-1:1:code-signing-config:csc-1"}};
    std::vector<std::string> titles;
    for (const Finding& f : AnalyzeFunctionConfiguration(e)) titles.push_back(f.rule_id + ": " + f.title);
    EXPECT_EQ(titles, std::vector<std::string>{
                          "lambda_config_env_secret: Environment variable DATABASE_URL holds what looks like a URL with credentials"});
  }
}

// A variable named as a secret holds one whatever it looks like (DB_PASSWORD=hunter2 matched no
// pattern and passed); references to secrets and plain settings are not secrets.
TEST(ConfigAnalysis, AVariableNamedAsASecretIsOneUnlessItIsAReference) {
  FunctionEvidence e;
  e.function = "db";
  e.function_doc = json::parse(R"({"Configuration":{"FunctionName":"db","FunctionArn":"arn:aws:lambda:us-east-1:1:function:db",
      "Environment":{"Variables":{"DB_PASSWORD":"hunter2","api_token":"tok-123","SMTP_PWD":"x","STRIPE_SECRET":"sk-t3st-v4lue",
        "DB_SECRET_ARN":"arn:aws:secretsmanager:us-east-1:1:secret:db","API_TOKEN_URL":"https://auth.example.net/token",
        "PASSWORD_MIN_LENGTH":"12","TOKEN_CACHE":"true","DB_PASS":"{{resolve:secretsmanager:db}}",
        "PASSWORD":"/aws/reference/secretsmanager/db","EMPTY_SECRET":"","PWD":"/var/task"}}}})");
  e.code_signing = {{"CodeSigningConfigArn", "arn:aws:lambda:us-east-1:1:code-signing-config:csc-1"}};
  std::vector<std::string> titles;
  for (const Finding& f : AnalyzeFunctionConfiguration(e)) {
    if (f.rule_id == "lambda_config_env_network_indicator") continue;
    titles.push_back(f.rule_id + ": " + f.title + " (" + std::string(ToString(f.severity)) + ")");
    for (const char* value : {"hunter2", "tok-123", "sk-t3st-v4lue"}) EXPECT_EQ(f.description.find(value), std::string::npos) << f.description;
  }
  EXPECT_EQ(titles, (std::vector<std::string>{
                        "lambda_config_env_secret: Environment variable DB_PASSWORD is named as a secret and holds one in plain text (medium)",
                        "lambda_config_env_secret: Environment variable SMTP_PWD is named as a secret and holds one in plain text (medium)",
                        "lambda_config_env_secret: Environment variable STRIPE_SECRET is named as a secret and holds one in plain text (medium)",
                        "lambda_config_env_secret: Environment variable api_token is named as a secret and holds one in plain text (medium)"}));
}

// A 100 KB value: std::regex overflowed the stack on it.
TEST(ConfigAnalysis, AHundredKilobyteValueIsScannedInOnePass) {
  FunctionEvidence e;
  e.function = "big";
  e.function_doc = json::parse(R"({"Configuration":{"FunctionName":"big","FunctionArn":"arn:aws:lambda:us-east-1:1:function:big"}})");
  e.function_doc["Configuration"]["Environment"]["Variables"]["BLOB"] = "http://" + std::string(100 * 1024, 'a') + ".example.com x 10.0.0.1";
  e.code_signing = {{"CodeSigningConfigArn", "arn:aws:lambda:us-east-1:1:code-signing-config:csc-1"}};
  const auto findings = AnalyzeFunctionConfiguration(e);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "lambda_config_env_network_indicator");
  EXPECT_EQ(findings[0].title.size(), std::string("Environment variable BLOB points at http://").size() + 100 * 1024 + 12);
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// The execution role's collected policies: Allow * on every resource (inline, attached, or the
// AdministratorAccess managed policy) is critical, every action but a NotAction list high; a
// scoped or conditioned grant, NotAction "*" or NotResource "*" grants nothing. A Deny of
// everything on the role (contain's) holds them back: high.
std::vector<std::string> RoleFindings(const std::map<std::string, std::string>& files) {
  test::TempDir tmp;
  const std::string case_dir = tmp.File("case");
  const std::string roles = case_dir + "/artifacts/iam/roles/app-role";
  std::filesystem::create_directories(roles);
  for (const auto& [name, text] : files) std::ofstream(roles + "/" + name) << text;
  FunctionEvidence e;
  e.function = "app";
  e.function_doc = nlohmann::json::parse(
      R"({"Configuration":{"FunctionName":"app","FunctionArn":"arn:aws:lambda:us-east-1:111122223333:function:app","Role":"arn:aws:iam::111122223333:role/service/app-role"}})");
  std::vector<std::string> out;
  for (const Finding& f : AnalyzeRolePolicies(case_dir, e)) {
    EXPECT_EQ(f.rule_id, "lambda_config_role_policy_admin");
    EXPECT_EQ(f.resource, "arn:aws:lambda:us-east-1:111122223333:function:app");
    out.push_back(std::string(ToString(f.severity)) + " " + f.title);
  }
  return out;
}

std::string Inline(const std::string& name, const std::string& statements) {
  return R"({"PolicyName":")" + name + R"(","PolicyDocument":")" + statements + R"("})";
}

TEST(RolePolicyAnalysis, AdminGrantsOfTheExecutionRole) {
  const std::map<std::string, std::string> files = {
      // IAM answers with URL-encoded documents.
      {"inline-admin.json",
       R"({"PolicyName":"admin","RoleName":"app-role","PolicyDocument":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"})"},
      {"inline-arnstar.json", Inline("arnstar", R"({\"Statement\":{\"Effect\":\"allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:*:*:*:*\",\"Condition\":{}}})")},
      {"inline-poweruser.json", Inline("poweruser", R"({\"Statement\":{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\",\"organizations:*\"],\"Resource\":[\"*\"]}})")},
      {"inline-object.json", R"({"PolicyName":"object","PolicyDocument":{"Statement":[{"Effect":"Allow","Action":["s3:*","*"],"Resource":"*"}]}})"},
      {"inline-scoped.json", Inline("scoped", R"({\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::bucket/*\"}]})")},
      {"inline-conditioned.json", Inline("conditioned", R"({\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}}]})")},
      {"inline-notaction-star.json", Inline("notactionstar", R"({\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"*\",\"Resource\":\"*\"}]})")},
      {"inline-notresource-star.json", Inline("notresourcestar", R"({\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotResource\":\"*\"}]})")},
      {"attached-policies.page-1.json",
       R"({"AttachedPolicies":[{"PolicyName":"AdministratorAccess","PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"},{"PolicyName":"logs","PolicyArn":"arn:aws:iam::111122223333:policy/logs"}]})"},
      {"attached-AdministratorAccess-v1.json",
       R"({"PolicyVersion":{"VersionId":"v1","Document":"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}})"},
      {"attached-logs-v2.json",
       R"({"PolicyVersion":{"VersionId":"v2","Document":"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:*\",\"*:*\"],\"Resource\":\"*\"}]}"}})"},
      {"not-json.json", "{"},
  };
  const std::vector<std::string> want = {
      "critical Execution role app-role allows every action: attached policy AdministratorAccess",
      "critical Execution role app-role allows every action: attached policy logs",
      "critical Execution role app-role allows every action: inline policy admin",
      "critical Execution role app-role allows every action: inline policy arnstar",
      "critical Execution role app-role allows every action: inline policy object",
      "high Execution role app-role allows every action but a few: inline policy poweruser",
  };
  EXPECT_EQ(RoleFindings(files), want);
  // Contained: the deny-all holds the grant back.
  EXPECT_EQ(RoleFindings({{"inline-admin.json", files.at("inline-admin.json")},
                          {"inline-lambda-ir-deny.json", Inline("deny", R"({\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]})")}}),
            std::vector<std::string>{"high Execution role app-role allows every action: inline policy admin"});
}

}  // namespace
}  // namespace lir

namespace lir {
namespace {

// A runtime past its deprecation date when collected is medium, within 90 days low; the
// dates come from the dated table (rules/lambda_config_runtime_deprecated/runtimes.yaml).
TEST(RuntimeSupport, DeprecatedRuntimesAtCollectionTime) {
  auto at = [](const char* day) { return *ParseIso8601(std::string(day) + "T00:00:00Z"); };
  EXPECT_EQ(RuntimeDeprecationDate("provided.al2"), at("2026-06-30"));
  EXPECT_EQ(RuntimeDeprecationDate("python3.9"), at("2025-12-15"));
  EXPECT_EQ(RuntimeDeprecationDate("python9.9"), std::nullopt);
  auto findings = [](const char* runtime, TimestampMs collected) {
    FunctionEvidence e;
    e.function = "app";
    e.artifact_dir = "artifacts/lambda/app";
    e.collected_at = collected;
    e.function_doc = {{"Configuration",
                       {{"FunctionName", "app"}, {"FunctionArn", "arn:aws:lambda:us-east-1:111122223333:function:app"},
                        {"Runtime", runtime}}}};
    std::vector<std::string> out;
    for (const Finding& f : CheckRuntimeSupport(e)) out.push_back(std::string(ToString(f.severity)) + " " + f.title);
    return out;
  };
  EXPECT_EQ(findings("python3.9", at("2026-12-01")),
            std::vector<std::string>{"medium Runtime python3.9 is deprecated (since 2025-12-15)"});
  EXPECT_EQ(findings("nodejs22.x", at("2027-03-01")),
            std::vector<std::string>{"low Runtime nodejs22.x is deprecated on 2027-04-30"});
  EXPECT_TRUE(findings("nodejs22.x", at("2026-12-01")).empty());
  EXPECT_TRUE(findings("python3.13", at("2026-12-01")).empty());
  EXPECT_TRUE(findings("python9.9", at("2026-12-01")).empty());
  EXPECT_TRUE(findings("python3.9", 0).empty());  // collection time unknown: no judgement
}

}  // namespace
}  // namespace lir
