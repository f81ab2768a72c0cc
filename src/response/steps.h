// The individual changes of contain and recover, each as a ResponseStep: how to read the
// state it changes, how to make the change idempotently, and the aws CLI line it equals.
// Recovery steps are built from the prior state a contain step recorded.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "response/aws_calls.h"
#include "core/aws_cli_line.h"
#include "response/step_runner.h"

namespace lir {

struct StepContext {
  AwsCalls* calls = nullptr;
  AwsCliGlobals cli;
  std::string function;    // name, as the user gave it
  std::string key_prefix;  // e.g. contain/payments/r1/
  int wait_seconds = 300;  // for mappings to report Disabled/Enabled
  std::string account, region;  // what the caller acts on (foreign destinations, shared roles)
};

inline constexpr const char* kDenyAllPolicyName = "DenyAll-IncidentResponse";
inline constexpr const char* kRevokeSessionsPolicyName = "RevokeOlderSessions-IncidentResponse";

// Key kinds (the path element after the prefix); recovery dispatches on them.
inline constexpr const char* kKindProvisioned = "provisioned-concurrency";
inline constexpr const char* kKindReserved = "reserved-concurrency";
inline constexpr const char* kKindMapping = "mapping";
inline constexpr const char* kKindDenyPolicy = "deny-policy";
inline constexpr const char* kKindRevokeSessions = "revoke-sessions";
inline constexpr const char* kKindUrl = "url";
inline constexpr const char* kKindStatement = "statement";
inline constexpr const char* kKindDestination = "on-failure-destination";

// Contain. The reserved step reads its prior with `read_function` (the snapshot's GetFunction,
// which carries Concurrency), else GetFunctionConcurrency, else records it as unknown.
ResponseStep RemoveProvisionedConcurrencyStep(const StepContext& ctx, const std::string& qualifier, int requested);
// When the configs could not be listed: one qualifier's config, if any, read (or recorded as
// unreadable) then removed.
ResponseStep RemoveUnlistedProvisionedConcurrencyStep(const StepContext& ctx, const std::string& qualifier);
ResponseStep ReservedConcurrencyZeroStep(const StepContext& ctx, std::function<Result<nlohmann::json>()> read_function);
// `state`: as listed when planning (for the plan's before -> after; the prior is read anew).
ResponseStep DisableMappingStep(const StepContext& ctx, const std::string& uuid, const std::string& source, const std::string& state = "");
ResponseStep InlinePolicyStep(const StepContext& ctx, const std::string& kind, const std::string& role,
                              const std::string& policy_name, const nlohmann::json& document);
nlohmann::json DenyAllDocument();
nlohmann::json RevokeOlderSessionsDocument(TimestampMs issued_before);
ResponseStep UrlAuthIamStep(const StepContext& ctx, const std::string& qualifier, const std::string& auth_before);
ResponseStep RemoveStatementStep(const StepContext& ctx, const std::string& qualifier, const std::string& sid,
                                 const nlohmann::json& statement, const std::string& rule_id);
// `current`: the qualifier's invoke config as read at planning (null: none), so the printed
// command carries every setting the call sends.
ResponseStep OnFailureDestinationStep(const StepContext& ctx, const std::string& qualifier, const std::string& destination,
                                      const nlohmann::json& current);

// Recovery of one recorded contain step, built from its kind's row (step_kinds.h): the
// change undone to its prior, or not restorable with why.
struct RecoveryPlanItem {
  bool restorable = false;
  std::string reason;  // why not, when not
  ResponseStep step;
};
RecoveryPlanItem RecoverReserved(const StepContext& ctx, const std::string& id, const nlohmann::json& prior);
RecoveryPlanItem RecoverProvisioned(const StepContext& ctx, const std::string& qualifier, const nlohmann::json& prior);
RecoveryPlanItem RecoverMapping(const StepContext& ctx, const std::string& uuid, const nlohmann::json& prior);
RecoveryPlanItem RecoverDenyPolicy(const StepContext& ctx, const std::string& id, const nlohmann::json& prior);
RecoveryPlanItem KeepRevocation(const StepContext& ctx, const std::string& id, const nlohmann::json& prior);
RecoveryPlanItem RecoverUrl(const StepContext& ctx, const std::string& qualifier, const nlohmann::json& prior);
RecoveryPlanItem KeepStatement(const StepContext& ctx, const std::string& id, const nlohmann::json& prior);
RecoveryPlanItem RecoverDestination(const StepContext& ctx, const std::string& qualifier, const nlohmann::json& prior);

// A Lambda error saying provisioned concurrency blocks the reserved value asked for.
bool BlockedByProvisionedConcurrency(const Error& error);

// IAM returns policy documents URL-encoded; either form is accepted.
nlohmann::json DecodePolicyDocument(const std::string& text);

// Polls a mapping until its State is `want` or `wait_seconds` pass.
Result<nlohmann::json> WaitForMappingState(AwsCalls& calls, const std::string& uuid, const std::string& want, int wait_seconds);

}  // namespace lir
