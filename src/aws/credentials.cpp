#include "aws/credentials.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/container_url.h"
#include "core/file_read.h"
#include "core/json_util.h"
#include "core/process.h"
#include "core/strings.h"

namespace lir::aws {
namespace {

// A token file: a regular file (through links, as Kubernetes projects them), small, one line
// (a line break would be a header of the attacker's choosing).
Result<std::string> ReadTokenFile(const std::string& path, const char* what) {
  constexpr uint64_t kMaxTokenBytes = uint64_t{64} * 1024;
  auto text = ReadRegularFile(path, kMaxTokenBytes, /*follow_links=*/true);
  if (!text) return MakeError(text.error().code, fmt::format("{}: {}", what, text.error().message));
  const std::string token(Trim(*text));
  if (token.find_first_of("\r\n") != std::string::npos) {
    return MakeError(ErrorCode::kCorruptInput, fmt::format("{} {}: holds more than one line", what, path));
  }
  return token;
}

constexpr const char* kContainerHost = "http://169.254.170.2";
constexpr const char* kImdsEndpoint = "http://169.254.169.254";
constexpr size_t kMaxProcessOutput = 1 << 20;
constexpr int64_t kRefreshBeforeMs = int64_t{15} * 60 * 1000;  // botocore's advisory window

// A profile key as botocore's merged view sees it: the credentials file wins.
std::optional<std::string> Value(const AwsConfig& c, const std::string& profile, const std::string& key) {
  if (auto v = c.CredentialsValue(profile, key)) return v;
  return c.ConfigValue(profile, key);
}

Result<std::optional<TimestampMs>> ParseExpiration(const nlohmann::json& doc, const char* key, const std::string& what) {
  if (!doc.contains(key) || doc[key].is_null()) return std::optional<TimestampMs>{};
  if (!doc[key].is_string()) return MakeError(ErrorCode::kCorruptInput, what + ": " + key + " is not a string");
  auto t = ParseIso8601(doc[key].get<std::string>());
  if (!t) return MakeError(ErrorCode::kCorruptInput, what + ": " + key + " is not an ISO-8601 time");
  return std::optional<TimestampMs>(*t);
}

// {"AccessKeyId","SecretAccessKey","Token"|"SessionToken","Expiration"}: container, IMDS, process.
Result<TemporaryCredentials> ParseCredentialDocument(const std::string& body, const std::string& what,
                                                     const char* token_key) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return MakeError(ErrorCode::kCorruptInput, what + " did not return a JSON object");
  }
  TemporaryCredentials t;
  for (auto [key, out] : {std::pair{"AccessKeyId", &t.keys.access_key_id},
                          std::pair{"SecretAccessKey", &t.keys.secret_access_key},
                          std::pair{token_key, &t.keys.session_token}}) {
    if (doc.contains(key) && doc[key].is_string()) *out = doc[key].get<std::string>();
  }
  if (t.keys.access_key_id.empty() || t.keys.secret_access_key.empty()) {
    return MakeError(ErrorCode::kCorruptInput, what + " returned no AccessKeyId/SecretAccessKey");
  }
  t.expiration = LIR_TRY(ParseExpiration(doc, "Expiration", what));
  return t;
}

class Chain {
 public:
  Chain(const AwsConfig& config, const ChainDependencies& deps) : c_(config), d_(deps) {}

  Result<ResolvedCredentials> Resolve() {
    if (!c_.profile_from_flag()) {
      if (auto env = FromEnvironment()) return *env;
    }
    return FromProfile(c_.profile(), 0);
  }

 private:
  std::optional<ResolvedCredentials> FromEnvironment() {
    const Environment& env = c_.env();
    auto id = env.Get("AWS_ACCESS_KEY_ID"), secret = env.Get("AWS_SECRET_ACCESS_KEY");
    if (!id || !secret) return std::nullopt;
    auto token = env.Get("AWS_SESSION_TOKEN");
    if (!token) token = env.Get("AWS_SECURITY_TOKEN");
    return ResolvedCredentials{{{*id, *secret, token.value_or("")}, std::nullopt}, "env", "environment variables"};
  }

  Result<ResolvedCredentials> FromProfile(const std::string& profile, int depth) {
    if (depth > 8) return MakeError(ErrorCode::kInvalidArgument, "source_profile chain is too deep (a loop?)");
    const auto role_arn = Value(c_, profile, "role_arn");
    const auto source_profile = Value(c_, profile, "source_profile");
    const auto credential_source = Value(c_, profile, "credential_source");
    if (role_arn && (source_profile || credential_source)) return AssumeRoleProfile(profile, *role_arn, depth);
    if (auto web = WebIdentity(profile)) return *web;
    if (Value(c_, profile, "sso_start_url") || Value(c_, profile, "sso_session")) {
      return MakeError(ErrorCode::kUnsupported,
                       fmt::format("profile {} uses IAM Identity Center (sso_*), which lambda-ir does not "
                                   "read; run `aws configure export-credentials --profile {} --format env` "
                                   "and use the environment variables",
                                   profile, profile));
    }
    if (auto id = c_.CredentialsValue(profile, "aws_access_key_id")) {
      if (auto secret = c_.CredentialsValue(profile, "aws_secret_access_key")) {
        return ResolvedCredentials{{{*id, *secret, c_.CredentialsValue(profile, "aws_session_token").value_or("")}, std::nullopt},
                                   "shared-credentials-file", fmt::format("profile {} in {}", profile, c_.credentials_path())};
      }
    }
    if (auto process = Value(c_, profile, "credential_process")) return FromProcess(profile, *process);
    if (auto id = c_.ConfigValue(profile, "aws_access_key_id")) {
      if (auto secret = c_.ConfigValue(profile, "aws_secret_access_key")) {
        return ResolvedCredentials{{{*id, *secret, c_.ConfigValue(profile, "aws_session_token").value_or("")}, std::nullopt},
                                   "config-file", fmt::format("profile {} in {}", profile, c_.config_path())};
      }
    }
    if (depth > 0) {
      return MakeError(ErrorCode::kNotFound, fmt::format("source profile {} has no credentials", profile));
    }
    if (auto container = FromContainer()) return *container;
    if (auto imds = FromInstanceMetadata()) return *imds;
    return MakeError(ErrorCode::kNotFound,
                     "no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, use --profile, "
                     "or run where a container or instance role is available");
  }

  Result<ResolvedCredentials> AssumeRoleProfile(const std::string& profile, const std::string& role_arn, int depth) {
    if (d_.sts == nullptr) return MakeError(ErrorCode::kInternal, "no STS client to assume " + role_arn);
    Result<ResolvedCredentials> source = MakeError(ErrorCode::kNotFound, "");
    if (auto source_profile = Value(c_, profile, "source_profile")) {
      // A profile that names itself as source uses its own static keys (botocore does too).
      if (*source_profile == profile) {
        if (auto id = c_.CredentialsValue(profile, "aws_access_key_id")) {
          source = ResolvedCredentials{{{*id, c_.CredentialsValue(profile, "aws_secret_access_key").value_or(""),
                                         c_.CredentialsValue(profile, "aws_session_token").value_or("")}, std::nullopt},
                                       "shared-credentials-file", profile};
        }
      } else {
        source = FromProfile(*source_profile, depth + 1);
      }
    } else {
      const std::string named = *Value(c_, profile, "credential_source");
      if (named == "Environment") {
        if (auto env = FromEnvironment()) source = *env;
      } else if (named == "EcsContainer") {
        if (auto container = FromContainer()) source = *container;
      } else if (named == "Ec2InstanceMetadata") {
        if (auto imds = FromInstanceMetadata()) source = *imds;
      } else {
        return MakeError(ErrorCode::kInvalidArgument,
                         fmt::format("profile {}: credential_source {} is not Environment, EcsContainer or "
                                     "Ec2InstanceMetadata", profile, named));
      }
    }
    if (!source) {
      return MakeError(source.error().code,
                       fmt::format("profile {}: no source credentials to assume {}{}", profile, role_arn,
                                   source.error().message.empty() ? "" : ": " + source.error().message));
    }
    StsApi::AssumeRoleRequest request;
    request.role_arn = role_arn;
    request.session_name = Value(c_, profile, "role_session_name").value_or(fmt::format("lambda-ir-{}", d_.now() / 1000));
    request.external_id = Value(c_, profile, "external_id").value_or("");
    if (auto duration = Value(c_, profile, "duration_seconds")) {
      try {
        request.duration_seconds = std::stoi(*duration);
      } catch (...) {
        return MakeError(ErrorCode::kInvalidArgument, fmt::format("profile {}: duration_seconds is not a number", profile));
      }
    }
    request.region = c_.region() ? c_.region()->value : "us-east-1";
    TemporaryCredentials assumed = LIR_TRY(d_.sts->AssumeRole(source->credentials.keys, request));
    return ResolvedCredentials{assumed, "assume-role", fmt::format("{} via profile {}", role_arn, profile)};
  }

  std::optional<Result<ResolvedCredentials>> WebIdentity(const std::string& profile) {
    const Environment& env = c_.env();
    auto token_file = env.Get("AWS_WEB_IDENTITY_TOKEN_FILE");
    if (!token_file) token_file = Value(c_, profile, "web_identity_token_file");
    auto role_arn = env.Get("AWS_ROLE_ARN");
    if (!role_arn) role_arn = Value(c_, profile, "role_arn");
    if (!token_file || !role_arn) return std::nullopt;
    if (d_.sts == nullptr) return MakeError(ErrorCode::kInternal, "no STS client for web identity");
    auto token = ReadTokenFile(*token_file, "web identity token file");
    if (!token) return tl::unexpected(token.error());
    auto session = env.Get("AWS_ROLE_SESSION_NAME");
    if (!session) session = Value(c_, profile, "role_session_name");
    auto assumed = d_.sts->AssumeRoleWithWebIdentity(*role_arn, session.value_or(fmt::format("lambda-ir-{}", d_.now() / 1000)),
                                                     *token,
                                                     c_.region() ? c_.region()->value : "us-east-1");
    if (!assumed) return tl::unexpected(assumed.error());
    return ResolvedCredentials{*assumed, "assume-role-with-web-identity", *role_arn};
  }

  Result<ResolvedCredentials> FromProcess(const std::string& profile, const std::string& command) {
    if (!d_.run_process) return MakeError(ErrorCode::kInternal, "no process runner for credential_process");
    const auto argv = LIR_TRY(SplitCommandLine(command));
    // Never echo the output: it is the secret.
    auto output = d_.run_process(argv);
    if (!output) {
      return MakeError(output.error().code, fmt::format("profile {}: credential_process failed: {}", profile, output.error().message));
    }
    const auto doc = nlohmann::json::parse(*output, nullptr, false);
    if (doc.is_object() && JInt(doc, "Version") != 1) {
      return MakeError(ErrorCode::kCorruptInput, fmt::format("profile {}: credential_process output must have \"Version\": 1", profile));
    }
    auto creds = ParseCredentialDocument(*output, fmt::format("profile {}: credential_process", profile), "SessionToken");
    if (!creds) return tl::unexpected(creds.error());
    return ResolvedCredentials{*creds, "custom-process", fmt::format("profile {}", profile)};
  }

  // Container credentials: only loopback, the ECS/EKS link-local hosts, or HTTPS, as the SDKs allow.
  std::optional<Result<ResolvedCredentials>> FromContainer() {
    const Environment& env = c_.env();
    std::string url;
    const char* variable = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
    if (auto relative = env.Get(variable)) {
      if (relative->empty() || relative->front() != '/') {
        return MakeError(ErrorCode::kInvalidArgument, fmt::format("{} must start with '/'", variable));
      }
      url = std::string(kContainerHost) + *relative;
    } else if (auto full = env.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
      variable = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
      url = *full;
    } else {
      return std::nullopt;
    }
    if (const std::string problem = ContainerUrlProblem(url); !problem.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, fmt::format("{} {}", variable, problem));
    }
    if (d_.http == nullptr) return MakeError(ErrorCode::kInternal, "no HTTP client for container credentials");
    std::vector<std::pair<std::string, std::string>> headers;
    if (auto token_file = env.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      auto token = ReadTokenFile(*token_file, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
      if (!token) return tl::unexpected(token.error());
      headers.emplace_back("Authorization", *token);
    } else if (auto token = env.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
      headers.emplace_back("Authorization", *token);
    }
    auto response = d_.http->Request("GET", url, headers);
    if (!response) return tl::unexpected(response.error());
    if (response->status != 200) {
      return MakeError(ErrorCode::kUnavailable, fmt::format("container credentials endpoint answered HTTP {}", response->status));
    }
    auto creds = ParseCredentialDocument(response->body, "container credentials endpoint", "Token");
    if (!creds) return tl::unexpected(creds.error());
    return ResolvedCredentials{*creds, "container-role", url};
  }

  // IMDSv2: a session token first, then the role name, then its credentials.
  std::optional<Result<ResolvedCredentials>> FromInstanceMetadata() {
    const Environment& env = c_.env();
    if (ToLower(env.Get("AWS_EC2_METADATA_DISABLED").value_or("false")) == "true") return std::nullopt;
    if (d_.http == nullptr) return std::nullopt;
    std::string base = env.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or(kImdsEndpoint);
    while (!base.empty() && base.back() == '/') base.pop_back();
    auto token = d_.http->Request("PUT", base + "/latest/api/token", {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}});
    if (!token || token->status != 200) return std::nullopt;  // no IMDS here: not an error
    const std::vector<std::pair<std::string, std::string>> auth{{"X-aws-ec2-metadata-token", token->body}};
    auto role = d_.http->Request("GET", base + "/latest/meta-data/iam/security-credentials/", auth);
    if (!role || role->status != 200) return std::nullopt;
    const std::string role_name(Trim(Split(role->body, '\n')[0]));
    if (role_name.empty()) return std::nullopt;
    auto doc = d_.http->Request("GET", base + "/latest/meta-data/iam/security-credentials/" + role_name, auth);
    if (!doc) return tl::unexpected(doc.error());
    if (doc->status != 200) {
      return MakeError(ErrorCode::kUnavailable, fmt::format("instance metadata answered HTTP {} for role {}", doc->status, role_name));
    }
    auto creds = ParseCredentialDocument(doc->body, "instance metadata", "Token");
    if (!creds) return tl::unexpected(creds.error());
    return ResolvedCredentials{*creds, "iam-role", "instance role " + role_name};
  }

  const AwsConfig& c_;
  const ChainDependencies& d_;
};

}  // namespace

Result<ResolvedCredentials> ResolveCredentials(const AwsConfig& config, const ChainDependencies& deps) {
  return Chain(config, deps).Resolve();
}

Result<std::vector<std::string>> SplitCommandLine(const std::string& command) {
  std::vector<std::string> out;
  std::string current;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (quote == '\'') {
      if (c == '\'') quote = 0;
      else current += c;
      continue;
    }
    if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < command.size() && std::strchr("\\\"$`\n", command[i + 1])) {
        current += command[++i];
      } else {
        current += c;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < command.size()) {
      current += command[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(std::move(current));
      current.clear();
      in_word = false;
    } else {
      current += c;
      in_word = true;
    }
  }
  if (quote) return MakeError(ErrorCode::kInvalidArgument, "credential_process has an unterminated quote");
  if (in_word) out.push_back(std::move(current));
  if (out.empty()) return MakeError(ErrorCode::kInvalidArgument, "credential_process is empty");
  return out;
}

Result<std::string> RunProcess(const std::vector<std::string>& argv) { return RunAndCapture(argv, kMaxProcessOutput); }

CredentialCache::CredentialCache(const AwsConfig& config, const ChainDependencies& deps)
    : resolve_([&config, deps] { return ResolveCredentials(config, deps); }), now_(deps.now) {}

CredentialCache::CredentialCache(Resolver resolve, std::function<TimestampMs()> now) : resolve_(std::move(resolve)), now_(std::move(now)) {}

Result<ResolvedCredentials> CredentialCache::Get() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cached_) {
    const auto& exp = cached_->credentials.expiration;
    if (!exp || *exp - now_() > kRefreshBeforeMs) return *cached_;
  }
  auto fresh = resolve_();
  if (!fresh) {
    // Keep using credentials that are still valid if a refresh fails (botocore does too).
    if (cached_ && cached_->credentials.expiration && *cached_->credentials.expiration > now_()) return *cached_;
    return fresh;
  }
  cached_ = *fresh;
  return fresh;
}

}  // namespace lir::aws
