// The execution role's permissions as collected in a case (artifacts/iam/roles/<role>/): a
// policy that allows every action on every resource makes any code in the function an
// administrator of the account, whoever put it there.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/config_analysis.h"
#include "analysis/finding.h"

namespace lir {

std::vector<Finding> AnalyzeRolePolicies(const std::string& case_dir, const FunctionEvidence& evidence);

// A policy document of a role, named for a person ("inline policy x", "attached policy y"),
// with where it came from (an artifact path, or the live ARN).
struct NamedPolicy {
  std::string what;
  nlohmann::json document;
  std::string reference;
};

// A document that allows every action (or every action but those its NotAction names) on every
// resource without a condition.
struct AdminGrant {
  std::string what, reference;
  bool everything = true;  // false: every action but a few
};
struct AdminGrants {
  std::vector<AdminGrant> grants;  // one per policy, in the order given
  bool denies_everything = false;  // a Deny of every action (contain's) overrides them while it stays
};
AdminGrants FindAdminGrants(const std::vector<NamedPolicy>& policies);

// IAM's policy document field: URL-encoded text, plain JSON text, or an object.
nlohmann::json DecodeIamDocument(const nlohmann::json& field);

inline constexpr const char* kAdministratorAccessArn = "arn:aws:iam::aws:policy/AdministratorAccess";

}  // namespace lir
