// What the evidence before an event says about its actor. Two questions, both answered only
// from events earlier than the one being judged:
//  - coverage: how long before the event the evidence for its account and region begins, so
//    a history-based rule can tell "new" from "no history yet";
//  - routine: whether the actor is a usual deployer of what it changed (it changed the same
//    resource before, or has changed this account's resources for over a day) calling from
//    the same kind of client (CI sessions differ every run; their client does not).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/time.h"
#include "sources/event.h"

namespace lir {

// The client family of a user agent: its first product token, lowercased ("aws-cli",
// "aws-sdk-js", "boto3", "console.amazonaws.com"). Versions and platforms are dropped.
std::string ClientClass(std::string_view user_agent);

// The key of the acting principal, as EventView::actor_key: the role for assumed-role
// sessions, else the caller's ARN, else the invoking service, else the principal id.
std::string_view ActorKeyOf(const Actor& actor);

class Baseline {
 public:
  // Account|region -> the time of its earliest event in the evidence.
  explicit Baseline(std::map<std::string, TimestampMs> coverage_start);

  static std::string ScopeKey(std::string_view account, std::string_view region);
  // Where the evidence of the account and region begins; `account_wide`: of the account, any
  // region (a region the account never used has no events of its own before the attacker's).
  std::optional<TimestampMs> CoverageStart(std::string_view account, std::string_view region,
                                           bool account_wide = false) const;

  // Why the change is routine for its actor ("github-deploy changed payments-processor 3
  // times before, from aws-sdk-js"), or empty when it is not.
  std::string RoutineReason(const Event& e) const;

  // Records a successful change. Call after judging the event, in time order.
  void Observe(const Event& e);

 private:
  struct History {
    TimestampMs first_change = 0;
    uint64_t changes = 0;
    std::map<std::string, uint64_t> resources;  // resource -> changes
    std::set<std::string> clients;
  };
  static std::string ResourceOf(const Event& e);

  std::map<std::string, TimestampMs> coverage_start_;
  std::map<std::string, TimestampMs, std::less<>> account_start_;  // account -> earliest event, any region
  std::map<std::string, History> history_;  // account|actor -> what it changed before
};

}  // namespace lir
