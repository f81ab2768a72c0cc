#include "response/signing_steps.h"

#include <fmt/format.h>

#include "core/json_util.h"
#include "core/strings.h"

namespace lir {

using nlohmann::json;

namespace {

constexpr const char* kSigningDescriptionPrefix = "lambda-ir harden: Enforce, trusts ";

aws::CallParams ProfileParams(const std::string& name) {
  aws::CallParams p;
  p.path["profileName"] = name;
  return p;
}

aws::CallParams SigningConfigParams(const std::string& arn) {
  aws::CallParams p;
  p.path["CodeSigningConfigArn"] = arn;
  return p;
}

// The profile version the config trusts, read when the step runs for a profile known by name.
Result<std::string> ResolveProfileVersion(AwsCalls& calls, const SigningProfileRef& profile) {
  if (!profile.version_arn.empty()) return profile.version_arn;
  const json doc = LIR_TRY(calls.Call(aws::Service::kSigner, "GetSigningProfile", ProfileParams(profile.name)));
  if (const std::string why = UnusableSigningProfile(doc); !why.empty()) {
    return MakeError(ErrorCode::kConflict, fmt::format("Signer profile {}: {}", profile.name, why));
  }
  return JStr(doc, "profileVersionArn");
}

// The version ARN inside a word of a shell line, between `before` and `after` (plain text a
// shell leaves alone in double quotes): literal, or read by the aws CLI when the line runs, after
// the line creating the profile.
std::string ProfileVersionWord(const SigningProfileRef& profile, const AwsCliGlobals& cli, const std::string& before,
                               const std::string& after) {
  if (!profile.version_arn.empty()) return ShellQuote(before + profile.version_arn + after);
  const std::string read = AwsCliLine("signer", "get-signing-profile",
                                      {{"--profile-name", profile.name}, {"--query", "profileVersionArn"}, {"--output", "text"}}, cli);
  return "\"" + before + "$(" + read + ")" + after + "\"";
}

std::string ProfileLabel(const SigningProfileRef& profile) {
  return profile.version_arn.empty() ? fmt::format("Signer profile {} (its current version)", profile.name) : profile.version_arn;
}

// The config harden made for this signing profile, found by its description (a rerun after a
// crash between creating it and journaling it reuses it rather than making a second).
Result<std::string> FindOurSigningConfig(AwsCalls& calls, const std::string& profile_version_arn) {
  const json listed = LIR_TRY(calls.CallAll(aws::Service::kLambda, "ListCodeSigningConfigs", {}));
  for (const json& c : JArr(listed, "CodeSigningConfigs")) {
    const auto publishers = JStrings(JAt(JAt(c, "AllowedPublishers"), "SigningProfileVersionArns"));
    if (JStr(c, "Description") == kSigningDescriptionPrefix + profile_version_arn && publishers == std::vector{profile_version_arn} &&
        JStr(JAt(c, "CodeSigningPolicies"), "UntrustedArtifactOnDeployment") == "Enforce") {
      return JStr(c, "CodeSigningConfigArn");
    }
  }
  return std::string();
}

}  // namespace

std::string UnusableSigningProfile(const json& profile) {
  if (JStr(profile, "platformId") != kLambdaSigningPlatform) {
    return fmt::format("its platform is {}, not {}", JStr(profile, "platformId", "unknown"), kLambdaSigningPlatform);
  }
  if (JStr(profile, "status") != "Active") return fmt::format("it is {}", JStr(profile, "status", "of unknown status"));
  if (JStr(profile, "profileVersionArn").empty()) return "it has no version ARN";
  return "";
}

ResponseStep CreateSigningProfileStep(const StepContext& ctx, const std::string& name) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindSigningProfile + "/" + name;
  s.action = AwsCliLine("signer", "put-signing-profile", {{"--profile-name", name}, {"--platform-id", kLambdaSigningPlatform}}, ctx.cli);
  s.summary = fmt::format("Signer profile {} for Lambda ({}): created, or reused if an earlier run made it", name, kLambdaSigningPlatform);
  s.phase = 0;
  // Whether it existed before this round: a rerun after a crash between creating it and
  // journaling it finds it, and must still count it as this round's (undo cancels it).
  s.read_prior = [calls = ctx.calls, name]() -> Result<json> {
    const auto doc = LIR_TRY(calls->CallIfPresent(aws::Service::kSigner, "GetSigningProfile", ProfileParams(name)));
    return json{{"profileName", name}, {"existed", doc.has_value()}, {"status", doc ? JStr(*doc, "status") : ""}};
  };
  s.apply = [calls = ctx.calls, name](const json& prior) -> Result<json> {
    const bool ours = JAt(prior, "existed") != true;
    const auto doc = LIR_TRY(calls->CallIfPresent(aws::Service::kSigner, "GetSigningProfile", ProfileParams(name)));
    if (doc) {
      if (const std::string why = UnusableSigningProfile(*doc); !why.empty()) {
        return MakeError(ErrorCode::kConflict, fmt::format("Signer profile {} is there but cannot sign Lambda code ({}): left as it is; "
                                                           "give --signing-profile-name or --signing-profile-version-arn",
                                                           name, why));
      }
      return json{{"profileVersionArn", JStr(*doc, "profileVersionArn")}, {"created", ours}};
    }
    aws::CallParams p = ProfileParams(name);
    p.body = json{{"platformId", kLambdaSigningPlatform}};
    const json made = LIR_TRY(calls->Call(aws::Service::kSigner, "PutSigningProfile", p));
    return json{{"profileVersionArn", JStr(made, "profileVersionArn")}, {"created", true}};
  };
  return s;
}

ResponseStep CreateSigningConfigStep(const StepContext& ctx, const SigningProfileRef& profile, const std::string& profile_key) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindSigningConfig;
  const std::string policies = "UntrustedArtifactOnDeployment=Enforce";
  if (profile.version_arn.empty()) {
    s.action = AwsCliLine("lambda", "create-code-signing-config", {{"--code-signing-policies", policies}}, ctx.cli) +
               " --description " + ProfileVersionWord(profile, ctx.cli, kSigningDescriptionPrefix, "") +
               " --allowed-publishers " + ProfileVersionWord(profile, ctx.cli, "SigningProfileVersionArns=", "");
  } else {
    const json publishers = {{"SigningProfileVersionArns", {profile.version_arn}}};
    s.action = AwsCliLine("lambda", "create-code-signing-config",
                          {{"--description", kSigningDescriptionPrefix + profile.version_arn},
                           {"--allowed-publishers", publishers.dump()},
                           {"--code-signing-policies", policies}},
                          ctx.cli);
  }
  s.summary = fmt::format("code signing config (Enforce) trusting {}: created, or reused if an earlier run made it", ProfileLabel(profile));
  s.phase = 1;
  if (!profile_key.empty()) s.needs = {profile_key};
  // Whether the config existed before this run: after a crash between creating it and
  // journaling it, the rerun finds it and must still count it as this round's (undo deletes it).
  s.read_prior = [calls = ctx.calls, profile]() -> Result<json> {
    const std::string version = LIR_TRY(ResolveProfileVersion(*calls, profile));
    const std::string existing = LIR_TRY(FindOurSigningConfig(*calls, version));
    return json{{"CodeSigningConfigArn", existing}, {"ProfileVersionArn", version}};
  };
  s.apply = [calls = ctx.calls, profile](const json& prior) -> Result<json> {
    const std::string version = LIR_TRY(ResolveProfileVersion(*calls, profile));
    const std::string existing = LIR_TRY(FindOurSigningConfig(*calls, version));
    const bool ours = JStr(prior, "CodeSigningConfigArn").empty();
    if (!existing.empty()) return json{{"CodeSigningConfigArn", existing}, {"created", ours}};
    aws::CallParams p;
    p.body = json{{"Description", kSigningDescriptionPrefix + version},
                  {"AllowedPublishers", {{"SigningProfileVersionArns", {version}}}},
                  {"CodeSigningPolicies", {{"UntrustedArtifactOnDeployment", "Enforce"}}}};
    const json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "CreateCodeSigningConfig", p));
    return json{{"CodeSigningConfigArn", JStr(JAt(doc, "CodeSigningConfig"), "CodeSigningConfigArn")}, {"created", true},
                {"ProfileVersionArn", version}};
  };
  return s;
}

ResponseStep AttachSigningConfigStep(const StepContext& ctx, const std::string& config_key, const SigningProfileRef& profile,
                                     const std::string& before) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindCodeSigning;
  // The config's ARN as a shell finds it: by the description the step above gave it (for a
  // profile known by name, any version of it: one shell word holds one substitution).
  const std::string query =
      profile.version_arn.empty()
          ? fmt::format("CodeSigningConfigs[?starts_with(Description, '{}{}/')].CodeSigningConfigArn | [0]", kSigningDescriptionPrefix,
                        profile.profile_arn)
          : fmt::format("CodeSigningConfigs[?Description=='{}{}'].CodeSigningConfigArn | [0]", kSigningDescriptionPrefix,
                        profile.version_arn);
  const std::string find = AwsCliLine("lambda", "list-code-signing-configs", {{"--query", query}, {"--output", "text"}}, ctx.cli);
  s.action = AwsCliLine("lambda", "put-function-code-signing-config", {{"--function-name", ctx.function}}, ctx.cli) +
             " --code-signing-config-arn \"$(" + find + ")\"";
  s.summary = fmt::format("code signing of {}: {} -> the Enforce config (unsigned deploys now fail)", ctx.function,
                          before.empty() ? "none" : before);
  s.phase = 2;
  s.needs = {config_key};
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    const json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionCodeSigningConfig", LambdaParams(function)));
    return json{{"CodeSigningConfigArn", JStr(doc, "CodeSigningConfigArn")}};
  };
  s.apply = [calls = ctx.calls, function = ctx.function, profile](const json&) -> Result<json> {
    const std::string version = LIR_TRY(ResolveProfileVersion(*calls, profile));
    const std::string arn = LIR_TRY(FindOurSigningConfig(*calls, version));
    if (arn.empty()) return MakeError(ErrorCode::kNotFound, "the Enforce code signing config harden creates is not there");
    aws::CallParams p = LambdaParams(function);
    p.body = json{{"CodeSigningConfigArn", arn}};
    const json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "PutFunctionCodeSigningConfig", p));
    return json{{"CodeSigningConfigArn", JStr(doc, "CodeSigningConfigArn")}};
  };
  return s;
}

RecoveryPlanItem UndoCodeSigning(const StepContext& ctx, const json& prior, const json& result) {
  const std::string before = JStr(prior, "CodeSigningConfigArn");
  const std::string ours = JStr(result, "CodeSigningConfigArn");  // empty after an interrupted run: not known
  ResponseStep s;
  s.key = ctx.key_prefix + kKindCodeSigning;
  s.phase = 1;
  s.read_prior = [calls = ctx.calls, function = ctx.function]() -> Result<json> {
    const json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "GetFunctionCodeSigningConfig", LambdaParams(function)));
    return json{{"CodeSigningConfigArn", JStr(doc, "CodeSigningConfigArn")}};
  };
  auto replaced = [ours](const json& now) {
    const std::string attached = JStr(now, "CodeSigningConfigArn");
    return !ours.empty() && attached != ours;
  };
  if (before.empty()) {
    s.action = AwsCliLine("lambda", "delete-function-code-signing-config", {{"--function-name", ctx.function}}, ctx.cli);
    s.summary = fmt::format("code signing of {}: detached (it had none before harden)", ctx.function);
    s.apply = [calls = ctx.calls, function = ctx.function, replaced](const json& now) -> Result<json> {
      if (replaced(now)) return json{{"unchanged", "another config was attached since harden: kept"}};
      return calls->Remove(aws::Service::kLambda, "DeleteFunctionCodeSigningConfig", LambdaParams(function), json{{"detached", true}},
                           "no code signing config attached");
    };
  } else {
    s.action = AwsCliLine("lambda", "put-function-code-signing-config",
                          {{"--function-name", ctx.function}, {"--code-signing-config-arn", before}}, ctx.cli);
    s.summary = fmt::format("code signing of {}: {} again, as before harden", ctx.function, before);
    s.apply = [calls = ctx.calls, function = ctx.function, before, replaced](const json& now) -> Result<json> {
      if (replaced(now)) return json{{"unchanged", "another config was attached since harden: kept"}};
      aws::CallParams p = LambdaParams(function);
      p.body = json{{"CodeSigningConfigArn", before}};
      const json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "PutFunctionCodeSigningConfig", p));
      return json{{"CodeSigningConfigArn", JStr(doc, "CodeSigningConfigArn")}};
    };
  }
  return {true, "", std::move(s)};
}

RecoveryPlanItem UndoSigningConfig(const StepContext& ctx, const json& prior, const json& result) {
  std::string arn = JStr(result, "CodeSigningConfigArn");
  const std::string version = JStr(prior, "ProfileVersionArn");
  const bool made_here = JStr(prior, "CodeSigningConfigArn").empty();  // none before this round
  if (!made_here || (!arn.empty() && JAt(result, "created") != true)) {
    return {false, "the code signing config was there before this harden run: kept", {}};
  }
  // A run that stopped before journaling the config's ARN: found again by its description.
  if (arn.empty() && version.empty()) return {false, "the code signing config was not made (its step never ran): nothing to delete", {}};
  ResponseStep s;
  s.key = ctx.key_prefix + kKindSigningConfig;
  s.phase = 3;  // once no function uses it (the plan waits for their detaching)
  std::string target = ShellQuote(arn);
  if (arn.empty()) {
    const std::string query = fmt::format("CodeSigningConfigs[?Description=='{}{}'].CodeSigningConfigArn | [0]", kSigningDescriptionPrefix, version);
    target = "\"$(" + AwsCliLine("lambda", "list-code-signing-configs", {{"--query", query}, {"--output", "text"}}, ctx.cli) + ")\"";
  }
  s.action = AwsCliLine("lambda", "delete-code-signing-config", std::vector<CliArg>{}, ctx.cli) + " --code-signing-config-arn " + target;
  s.summary = fmt::format("code signing config {}: deleted (harden created it)", arn.empty() ? "trusting " + version : arn);
  s.known_prior = json::object();
  s.apply = [calls = ctx.calls, arn, version](const json&) -> Result<json> {
    auto ours = arn.empty() ? FindOurSigningConfig(*calls, version) : Result<std::string>(arn);
    if (!ours) return tl::unexpected(ours.error());
    const std::string found = *ours;
    if (found.empty()) return json{{"unchanged", "code signing config absent (never made, or deleted already)"}};
    return calls->Remove(aws::Service::kLambda, "DeleteCodeSigningConfig", SigningConfigParams(found), json{{"deleted", found}},
                         "code signing config absent (deleted already)");
  };
  return {true, "", std::move(s)};
}

RecoveryPlanItem UndoSigningProfile(const StepContext&, const json& prior, const json& result) {
  const std::string name = JStr(prior, "profileName");
  if (JAt(prior, "existed") == true || (result.is_object() && result.value("created", true) == false)) {
    return {false, fmt::format("Signer profile {} was there before this harden run: kept", name), {}};
  }
  // Signer keeps a canceled profile's name taken for two years: canceling would stop every later
  // harden of this name, and a profile no config trusts signs nothing that Lambda checks.
  return {false,
          fmt::format("Signer profile {} (made by harden) is kept, no longer trusted by any config harden made; cancel it if no one "
                      "signs with it: aws signer cancel-signing-profile --profile-name {}",
                      name, name),
          {}};
}

}  // namespace lir
