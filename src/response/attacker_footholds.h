// eradicate --attacker-iam: what a suspect principal created outside the function, taken
// away as far as AWS lets it be put back: access keys made Inactive (not deleted), users and
// roles given the deny-all inline policy, event source mappings disabled; login profiles
// (the attacker's password) and layer versions (collected into the case first) deleted.
// Each change is journaled with what was there before. Only resources of the account (and,
// for layers and mappings, the region) the command acts on.
#pragma once

#include <vector>

#include "analysis/suspect_functions.h"
#include "response/response_session.h"
#include "response/steps.h"

namespace lir {

inline constexpr const char* kKindAccessKey = "access-key";
inline constexpr const char* kKindLoginProfile = "login-profile";
inline constexpr const char* kKindUserDeny = "user-deny";
inline constexpr const char* kKindRoleDeny = "role-deny";
inline constexpr const char* kKindLayerVersion = "layer-version";
inline constexpr const char* kKindAttackerMapping = "attacker-mapping";

std::vector<ResponseStep> PlanFootholdSteps(ResponseSession& rs, const StepContext& ctx, const std::vector<SuspectResource>& resources,
                                            ResponseUi& ui);

}  // namespace lir
