#include "response/member_role_trust.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "core/strings.h"

namespace lir {
namespace {

// IAM's characters for role and user names and paths.
bool IsIamNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("+=,.@_-/").find(c) != std::string_view::npos;
}

// STS's pattern for an external id: [\w+=,.@:/-], 2 to 1224 characters.
bool IsExternalIdChar(char c) { return IsIamNameChar(c) || c == ':'; }

Error BadPrincipal(const std::string& principal, std::string_view why) {
  return Error{ErrorCode::kInvalidArgument, fmt::format("--trust '{}': {}", SanitizeForTerminal(principal), why)};
}

// The principal as the trust policy names it, or why it cannot be one.
Result<std::string> TrustedPrincipal(const std::string& principal) {
  if (IsAccountId(principal)) return principal;
  const std::vector<std::string_view> parts = Split(principal, ':');
  // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (a role path holds no ':').
  if (parts.size() != 6 || parts[0] != "arn" || parts[1].rfind("aws", 0) != 0 || !parts[3].empty() ||
      !IsAccountId(parts[4])) {
    return tl::unexpected(BadPrincipal(principal, "not a role or user ARN (arn:aws:iam::ACCOUNT:role/NAME) or an account id"));
  }
  const std::string_view resource = parts[5];
  if (parts[2] == "sts" && resource.rfind("assumed-role/", 0) == 0) {
    const std::string_view role = Split(resource, '/').at(1);
    return tl::unexpected(BadPrincipal(
        principal, fmt::format("a role session (what `aws sts get-caller-identity` shows): trust its role, whose ARN "
                               "`aws iam get-role --role-name {} --query Role.Arn` prints (with its path)",
                               SanitizeForTerminal(role))));
  }
  if (parts[2] != "iam") return tl::unexpected(BadPrincipal(principal, "not an IAM ARN"));
  if (resource == "root") return principal;
  const bool named = resource.rfind("role/", 0) == 0 || resource.rfind("user/", 0) == 0;
  const std::string_view name = named ? resource.substr(5) : std::string_view{};
  if (!named || name.empty() || name.back() == '/' || name.find("//") != std::string_view::npos ||
      !std::all_of(name.begin(), name.end(), IsIamNameChar)) {
    return tl::unexpected(BadPrincipal(principal, "the resource is not root, role/NAME or user/NAME"));
  }
  return principal;
}

}  // namespace

Result<nlohmann::json> MemberRoleTrustPolicy(const std::string& principal, const std::string& external_id) {
  auto trusted = TrustedPrincipal(principal);
  if (!trusted) return tl::unexpected(trusted.error());
  nlohmann::json statement{{"Sid", "LambdaIrResponder"},
                           {"Effect", "Allow"},
                           {"Principal", {{"AWS", *trusted}}},
                           {"Action", "sts:AssumeRole"}};
  if (!external_id.empty()) {
    if (external_id.size() < 2 || external_id.size() > 1224 ||
        !std::all_of(external_id.begin(), external_id.end(), IsExternalIdChar)) {
      // The value itself stays unsaid, as everywhere else.
      return MakeError(ErrorCode::kInvalidArgument,
                       "--external-id: STS takes 2 to 1224 characters of letters, digits and +=,.@:/_-");
    }
    statement["Condition"] = {{"StringEquals", {{"sts:ExternalId", external_id}}}};
  }
  return nlohmann::json{{"Version", "2012-10-17"}, {"Statement", nlohmann::json::array({statement})}};
}

}  // namespace lir
