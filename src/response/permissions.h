// `lambda-ir permissions`: the least-privilege IAM policy each command needs, from the same
// operation lists the code calls (the step kinds table, the snapshot's and collection's
// lists), so a team can provision its responder role before the incident. One statement per
// purpose, so a refused step points at the statement that would have allowed it.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace lir {

struct PolicyStatement {
  std::string sid;      // LambdaIrContainThrottle
  std::string purpose;  // what the actions are for
  std::set<std::string> actions;
};

// The commands that call AWS, in the order `permissions` prints them.
const std::vector<std::string>& CommandsWithPermissions();

// `contain_groups`: the --steps groups contain runs (all of them when empty).
Result<std::vector<PolicyStatement>> CommandPolicy(const std::string& command, const std::set<std::string>& contain_groups = {});

// An IAM policy document of the statements (Resource "*": the actions are least privilege;
// narrow the resources to your functions and roles by ARN where your account allows).
nlohmann::json PolicyDocument(const std::vector<PolicyStatement>& statements);

}  // namespace lir
