// eradicate --recreate-role: a new execution role with the same trust and permissions (our
// incident-response policies left out), the function switched to it, and the old role
// removed once nothing else uses it, so every credential minted for the old role is dead.
// One journal step: its prior holds the old role's documents and the new role's name, so a
// rerun after a crash finishes the same role instead of creating another.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "response/steps.h"

namespace lir {

inline constexpr const char* kKindRecreateRole = "recreate-role";

// Trust, description, path, inline policy documents and attached policy ARNs of a role.
Result<nlohmann::json> ReadRoleDocuments(AwsCalls& calls, const std::string& role);

// <old>-ir-<UTC yyyymmddHHMMSS>, within IAM's 64 characters.
std::string ReplacementRoleName(const std::string& old_role, TimestampMs now);

// `documents` from ReadRoleDocuments, with "NewRoleName" set. `delete_old`: remove the old
// role after the switch (only when no other function uses it; said in the result otherwise).
ResponseStep RecreateRoleStep(const StepContext& ctx, const nlohmann::json& documents, bool delete_old);

}  // namespace lir
