// Configuration and credential resolution, compared with botocore's on the same crafted
// environment and files (tests/botocore_resolve.py), plus the providers botocore would
// reach over the network, driven through fakes.
#include <gtest/gtest.h>

#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/aws_config.h"
#include "aws/credentials.h"
#include "test_support.h"

namespace lir::aws {
namespace {

class FakeSts : public StsApi {
 public:
  Result<TemporaryCredentials> AssumeRole(const Credentials& source, const AssumeRoleRequest& r) override {
    calls.push_back(fmt::format("AssumeRole {} as {} session={} external={} duration={}", r.role_arn,
                                source.access_key_id, r.session_name, r.external_id, r.duration_seconds));
    return TemporaryCredentials{{"ASIAASSUMED", "assumed-secret", "assumed-token"}, 1'900'000'000'000};
  }
  Result<TemporaryCredentials> AssumeRoleWithWebIdentity(const std::string& role, const std::string& session,
                                                         const std::string& token, const std::string&) override {
    calls.push_back(fmt::format("AssumeRoleWithWebIdentity {} session={} token={}", role, session, token));
    return TemporaryCredentials{{"ASIAWEB", "web-secret", "web-token"}, 1'900'000'000'000};
  }
  std::vector<std::string> calls;
};

class FakeHttp : public MetadataHttp {
 public:
  std::map<std::string, Response> routes;  // "METHOD url" -> response
  std::vector<std::string> seen;
  Result<Response> Request(const std::string& method, const std::string& url,
                           const std::vector<std::pair<std::string, std::string>>& headers) override {
    std::string line = method + " " + url;
    for (const auto& [k, v] : headers) line += " [" + k + ": " + v + "]";
    seen.push_back(line);
    auto it = routes.find(method + " " + url);
    if (it == routes.end()) return Response{404, ""};
    return it->second;
  }
};

struct Scenario {
  std::string name;
  std::map<std::string, std::string> env;  // HOME is added
  std::string config, credentials;
  std::string profile_flag, region_flag;
};

struct Outcome {
  std::string method, access_key, region, lambda_endpoint;
};

Outcome Ours(const Scenario& s, const std::string& home, FakeSts* sts) {
  std::map<std::string, std::string> env = s.env;
  env["HOME"] = home;
  MapEnvironment environment(env);
  auto config = AwsConfig::Load({s.profile_flag, s.region_flag, ""}, environment);
  EXPECT_TRUE(config) << (config ? "" : config.error().message);
  if (!config) return {};
  ChainDependencies deps;
  deps.sts = sts;
  deps.run_process = RunProcess;
  auto creds = ResolveCredentials(*config, deps);
  EXPECT_TRUE(creds) << (creds ? "" : creds.error().message);
  Outcome o;
  if (creds) {
    o.method = creds->method;
    if (o.method != "assume-role" && o.method != "assume-role-with-web-identity") o.access_key = creds->credentials.keys.access_key_id;
  }
  auto region = config->region();
  o.region = region ? region->value : "";
  auto endpoint = config->EndpointUrl(Service::kLambda);
  const std::string r = !s.region_flag.empty() ? s.region_flag : (region ? region->value : "us-east-1");
  o.lambda_endpoint = endpoint ? endpoint->value : "https://lambda." + r + ".amazonaws.com";
  return o;
}

Outcome Botocore(const Scenario& s, const std::string& home) {
  nlohmann::json env = s.env;
  env["HOME"] = home;
  env["PATH"] = std::getenv("PATH");
  env["AWS_EC2_METADATA_DISABLED"] = "true";
  const auto r = test::RunPython("botocore_resolve.py", {}, {},
                                  nlohmann::json{{"env", env}, {"profile", s.profile_flag}, {"region", s.region_flag}}.dump());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  return {j["method"].is_null() ? "" : j["method"].get<std::string>(),
          j["access_key"].is_null() ? "" : j["access_key"].get<std::string>(),
          j["region"].is_null() ? "" : j["region"].get<std::string>(), j["lambda_endpoint"]};
}

TEST(AwsConfig, ResolvesLikeBotocore) {
  test::TempDir home;
  const std::string process = home.File("creds.sh");
  test::WriteFile(process, "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESS\", \"SecretAccessKey\": \"s\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n");
  chmod(process.c_str(), 0700);
  test::WriteFile(home.File("token"), "eyJhbGciOi.fake.jwt\n");
  const std::string config =
      "[default]\nregion = eu-west-1\n\n"
      "[profile dev]\nregion = eu-central-1\ns3 =\n  addressing_style = path\n\n"
      "[profile cfgkeys]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = s\n\n"
      "[profile proc]\ncredential_process = " + process + " --flag 'quoted arg'\n\n"
      "[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/ir-admin\nsource_profile = dev\nexternal_id = ext-1\n"
      "role_session_name = responder\nduration_seconds = 1800\n\n"
      "[profile web]\nrole_arn = arn:aws:iam::111122223333:role/ci\nweb_identity_token_file = " + home.File("token") + "\n\n"
      "[profile local]\nregion = us-west-2\nservices = moto\nendpoint_url = http://127.0.0.1:1\n"
      "aws_access_key_id = AKIALOCAL\naws_secret_access_key = s\n\n"
      "[services moto]\nlambda =\n  endpoint_url = http://127.0.0.1:5000\n";
  const std::string credentials = "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s\n\n"
                                  "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n";
  const std::map<std::string, std::string> env_keys = {{"AWS_ACCESS_KEY_ID", "AKIAENV"}, {"AWS_SECRET_ACCESS_KEY", "s"}};
  const std::string config_path = home.File("config"), credentials_path = home.File("credentials");
  test::WriteFile(config_path, config);
  test::WriteFile(credentials_path, credentials);
  const std::map<std::string, std::string> files = {{"AWS_CONFIG_FILE", config_path},
                                                    {"AWS_SHARED_CREDENTIALS_FILE", credentials_path}};
  auto with = [&](std::map<std::string, std::string> a) {
    a.insert(files.begin(), files.end());
    return a;
  };
  auto plus_keys = [&](std::map<std::string, std::string> a) {
    a.insert(env_keys.begin(), env_keys.end());
    return with(a);
  };
  const Scenario scenarios[] = {
      {"environment keys win by default", plus_keys({}), "", "", "", ""},
      {"--profile ignores environment keys", plus_keys({}), "", "", "dev", ""},
      {"AWS_PROFILE does not", plus_keys({{"AWS_PROFILE", "dev"}}), "", "", "", ""},
      {"credentials file", with({}), "", "", "", ""},
      {"config file keys", with({}), "", "", "cfgkeys", ""},
      {"credential_process", with({}), "", "", "proc", ""},
      {"assume role", with({}), "", "", "admin", ""},
      {"web identity", with({}), "", "", "web", ""},
      {"AWS_DEFAULT_REGION beats the profile", with({{"AWS_DEFAULT_REGION", "ap-south-1"}}), "", "", "dev", ""},
      {"--region beats everything", with({{"AWS_DEFAULT_REGION", "ap-south-1"}}), "", "", "dev", "sa-east-1"},
      {"services section endpoint", with({}), "", "", "local", ""},
      {"AWS_ENDPOINT_URL beats the config", with({{"AWS_ENDPOINT_URL", "http://127.0.0.1:6000"}}), "", "", "local", ""},
      {"AWS_ENDPOINT_URL_LAMBDA beats AWS_ENDPOINT_URL",
       with({{"AWS_ENDPOINT_URL", "http://127.0.0.1:6000"}, {"AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:7000"}}), "", "", "local", ""},
      {"ignore configured endpoints", with({{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}, {"AWS_ENDPOINT_URL", "http://127.0.0.1:6000"}}),
       "", "", "local", ""},
  };
  for (const Scenario& s : scenarios) {
    SCOPED_TRACE(s.name);
    FakeSts sts;
    const Outcome ours = Ours(s, home.path(), &sts);
    const Outcome theirs = Botocore(s, home.path());
    EXPECT_EQ(ours.method, theirs.method);
    EXPECT_EQ(ours.access_key, theirs.access_key);
    EXPECT_EQ(ours.region, theirs.region);
    EXPECT_EQ(ours.lambda_endpoint, theirs.lambda_endpoint);
  }
}

TEST(AwsConfig, AwsRegionIsHonouredUnlikeBotocore1) {
  // AWS CLI v2 and the other SDKs read AWS_REGION before AWS_DEFAULT_REGION; botocore 1.x
  // reads only AWS_DEFAULT_REGION. We follow the CLI v2.
  MapEnvironment env({{"HOME", "/nonexistent"}, {"AWS_REGION", "eu-north-1"}, {"AWS_DEFAULT_REGION", "ap-south-1"}});
  auto config = AwsConfig::Load({}, env);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->region()->value, "eu-north-1");
  EXPECT_EQ(config->region()->source, "AWS_REGION");
}

TEST(AwsConfig, MissingProfileIsAClearError) {
  MapEnvironment env(std::map<std::string, std::string>{{"HOME", "/nonexistent"}});
  auto config = AwsConfig::Load({"ghost", "", ""}, env);
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(config.error().message.find("the config profile (ghost) could not be found"), std::string::npos);
}

TEST(Credentials, AssumeRolePassesProfileSettingsToSts) {
  test::TempDir home;
  test::WriteFile(home.File(".aws/config"), "[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/ir\n"
                                            "source_profile = base\nexternal_id = ext-1\nrole_session_name = responder\n"
                                            "duration_seconds = 1800\nregion = eu-west-1\n");
  test::WriteFile(home.File(".aws/credentials"), "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n");
  MapEnvironment env({{"HOME", home.path()}});
  auto config = AwsConfig::Load({"admin", "", ""}, env);
  ASSERT_TRUE(config);
  FakeSts sts;
  ChainDependencies deps;
  deps.sts = &sts;
  auto creds = ResolveCredentials(*config, deps);
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->method, "assume-role");
  EXPECT_EQ(creds->credentials.keys.access_key_id, "ASIAASSUMED");
  EXPECT_EQ(sts.calls, std::vector<std::string>{
                           "AssumeRole arn:aws:iam::111122223333:role/ir as AKIABASE session=responder external=ext-1 duration=1800"});
}

TEST(Credentials, ContainerAndInstanceMetadataEndpoints) {
  FakeHttp http;
  http.routes["GET http://127.0.0.1:9911/creds"] = {200, R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"})"};
  MapEnvironment container_env({{"HOME", "/nonexistent"}, {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9911/creds"},
                                {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth"}});
  auto config = AwsConfig::Load({}, container_env);
  ASSERT_TRUE(config);
  ChainDependencies deps;
  deps.http = &http;
  auto creds = ResolveCredentials(*config, deps);
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->method, "container-role");
  EXPECT_EQ(creds->credentials.keys.session_token, "t");
  EXPECT_EQ(http.seen, std::vector<std::string>{"GET http://127.0.0.1:9911/creds [Authorization: container-auth]"});

  // A full URI to an arbitrary host is refused (SSRF guard, as in the SDKs).
  MapEnvironment bad_env({{"HOME", "/nonexistent"}, {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://evil.example/creds"}});
  auto bad_config = AwsConfig::Load({}, bad_env);
  EXPECT_FALSE(ResolveCredentials(*bad_config, deps));
  // Userinfo used to pass a prefix check: the token went to the host after the '@'.
  http.seen.clear();
  for (const char* url : {"http://127.0.0.1@evil.example/creds", "http://127.0.0.1:80@evil.example/creds",
                          "http://169.254.170.2.evil.example/creds", "http://localhost.evil.example/creds"}) {
    SCOPED_TRACE(url);
    MapEnvironment env({{"HOME", "/nonexistent"}, {"AWS_CONTAINER_CREDENTIALS_FULL_URI", url},
                        {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth"}});
    auto creds_or = ResolveCredentials(*AwsConfig::Load({}, env), deps);
    ASSERT_FALSE(creds_or);
    EXPECT_EQ(creds_or.error().message.rfind("AWS_CONTAINER_CREDENTIALS_FULL_URI ", 0), 0u) << creds_or.error().message;
  }
  MapEnvironment relative_env({{"HOME", "/nonexistent"}, {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "@evil.example/creds"}});
  EXPECT_FALSE(ResolveCredentials(*AwsConfig::Load({}, relative_env), deps));
  EXPECT_TRUE(http.seen.empty());

  FakeHttp imds;
  const std::string base = "http://127.0.0.1:9912";
  imds.routes["PUT " + base + "/latest/api/token"] = {200, "imds-token"};
  imds.routes["GET " + base + "/latest/meta-data/iam/security-credentials/"] = {200, "web-role\n"};
  imds.routes["GET " + base + "/latest/meta-data/iam/security-credentials/web-role"] = {
      200, R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"})"};
  MapEnvironment imds_env({{"HOME", "/nonexistent"}, {"AWS_EC2_METADATA_SERVICE_ENDPOINT", base + "/"}});
  auto imds_config = AwsConfig::Load({}, imds_env);
  deps.http = &imds;
  auto from_imds = ResolveCredentials(*imds_config, deps);
  ASSERT_TRUE(from_imds) << from_imds.error().message;
  EXPECT_EQ(from_imds->method, "iam-role");
  EXPECT_EQ(from_imds->credentials.keys.access_key_id, "ASIAIMDS");
  EXPECT_EQ(imds.seen, (std::vector<std::string>{
                           "PUT " + base + "/latest/api/token [X-aws-ec2-metadata-token-ttl-seconds: 21600]",
                           "GET " + base + "/latest/meta-data/iam/security-credentials/ [X-aws-ec2-metadata-token: imds-token]",
                           "GET " + base + "/latest/meta-data/iam/security-credentials/web-role [X-aws-ec2-metadata-token: imds-token]"}));
}

TEST(Credentials, RefreshedBeforeExpiry) {
  test::TempDir home;
  test::WriteFile(home.File(".aws/config"), "[profile admin]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n");
  test::WriteFile(home.File(".aws/credentials"), "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n");
  MapEnvironment env({{"HOME", home.path()}});
  auto config = AwsConfig::Load({"admin", "", ""}, env);
  FakeSts sts;
  TimestampMs now = 1'900'000'000'000 - 60 * 60 * 1000;  // an hour before the fake expiry
  ChainDependencies deps;
  deps.sts = &sts;
  deps.now = [&] { return now; };
  CredentialCache cache(*config, deps);
  ASSERT_TRUE(cache.Get());
  ASSERT_TRUE(cache.Get());
  EXPECT_EQ(sts.calls.size(), 1u);
  now += 50 * 60 * 1000;  // ten minutes left: inside the refresh window
  ASSERT_TRUE(cache.Get());
  EXPECT_EQ(sts.calls.size(), 2u);
}

TEST(Credentials, CommandLineSplitsLikeShlex) {
  EXPECT_EQ(*SplitCommandLine("/bin/get-creds --profile 'a b' \"c \\\"d\\\"\" e\\ f"),
            (std::vector<std::string>{"/bin/get-creds", "--profile", "a b", "c \"d\"", "e f"}));
  EXPECT_FALSE(SplitCommandLine("broken 'quote"));
}

}  // namespace
}  // namespace lir::aws

namespace lir {
namespace {

// A loopback socket that listens and never accepts: a connection made to it waits in its queue.
struct Listener {
  int fd = -1;
  int port = 0;
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 4) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("cannot listen on loopback");
    }
    port = ntohs(addr.sin_port);
  }
  ~Listener() { close(fd); }
  bool ConnectionWaiting() const {
    pollfd pending{fd, POLLIN, 0};
    return poll(&pending, 1, 0) == 1;
  }
};

// The real binary and libcurl: a loopback listener named after the '@' must receive nothing
// (the old prefix check let `http://127.0.0.1@HOST/` through and sent the token to HOST).
TEST(Credentials, AUserinfoContainerUrlReachesNoHost) {
  const Listener listener;
  const std::string url = fmt::format("http://127.0.0.1@localhost:{}/creds", listener.port);
  const auto r = test::RunWithEnv({test::BinaryPath(), "whoami"}, {{"HOME", "/nonexistent"}, {"AWS_CONTAINER_CREDENTIALS_FULL_URI", url},
                                                                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth"}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("AWS_CONTAINER_CREDENTIALS_FULL_URI holds a user name or password (user@host): refused"), std::string::npos) << r.err;
  EXPECT_FALSE(listener.ConnectionWaiting());
}

// The container request carries its authorization token: a proxy set for the AWS calls
// (http_proxy) must never see it; the endpoint itself is asked.
TEST(Credentials, TheContainerRequestNeverGoesThroughAProxy) {
  const Listener proxy;
  const Listener endpoint;
  const std::string proxy_url = fmt::format("http://127.0.0.1:{}", proxy.port);
  const auto r = test::RunWithEnv({test::BinaryPath(), "whoami"},
                                  {{"HOME", "/nonexistent"},
                                   {"AWS_CONTAINER_CREDENTIALS_FULL_URI", fmt::format("http://127.0.0.1:{}/creds", endpoint.port)},
                                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth"},
                                   {"http_proxy", proxy_url}, {"HTTP_PROXY", proxy_url}, {"no_proxy", ""}, {"NO_PROXY", ""}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(proxy.ConnectionWaiting());
  EXPECT_TRUE(endpoint.ConnectionWaiting());
}

}  // namespace
}  // namespace lir
