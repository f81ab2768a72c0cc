#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/severity.h"
#include "core/time.h"

namespace lir {

// An identity a call created (a user, a role, an access key...), named in findings so the
// responder can remove it. Key ids name credentials without being them.
struct CreatedIdentity {
  std::string kind;  // "user", "role", "federated user", "access key", "console password"
  std::string id;    // ARN, key id, or user name for a console password
  std::string user;  // for an access key or a console password: its user's name when known
};

// Where in collected evidence a finding points: an artifact of the case, a file inside it
// when the artifact is a package, and a line when known. Reports with physical locations
// (SARIF) use these; CloudTrail findings have none and are located by their resource.
struct EvidenceLocation {
  std::string artifact;  // case-relative path, e.g. "artifacts/lambda/functions/x/code.zip"
  std::string member;    // a file inside the package; empty for the artifact itself
  uint32_t line = 0;     // 1-based; 0 when unknown
};

struct Finding {
  std::string rule_id;
  Severity severity = Severity::kInfo;
  std::string title;
  std::string description;
  std::string remediation;
  TimestampMs time = 0;               // the first event that supports it
  std::string resource;               // ARN where known, else a name
  std::string actor;
  std::string access_key_id;          // of the first event's caller
  std::string source_ip;
  std::string region;
  std::string account;
  std::string event_name;             // of the first event
  std::vector<std::string> event_ids;
  uint64_t events_not_listed = 0;     // further matching events beyond the per-principal cap
  std::string category;                // persistence, defense_evasion, ... when the rule names one
  bool routine = false;               // by a usual deployer: collapsed in reports unless --all
  std::string note;                   // why the severity is what it is, or why the actor is a suspect
  std::vector<CreatedIdentity> created;  // what its events created (also told in `note`)
  std::vector<std::string> mitre;
  std::vector<std::string> references;
  std::vector<EvidenceLocation> locations;
};

// "artifacts/logs/x.jsonl#L12" gives that artifact at line 12; a reference without "#L" is
// the artifact alone.
EvidenceLocation LocationOf(std::string_view reference);

// A finding that rests on one piece of evidence (an artifact or a log line), as the
// configuration, package, log and metric checks produce them.
Finding EvidenceFinding(std::string rule_id, Severity severity, std::string title, std::string description,
                        std::string remediation, std::string resource, std::string actor, std::string event_name,
                        std::string reference, TimestampMs time);

}  // namespace lir
