// Least privilege for an execution role (pure: calls nothing): what the role's policies grant
// against what it was seen using over the usage window, from two witnesses: the role's
// sessions in a CloudTrail archive, and IAM's last-accessed data (per service, and per action
// where IAM tracks actions). A permission is proposed for removal only on evidence: IAM says
// nobody used it in the window, or a trail covering the window holds none of the role's calls
// of an action trails record. What neither can see (data events, what Lambda does with the
// role itself; rules/lambda_posture_unused_permissions/usage_signals.yaml) is kept.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/posture_inventory.h"
#include "core/time.h"

namespace lir {

// One action's use as a trail shows it.
struct ActionUse {
  std::string action;  // as CloudTrail named it, mapped to IAM's name: "s3:GetObject"
  uint64_t calls = 0;
  TimestampMs last = 0;
};

// The calls of execution roles' sessions in a trail archive, by role ARN then session name
// (Lambda names a function's sessions after the function), by lower-cased IAM action.
struct TrailUsage {
  bool given = false;
  std::vector<std::string> sources;  // the paths read
  // The span of the events of the roles' accounts, the roles' own or not; how many there are,
  // and how many are reads (none: a trail that logs writes only cannot show a read unused).
  TimestampMs first = 0, last = 0;
  uint64_t events = 0, read_events = 0;
  std::map<std::string, std::map<std::string, std::map<std::string, ActionUse>>> roles;
};

// The IAM action a CloudTrail event needs ("s3:ListBucket" for ListObjectsV2), from the
// event's source and normalised name; empty when the source is not an AWS service host.
std::string IamActionOfEvent(std::string_view event_source, std::string_view event_name);

// IAM's glob: '*' and '?' in a case-insensitive match (actions are case-insensitive).
bool IamActionMatches(std::string_view pattern, std::string_view action);

// One role's verdict: what was seen used, what the evidence shows unused, what was kept
// because nothing could see it, and the policy that grants only the rest.
struct LeastPrivilege {
  std::string role_arn;
  std::vector<std::string> sources;         // the witnesses, in words
  std::vector<std::string> used;            // "s3:GetObject (CloudTrail: 12 calls, last 2026-11-30)"
  std::vector<std::string> unused_services; // "sns (IAM: never used)", "ec2 (not in the trail)"
  std::vector<std::string> unused_actions;  // concrete grants with why
  std::vector<std::string> narrowed;        // "s3:* (inline policy app) -> s3:GetObject, s3:PutObject"
  std::vector<std::string> kept_unseen;     // kept though unseen: what no witness can show
  nlohmann::json policy;                    // the generated policy document
  bool reduces = false;                     // the policy grants less than the role does
  bool witnessed = false;                   // a witness was usable (else the policy is the grants as they are)
};

struct UsageWitnesses {
  const TrailUsage* trail = nullptr;  // nullptr or !given: no trail
  // GetServiceLastAccessedDetails' answer (ServicesLastAccessed merged over pages); nullopt: not read.
  const std::optional<nlohmann::json>* last_accessed = nullptr;
  TimestampMs window_start = 0, now = 0;
  std::string session;  // a function's sessions only (own-role); empty: every session of the role
  // What Lambda does with the role for the functions using it (usage_signals.yaml's needs:
  // vpc, tracing, kms_key, target_sqs, source_kinesis, ...); "always" needs no naming.
  std::set<std::string> lambda_needs;
};

// The needs of one function (LambdaNeeds' names) from its configuration, its event invoke
// configs (nullopt: unread, every target counts) and its event source mappings (nullopt:
// unread, every source counts).
std::set<std::string> LambdaNeeds(const nlohmann::json& configuration, const std::optional<nlohmann::json>& invoke_configs,
                                  const std::optional<nlohmann::json>& event_source_mappings);

LeastPrivilege ComputeLeastPrivilege(const RoleInventory& role, const UsageWitnesses& witnesses);

}  // namespace lir
