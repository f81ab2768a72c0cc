// eradicate --recreate-role: a new execution role that copies only what the case shows as
// pre-incident. Trust statements and policies the attacker put there (by CloudTrail, or by
// what they grant: a foreign account or anyone in the trust, administrator rights) are left
// out unless --keep names them; the permissions boundary, tags, description and maximum
// session duration are kept. The function is switched to it, a version published and every
// alias that served a version with the old role repointed (separate steps), and the old
// role deleted last, once nothing uses it, so every credential minted for it is dead.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/suspect_functions.h"
#include "response/steps.h"

namespace lir {

inline constexpr const char* kKindRecreateRole = "recreate-role";
inline constexpr const char* kKindDeleteOldRole = "delete-old-role";

// Trust, description, path, boundary, tags, max session, inline documents and attached ARNs.
Result<nlohmann::json> ReadRoleDocuments(AwsCalls& calls, const std::string& role);

// What the new role gets (pure): `documents` without the attacker's parts; each part left
// out is in `left_out` with why. `keep` names Sids, accounts, policy names or ARNs to copy anyway.
struct CleanRole {
  nlohmann::json documents;
  std::vector<std::string> left_out;
};
CleanRole CleanRoleDocuments(const nlohmann::json& documents, const std::string& account, const RoleTampering& tampering,
                             const std::vector<std::string>& keep);

// Points $LATEST at `role_arn` once no update is in progress, retrying while IAM has not yet
// propagated a new role to Lambda ("cannot be assumed by Lambda"), and waits for the update.
Result<void> SwitchFunctionRole(AwsCalls& calls, const std::string& function, const std::string& role_arn, int wait_seconds);
// Creates role `name` from ReadRoleDocuments' shape (trust, path, description, boundary, tags,
// max session) and puts its Inline documents and Attached ARNs; an existing role of that name
// is taken as a rerun's and completed, once `accept_existing` (when given) accepts it.
Result<void> CreateRoleFromDocuments(AwsCalls& calls, const nlohmann::json& documents, const std::string& name,
                                     const std::function<Result<void>()>& accept_existing = {});
// Deletes a role with its inline policies and attachments (gone already: done).
Result<void> DeleteRoleAndPolicies(AwsCalls& calls, const std::string& role);

// <old>-ir-<UTC yyyymmddHHMMSS>, within IAM's 64 characters.
std::string ReplacementRoleName(const std::string& old_role, TimestampMs now);

// `documents`: the clean copy, with "NewRoleName" and "OldRole" (the full documents as they
// were, recorded as the step's prior). Creates the role and switches $LATEST to it.
ResponseStep RecreateRoleStep(const StepContext& ctx, const nlohmann::json& documents);
// Deletes the old role once no function in any region uses it (said otherwise in the result).
ResponseStep DeleteOldRoleStep(const StepContext& ctx, const nlohmann::json& old_role);

}  // namespace lir
