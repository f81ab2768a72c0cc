// Findings from a function's collected configuration (pure: reads JSON, calls nothing):
// runtime-hijacking and secret-looking environment variables (names only, never values),
// network indicators in values, foreign layers, a role shared with other functions, public
// or wildcard-CORS URLs, open resource-policy statements, no code signing, and versions or
// aliases running other code than $LATEST.
#pragma once

#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/finding.h"

namespace lir {

struct FunctionEvidence {
  std::string function;
  std::string artifact_dir;          // e.g. artifacts/lambda/payments (for finding references)
  TimestampMs collected_at = 0;
  nlohmann::json function_doc;       // GetFunction ($LATEST)
  nlohmann::json policy;             // GetPolicy, or null when there is none
  nlohmann::json url;                // GetFunctionUrlConfig, or null
  nlohmann::json code_signing;       // GetFunctionCodeSigningConfig, or null if not collected
  nlohmann::json versions;           // merged Versions list
  nlohmann::json aliases;            // merged Aliases list
  nlohmann::json all_functions;      // merged Functions list of the account/region
  std::string package_code_sha256;   // of the collected code.zip (base64 SHA-256), empty if none
  std::map<std::string, nlohmann::json> version_docs;  // GetFunction of each published version
  nlohmann::json invoke_configs = nlohmann::json::array();  // every qualifier's event invoke config
};

// `reveal_secrets`: show environment values in findings (only when the user asks).
std::vector<Finding> AnalyzeFunctionConfiguration(const FunctionEvidence& evidence, bool reveal_secrets = false);

// The environment variables that make a runtime load code of the setter's choosing before the
// handler (rules/lambda_function_runtime_hijack_env names the same).
const std::set<std::string>& RuntimeHijackVariables();

// A resource-policy statement the checks above flag (public, foreign account, unconditioned
// service principal): contain's optional step removes exactly these.
struct FlaggedStatement {
  std::string sid;
  nlohmann::json statement;
  std::string rule_id;
  Severity severity = Severity::kInfo;
  std::string title, description, remediation;
};
// Whether a policy text is small and shallow enough to parse (Lambda caps policies at 20 KB; a
// deeper or larger one comes from a hostile endpoint and is refused unparsed).
bool PolicyTextReadable(std::string_view policy_text);
// Every value a statement's condition gives `key` (matched without case) under one of
// `operators` (also in their ForAnyValue: form): a negated or Null operator narrows nothing the
// way these checks mean.
std::vector<std::string> ConditionValues(const nlohmann::json& condition, std::string_view key,
                                         std::initializer_list<std::string_view> operators);
// `policy_text` is GetPolicy's Policy string; `own_account` the function's account. An
// unreadable text flags nothing (callers that can say so report it).
std::vector<FlaggedStatement> FlagPolicyStatements(const std::string& policy_text, std::string_view own_account);

// An asynchronous invocation's result sent outside the function's account: OnSuccess or
// OnFailure of the function's or a qualifier's event invoke config, or the dead-letter queue.
// A foreign OnFailure receives every event throttled during containment once its retries
// run out.
struct ForeignDestination {
  std::string qualifier;  // "$LATEST" or the alias/version
  std::string kind;       // OnSuccess, OnFailure, DeadLetterConfig
  std::string arn, account;
};
// `configuration`: GetFunctionConfiguration's shape; `invoke_configs`: event invoke configs
// (GetFunctionEventInvokeConfig or ListFunctionEventInvokeConfigs items, whose FunctionArn
// names the qualifier).
std::vector<ForeignDestination> FindForeignDestinations(const nlohmann::json& configuration, const nlohmann::json& invoke_configs,
                                                        std::string_view own_account);

// Loads every function collected into a case directory (artifacts/lambda/<name>/function.json).
std::vector<FunctionEvidence> LoadCaseFunctions(const std::string& case_dir, std::vector<std::string>* problems);

}  // namespace lir
