// harden --fixes own-role: a function moved to an execution role of its own, named after it,
// trusted by Lambda alone, whose policy is the least-privilege policy its observed use needs
// (or, with no witness of use, a copy of the old role's grants without those a suspect put
// there, flagged for review: administrator policies are copied too, and said). Other functions keep the
// old role, which is never deleted. Aliases serving a version identical to $LATEST but for
// the role move to a version published under the new role; others are named and left.
// Undone by switching back, moving the aliases back, deleting that version and the new role.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/least_privilege.h"
#include "response/role_recreation.h"
#include "response/steps.h"

namespace lir {

inline constexpr const char* kKindOwnRole = "own-role";
inline constexpr const char* kOwnRoleTag = "lambda-ir:own-role-of";  // value: the function's ARN
inline constexpr const char* kLeastPrivilegePolicyName = "lambda-ir-least-privilege";

// <function>-own-role within IAM's 64 characters.
std::string OwnRoleName(const std::string& function);

// The trust of a function's own role: Lambda, and nothing else.
nlohmann::json LambdaOnlyTrust();

// The new role's documents (ReadRoleDocuments' shape, with NewRoleName, OldRole, Basis and
// LeftOut), from the old role's as read and the function's least privilege (nullopt: no
// witness of use, and the grants are copied without the policies `tampering` attributes to a
// suspect).
struct OwnRoleDocuments {
  nlohmann::json documents;
  std::vector<std::string> notes;  // what the responder must review
};
OwnRoleDocuments PlanOwnRoleDocuments(const nlohmann::json& old_documents, const std::string& function_arn,
                                      const std::optional<LeastPrivilege>& least, const RoleTampering& tampering);

// Whether two versions' configurations are the same function but for the role (and what
// publishing changes: version, ARN, description, dates, revision): an alias on `version` can
// move to a version published from `latest` without running other code or settings.
bool SameButRole(const nlohmann::json& version, const nlohmann::json& latest);

// A role named like `documents`' NewRoleName that harden did not make (for this function, with
// this trust, nothing else in it) is refused: an attacker who guessed the name must not get
// the function. The role must exist.
Result<void> CheckOwnRole(AwsCalls& calls, const nlohmann::json& documents, const std::string& function_arn);

// Creates the role (refusing one of that name it did not make), then switches $LATEST to it.
ResponseStep OwnRoleStep(const StepContext& ctx, const nlohmann::json& documents);

// Undoing, from the done step's recorded prior (the documents of both roles).
RecoveryPlanItem UndoOwnRole(const StepContext& ctx, const nlohmann::json& prior);
// An alias harden moved: back to its version and routing, while it still serves harden's version
// (the step's result, else `published`: the version the round published for the function).
RecoveryPlanItem UndoAliasMove(const StepContext& ctx, const std::string& alias, const nlohmann::json& prior, const nlohmann::json& result,
                               const std::string& published);
// The version harden published (not one the step's prior lists): deleted once no alias serves it.
RecoveryPlanItem UndoPublishedVersion(const StepContext& ctx, const nlohmann::json& prior, const nlohmann::json& result);

// A version of $LATEST published on the new role, only if $LATEST still has the code planned
// (`code_sha256`); its prior lists the versions before.
ResponseStep PublishOwnRoleVersionStep(const StepContext& ctx, const std::string& own_role_key, const std::string& code_sha256);
// The alias moved to that version, once it is checked to be the version it served but for the role.
ResponseStep MoveAliasStep(const StepContext& ctx, const std::string& alias, const nlohmann::json& served, const std::string& publish_key,
                           const std::function<Result<std::string>()>& published);

}  // namespace lir
