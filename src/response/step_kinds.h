// One table of the kinds of change lambda-ir makes. A row holds the kind's journal key
// element, the contain --steps group that plans it, what it does and what recovery does with
// it (the help and docs text), the AWS operations its planning, change and recovery call (the
// `permissions` command's source), and its recovery builder. --steps parsing, recovery
// dispatch, the help and the least-privilege policy all read this table, so a new kind of
// step is one row plus its builder.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/operations.h"
#include "core/result.h"
#include "response/steps.h"

namespace lir {

using aws::OperationRef;

using RecoverFn = RecoveryPlanItem (*)(const StepContext& ctx, const std::string& id, const nlohmann::json& prior);

struct StepKind {
  const char* kind;       // key element: contain/FUNCTION/rN/<kind>[/id]
  const char* group;      // the contain --steps name that plans it; null: a flag or eradicate plans it
  const char* command;    // contain or eradicate
  const char* does;       // one line: what the change is
  const char* recovery;   // one line: what recover does with it
  std::vector<OperationRef> operations;           // planning reads and the change
  // Of those, what contain --check asks IAM's simulator about: the writes, and the reads a
  // change makes first whose refusal fails it (the prior state it records).
  std::vector<OperationRef> simulated;
  std::vector<OperationRef> recovery_operations;  // what recover calls for it
  RecoverFn recover = nullptr;                    // null: recover keeps the change (the `recovery` line says why)
};

const std::vector<StepKind>& StepKinds();
const StepKind* FindStepKind(std::string_view kind);

// contain --steps: the groups of the table, in its order, and "all".
std::vector<std::string> ContainGroups();
inline const std::set<std::string> kDefaultContainGroups = {"throttle", "mappings", "deny"};
// A comma list of groups or "all"; an unknown name is an error listing the known ones.
Result<std::set<std::string>> ParseContainGroups(const std::string& list);
// "throttle: reserved concurrency 0 ...; mappings: ..." for --help.
std::string ContainGroupsHelp();

// The kind of a journal key below `prefix` ("reserved-concurrency" of
// contain/payments/r1/reserved-concurrency) and its id ("live" of .../provisioned-concurrency/live).
std::pair<std::string, std::string> KindAndId(const std::string& key, const std::string& prefix);
// The kind of a contain or recover key, VERB/FUNCTION/rN/KIND[/ID] ("" for other keys).
std::string RoundKeyKind(const std::string& key);

}  // namespace lir
