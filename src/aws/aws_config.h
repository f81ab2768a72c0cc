// Resolves what the AWS CLI would use: profile, region, endpoint per service, retry
// settings, from the command line, the environment and the shared config/credentials files.
#pragma once

#include <optional>
#include <string>

#include "aws/environment.h"
#include "aws/ini_file.h"
#include "core/result.h"

namespace lir::aws {

// The AWS flags every live command takes.
struct AwsOptions {
  std::string profile;       // --profile
  std::string region;        // --region
  std::string endpoint_url;  // --endpoint-url
};

// The services lambda-ir calls, with the names AWS uses for them in configuration.
enum class Service { kLambda, kIam, kSts, kCloudTrail, kLogs, kCloudWatch, kS3, kSigner, kSecurityHub, kOrganizations, kAthena, kEc2 };

struct ServiceNames {
  const char* signing_name;  // SigV4 service: lambda, iam, sts, cloudtrail, logs, monitoring, s3, signer, securityhub, organizations, athena, ec2
  const char* endpoint_prefix;
  const char* env_suffix;    // AWS_ENDPOINT_URL_<this>
  const char* config_key;    // key in a [services NAME] section
};
const ServiceNames& NamesOf(Service service);

struct Resolved {
  std::string value;
  std::string source;  // "--region", "AWS_REGION", "profile dev in /root/.aws/config", ...
};

class AwsConfig {
 public:
  static Result<AwsConfig> Load(const AwsOptions& options, const Environment& env);

  const std::string& profile() const { return profile_; }
  // --profile was given: environment credentials are then ignored, as in the AWS CLI.
  bool profile_from_flag() const { return profile_from_flag_; }
  std::optional<Resolved> region() const;
  // The same configuration acting in `region`, as if given --region (a function found there).
  AwsConfig WithRegion(const std::string& region) const;
  // --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's services
  // section, the profile's endpoint_url; nullopt means the service's public endpoint.
  std::optional<Resolved> EndpointUrl(Service service) const;
  int max_attempts() const;  // standard retry mode: AWS_MAX_ATTEMPTS, profile, else 3

  // A key of `profile` in the config file ([profile NAME] or [default]).
  std::optional<std::string> ConfigValue(const std::string& profile, const std::string& key) const;
  // A key of `profile` in the credentials file ([NAME]).
  std::optional<std::string> CredentialsValue(const std::string& profile, const std::string& key) const;
  bool HasProfile(const std::string& profile) const;

  const std::string& config_path() const { return config_path_; }
  const std::string& credentials_path() const { return credentials_path_; }
  const Environment& env() const { return *env_; }

 private:
  const IniSection* ConfigSection(const std::string& profile) const;

  const Environment* env_ = nullptr;
  AwsOptions options_;
  std::string profile_;
  bool profile_from_flag_ = false;
  std::string config_path_, credentials_path_;
  IniFile config_, credentials_;
};

}  // namespace lir::aws
