// The trust policy of the role lambda-ir enters another account through (--accounts with
// --assume-role-name): accounts that AWS Organizations did not create have no
// OrganizationAccountAccessRole, so the team creates one before the incident, trusting the
// responder, with the commands' policy (`lambda-ir permissions audit ...`) attached.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace lir {

// `principal`: the responder's role or user ARN, or an account id (any principal of that
// account its own policy lets assume the role). `external_id`, when not empty, is asked for
// with sts:ExternalId. An error names what is wrong with either, and a role session's ARN
// (what `aws sts get-caller-identity` shows) is refused with the way to its role's ARN.
Result<nlohmann::json> MemberRoleTrustPolicy(const std::string& principal, const std::string& external_id);

}  // namespace lir
