// harden's code signing: the AWS Signer profile (made when none is given), the Enforce code
// signing config trusting it, each function's attachment, and the undoing of each (the
// profile excepted: kept, see UndoSigningProfile).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "response/steps.h"

namespace lir {

inline constexpr const char* kKindSigningProfile = "signing-profile";     // the Signer profile harden creates
inline constexpr const char* kKindSigningConfig = "code-signing-config";  // the config harden creates
inline constexpr const char* kKindCodeSigning = "code-signing";           // a function's attachment
inline constexpr const char* kLambdaSigningPlatform = "AWSLambda-SHA384-ECDSA";

// The profile version the config trusts: given (--signing-profile-version-arn), or the current
// version of a profile harden names, known only once that profile exists (when the step runs).
struct SigningProfileRef {
  std::string version_arn;
  std::string name;         // used when version_arn is empty, with
  std::string profile_arn;  // its ARN (arn:aws:signer:REGION:ACCOUNT:/signing-profiles/NAME), versions below it
};

// Whether a profile GetSigningProfile returned can sign Lambda code: "" when it can, else why not.
std::string UnusableSigningProfile(const nlohmann::json& profile);

// Creates the Signer profile `name` for Lambda, unless a usable one is there by then (an earlier
// run's); the result holds its version ARN and whether this round created it.
ResponseStep CreateSigningProfileStep(const StepContext& ctx, const std::string& name);
// Creates an Enforce code signing config trusting the profile; the result holds its ARN.
ResponseStep CreateSigningConfigStep(const StepContext& ctx, const SigningProfileRef& profile, const std::string& profile_key);
// Attaches the config the step `config_key` created for the profile to ctx.function (found again
// by its description: a rerun may find it journaled by an earlier run).
ResponseStep AttachSigningConfigStep(const StepContext& ctx, const std::string& config_key, const SigningProfileRef& profile,
                                     const std::string& before);

// Puts back the function's earlier config, only while the one harden attached (`result`) is still there.
RecoveryPlanItem UndoCodeSigning(const StepContext& ctx, const nlohmann::json& prior, const nlohmann::json& result);
// Deletes the config this round made (found by its description when the run stopped before
// journaling its ARN); one that was there before is kept.
RecoveryPlanItem UndoSigningConfig(const StepContext& ctx, const nlohmann::json& prior, const nlohmann::json& result);
// Never restorable: a profile harden made is kept (Signer never frees a canceled profile's
// name), and the reason says how to cancel it.
RecoveryPlanItem UndoSigningProfile(const StepContext& ctx, const nlohmann::json& prior, const nlohmann::json& result);

}  // namespace lir
