// Live commands against moto_server, started by the harness on a free loopback port, with
// the aws CLI as an independent client on the same server.
#include <gtest/gtest.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace lir {
namespace {

const std::map<std::string, std::string> kStaticKeys = {
    {"AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"},
    {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"},
    {"AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLESESSIONTOKENVALUE"},
    {"AWS_DEFAULT_REGION", "eu-west-1"}};

TEST(AwsLive, WhoamiAgreesWithTheAwsCli) {
  const std::string endpoint = test::MotoEndpoint();
  const auto ours = test::RunWithEnv({test::BinaryPath(), "whoami", "--endpoint-url", endpoint}, kStaticKeys);
  ASSERT_EQ(ours.exit_code, 0) << ours.err;
  const auto theirs = test::RunPython("aws_cli.py", {"sts", "get-caller-identity", "--endpoint-url", endpoint, "--output", "json"}, kStaticKeys);
  ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
  const auto a = nlohmann::json::parse(ours.out), b = nlohmann::json::parse(theirs.out);
  for (const char* key : {"Account", "Arn", "UserId"}) EXPECT_EQ(a[key], b[key]) << key;
  EXPECT_EQ(a["CredentialSource"]["Method"], "env");
  EXPECT_EQ(a["CredentialSource"]["AccessKeyId"], "****************MPLE");
  EXPECT_EQ(a["Region"]["Name"], "eu-west-1");
  EXPECT_EQ(a["Region"]["Source"], "AWS_DEFAULT_REGION");
  EXPECT_EQ(a["Endpoint"]["Source"], "--endpoint-url");
}

TEST(AwsLive, DebugLogRedactsEverySecret) {
  const std::string endpoint = test::MotoEndpoint();
  const auto r = test::RunWithEnv({test::BinaryPath(), "whoami", "--endpoint-url", endpoint, "--debug"}, kStaticKeys);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string all = r.out + r.err;
  EXPECT_NE(r.err.find("> POST " + endpoint + "/"), std::string::npos);  // the log is there
  EXPECT_NE(r.err.find("Signature=<redacted>"), std::string::npos);
  EXPECT_EQ(all.find(kStaticKeys.at("AWS_SECRET_ACCESS_KEY")), std::string::npos);
  EXPECT_EQ(all.find(kStaticKeys.at("AWS_SESSION_TOKEN")), std::string::npos);
  EXPECT_FALSE(std::regex_search(all, std::regex("Signature=[0-9a-f]{64}")));
}

TEST(AwsLive, ProfileThatAssumesARole) {
  const std::string endpoint = test::MotoEndpoint();
  test::TempDir home;
  test::WriteFile(home.File("config"), "[profile responder]\nrole_arn = arn:aws:iam::123456789012:role/incident-response\n"
                                       "source_profile = base\nrole_session_name = ir-session\nregion = eu-central-1\n"
                                       "endpoint_url = " + endpoint + "\n");
  test::WriteFile(home.File("credentials"), "[base]\naws_access_key_id = AKIABASEEXAMPLE\naws_secret_access_key = basesecret\n");
  const auto r = test::RunWithEnv({test::BinaryPath(), "whoami", "--profile", "responder"},
                                  {{"HOME", home.path()}, {"AWS_CONFIG_FILE", home.File("config")},
                                   {"AWS_SHARED_CREDENTIALS_FILE", home.File("credentials")}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["Arn"], "arn:aws:sts::123456789012:assumed-role/incident-response/ir-session");
  EXPECT_EQ(doc["CredentialSource"]["Method"], "assume-role");
  EXPECT_EQ(doc["Region"]["Name"], "eu-central-1");
  EXPECT_EQ(doc["Endpoint"]["Source"], "profile responder in " + home.File("config"));
}

TEST(AwsLive, WebIdentityToken) {
  const std::string endpoint = test::MotoEndpoint();
  test::TempDir dir;
  test::WriteFile(dir.File("token"), "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2ln\n");
  const auto r = test::RunWithEnv({test::BinaryPath(), "whoami", "--endpoint-url", endpoint},
                                  {{"HOME", dir.path()}, {"AWS_WEB_IDENTITY_TOKEN_FILE", dir.File("token")},
                                   {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci-deployer"},
                                   {"AWS_ROLE_SESSION_NAME", "pipeline"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["CredentialSource"]["Method"], "assume-role-with-web-identity");
  EXPECT_EQ(doc["Arn"], "arn:aws:sts::123456789012:assumed-role/ci-deployer/pipeline");
}

TEST(AwsLive, ProxyVariablesAreHonoured) {
  // The fault proxy in pass-through mode stands in for a corporate proxy: with http_proxy
  // set, the request goes to it (absolute-form), and it forwards to moto.
  const std::string endpoint = test::MotoEndpoint();
  test::TempDir dir;
  test::ChildServer proxy({"python3", test::SourceDir() + "/tests/servers/fault_proxy.py", endpoint, "", dir.File("log")});
  std::map<std::string, std::string> env = kStaticKeys;
  env["http_proxy"] = proxy.url();
  env["no_proxy"] = "";
  const auto r = test::RunWithEnv({test::BinaryPath(), "whoami", "--endpoint-url", endpoint}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string log = test::ReadFile(dir.File("log"));
  EXPECT_NE(log.find("\"path\": \"" + endpoint + "/\""), std::string::npos) << log;
}

TEST(AwsLive, NoCredentialsIsAClearFailure) {
  test::TempDir home;
  const auto r = test::RunWithEnv({test::BinaryPath(), "whoami", "--endpoint-url", "http://127.0.0.1:9"}, {{"HOME", home.path()}});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("no AWS credentials found"), std::string::npos) << r.err;
}

TEST(AwsLive, UnreachableEndpointFailsAfterRetries) {
  const auto r = test::RunWithEnv({test::BinaryPath(), "whoami", "--endpoint-url", "http://127.0.0.1:9", "--debug"},
                                  {{"AWS_ACCESS_KEY_ID", "AKIAX"}, {"AWS_SECRET_ACCESS_KEY", "s"}, {"AWS_MAX_ATTEMPTS", "2"}});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("retrying GetCallerIdentity (attempt 2)"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("attempt 3"), std::string::npos);
}

}  // namespace
}  // namespace lir
