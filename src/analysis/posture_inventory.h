// What `audit` read of an account's Lambda configuration, as the AWS answers gave it (pure
// data: response/account_inventory fills it, analysis/posture_checks judges it). A read that
// failed is a gap, never an empty answer: a check that could not look says so instead of
// passing.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace lir {

// One read that failed: what it was for, the error's kind, and what to grant or do.
struct InventoryGap {
  std::string region;
  std::string resource;   // function name, role name, trail, "" for the region
  std::string what;       // "resource policy", "trails", ...
  std::string operation;  // e.g. lambda:GetPolicy
  std::string error;      // the error's kind and message
  std::string remedy;     // aws::RemedyFor
  std::string account;    // whose read it was
};

struct FunctionInventory {
  std::string region;
  nlohmann::json configuration;  // ListFunctions' item (GetFunctionConfiguration's shape)
  // nullopt: not read (a gap says why); null: there is none.
  std::optional<nlohmann::json> policy;          // GetPolicy's answer
  std::optional<nlohmann::json> urls;            // ListFunctionUrlConfigs' FunctionUrlConfigs
  std::optional<nlohmann::json> code_signing;    // GetFunctionCodeSigningConfig's answer
  std::optional<nlohmann::json> invoke_configs;  // ListFunctionEventInvokeConfigs' items
  std::optional<nlohmann::json> aliases;         // ListAliases' Aliases
  // Each alias's own resource policy (GetPolicy with the alias as Qualifier; null: none). An
  // alias whose policy could not be read is absent (a gap says so).
  std::map<std::string, nlohmann::json> alias_policies;
};

struct RolePolicyDocument {
  std::string kind;  // "inline" or "attached"
  std::string name;  // policy name
  std::string arn;   // attached: the policy ARN
  nlohmann::json document;
};

struct RoleInventory {
  std::string arn, name;
  std::optional<nlohmann::json> role;  // GetRole's Role (trust policy URL-encoded, boundary)
  std::vector<RolePolicyDocument> policies;
  bool policies_complete = false;      // every inline and attached document was read
  // GetServiceLastAccessedDetails' ServicesLastAccessed (ACTION_LEVEL); nullopt: not asked or not read.
  std::optional<nlohmann::json> last_accessed;
};

struct RegionInventory {
  std::string region;
  bool functions_listed = false;
  // DescribeTrails' trailList, each with its GetEventSelectors answer under "Selectors" (absent
  // when that read failed) and its GetTrailStatus' IsLogging under "IsLogging".
  std::optional<nlohmann::json> trails;
  // Lambda log groups (DescribeLogGroups, prefix /aws/lambda/, and custom groups) by name.
  std::optional<std::map<std::string, nlohmann::json>> log_groups;
  // ListEventSourceMappings' EventSourceMappings of the region (least privilege only).
  std::optional<nlohmann::json> event_source_mappings;
};

struct AccountInventory {
  std::string account;
  TimestampMs read_at = 0;
  std::vector<RegionInventory> regions;
  std::vector<FunctionInventory> functions;         // in scope, sorted by region then name
  std::vector<nlohmann::json> other_functions;      // listed in the regions read but not in scope (role sharing)
  std::map<std::string, RoleInventory> roles;       // by role ARN
  std::map<std::string, nlohmann::json> code_signing_configs;  // GetCodeSigningConfig's CodeSigningConfig by ARN
  // The account's S3 bucket names (ListBuckets): a policy statement's source bucket not among
  // them is deleted or someone else's. nullopt: not read.
  std::optional<std::set<std::string>> buckets;
  std::vector<InventoryGap> gaps;
};

}  // namespace lir
