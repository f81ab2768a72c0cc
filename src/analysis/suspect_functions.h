// The functions eradicate offers to delete: those created by a principal that analysis
// already holds suspect, i.e. the actor of a high or critical finding. A listing for the
// responder to confirm, never a decision: a CI user that was abused also creates real
// functions.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "analysis/finding.h"
#include "sources/event.h"

namespace lir {

// Principals analysis holds suspect: the actor of each high or critical finding, with the
// first such finding ("rule_id: title").
std::map<std::string, std::string> SuspectActors(const std::vector<Finding>& findings);

struct SuspectFunction {
  std::string arn;      // the CreateFunction finding's resource: its account and region say where
  std::string name;     // function name
  std::string creator;  // the suspect principal
  TimestampMs created_at = 0;
  std::string because;  // the high/critical finding that made the creator suspect
};

std::vector<SuspectFunction> FunctionsCreatedBySuspects(const std::vector<Finding>& findings);

// Event source mappings a suspect principal created (CreateEventSourceMapping in the
// timeline, its UUID from the response): recovery must not switch them back on.
struct SuspectMapping {
  std::string uuid, function, creator;
  TimestampMs created_at = 0;
  std::string because;
};
std::vector<SuspectMapping> MappingsCreatedBySuspects(const std::vector<Finding>& findings, const std::vector<Event>& timeline);

// What suspect principals did to a role: inline policies they put, managed policies they
// attached, whether they rewrote its trust. Recreating the role leaves those out.
struct RoleTampering {
  std::set<std::string> inline_policies, attached_policies;
  bool trust_changed = false;
  std::map<std::string, std::string> because;  // policy name or ARN -> "by ACTOR at TIME"
};
RoleTampering RoleChangesBySuspects(const std::vector<Finding>& findings, const std::vector<Event>& timeline, const std::string& role);

// Footholds a suspect principal created outside the function: access keys, users, login
// profiles, roles, layer versions, event source mappings (from the timeline's records).
struct SuspectResource {
  std::string kind;  // access-key, user, login-profile, role, layer-version, mapping
  std::string id;    // key id, user name, role name, layer version ARN, mapping UUID
  std::string user;  // access-key: its user
  std::string account, region;
  std::string creator;
  TimestampMs created_at = 0;
  std::string because;
};
std::vector<SuspectResource> ResourcesCreatedBySuspects(const std::vector<Finding>& findings, const std::vector<Event>& timeline);

}  // namespace lir
