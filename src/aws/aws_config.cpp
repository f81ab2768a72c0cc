#include "aws/aws_config.h"

#include <fmt/format.h>

#include "core/strings.h"

namespace lir::aws {
namespace {

std::string HomePath(const Environment& env, const char* rest) {
  return env.Get("HOME").value_or("") + rest;
}

}  // namespace

const ServiceNames& NamesOf(Service service) {
  static const ServiceNames kNames[] = {
      {"lambda", "lambda", "LAMBDA", "lambda"},
      {"iam", "iam", "IAM", "iam"},
      {"sts", "sts", "STS", "sts"},
      {"cloudtrail", "cloudtrail", "CLOUDTRAIL", "cloudtrail"},
      {"logs", "logs", "CLOUDWATCH_LOGS", "cloudwatch_logs"},
      {"monitoring", "monitoring", "CLOUDWATCH", "cloudwatch"},
      {"s3", "s3", "S3", "s3"},
      {"signer", "signer", "SIGNER", "signer"},
      {"securityhub", "securityhub", "SECURITYHUB", "securityhub"},
      {"organizations", "organizations", "ORGANIZATIONS", "organizations"},
      {"athena", "athena", "ATHENA", "athena"},
      {"ec2", "ec2", "EC2", "ec2"},
  };
  return kNames[static_cast<int>(service)];
}

Result<AwsConfig> AwsConfig::Load(const AwsOptions& options, const Environment& env) {
  AwsConfig c;
  c.env_ = &env;
  c.options_ = options;
  c.config_path_ = env.Get("AWS_CONFIG_FILE").value_or(HomePath(env, "/.aws/config"));
  c.credentials_path_ = env.Get("AWS_SHARED_CREDENTIALS_FILE").value_or(HomePath(env, "/.aws/credentials"));
  c.config_ = LIR_TRY(LoadIniFile(c.config_path_));
  c.credentials_ = LIR_TRY(LoadIniFile(c.credentials_path_));
  if (!options.profile.empty()) {
    c.profile_ = options.profile;
    c.profile_from_flag_ = true;
  } else {
    c.profile_ = env.Get("AWS_PROFILE").value_or(env.Get("AWS_DEFAULT_PROFILE").value_or("default"));
  }
  if (c.profile_ != "default" && !c.HasProfile(c.profile_)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("the config profile ({}) could not be found in {} or {}", c.profile_,
                                 c.config_path_, c.credentials_path_));
  }
  return c;
}

const IniSection* AwsConfig::ConfigSection(const std::string& profile) const {
  if (const IniSection* s = config_.Section("profile " + profile)) return s;
  return profile == "default" ? config_.Section("default") : nullptr;
}

bool AwsConfig::HasProfile(const std::string& profile) const {
  return ConfigSection(profile) != nullptr || credentials_.Section(profile) != nullptr;
}

std::optional<std::string> AwsConfig::ConfigValue(const std::string& profile, const std::string& key) const {
  const IniSection* s = ConfigSection(profile);
  if (s == nullptr) return std::nullopt;
  auto it = s->find(key);
  if (it == s->end() || it->second.value.empty()) return std::nullopt;
  return it->second.value;
}

std::optional<std::string> AwsConfig::CredentialsValue(const std::string& profile, const std::string& key) const {
  const IniSection* s = credentials_.Section(profile);
  if (s == nullptr) return std::nullopt;
  auto it = s->find(key);
  if (it == s->end() || it->second.value.empty()) return std::nullopt;
  return it->second.value;
}

AwsConfig AwsConfig::WithRegion(const std::string& region) const {
  AwsConfig out = *this;
  out.options_.region = region;
  return out;
}

std::optional<Resolved> AwsConfig::region() const {
  if (!options_.region.empty()) return Resolved{options_.region, "--region"};
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (auto v = env_->Get(name)) return Resolved{*v, name};
  }
  if (auto v = ConfigValue(profile_, "region")) {
    return Resolved{*v, fmt::format("profile {} in {}", profile_, config_path_)};
  }
  return std::nullopt;
}

std::optional<Resolved> AwsConfig::EndpointUrl(Service service) const {
  if (!options_.endpoint_url.empty()) return Resolved{options_.endpoint_url, "--endpoint-url"};
  const bool ignore = env_->Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").value_or(
                          ConfigValue(profile_, "ignore_configured_endpoint_urls").value_or("false")) == "true";
  if (ignore) return std::nullopt;
  const ServiceNames& names = NamesOf(service);
  const std::string service_env = std::string("AWS_ENDPOINT_URL_") + names.env_suffix;
  if (auto v = env_->Get(service_env)) return Resolved{*v, service_env};
  if (auto v = env_->Get("AWS_ENDPOINT_URL")) return Resolved{*v, "AWS_ENDPOINT_URL"};
  if (auto services = ConfigValue(profile_, "services")) {
    if (const IniSection* s = config_.Section("services " + *services)) {
      auto it = s->find(names.config_key);
      if (it != s->end()) {
        auto url = it->second.nested.find("endpoint_url");
        if (url != it->second.nested.end()) {
          return Resolved{url->second, fmt::format("services {} in {}", *services, config_path_)};
        }
      }
    }
  }
  if (auto v = ConfigValue(profile_, "endpoint_url")) {
    return Resolved{*v, fmt::format("profile {} in {}", profile_, config_path_)};
  }
  return std::nullopt;
}

int AwsConfig::max_attempts() const {
  auto text = env_->Get("AWS_MAX_ATTEMPTS");
  if (!text) text = ConfigValue(profile_, "max_attempts");
  if (text) {
    try {
      const int n = std::stoi(*text);
      if (n >= 1) return n;
    } catch (...) {
    }
  }
  return 3;
}

}  // namespace lir::aws
