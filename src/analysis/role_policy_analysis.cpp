#include "analysis/role_policy_analysis.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/file_read.h"
#include "core/json_util.h"
#include "core/safe_name.h"
#include "core/strings.h"

namespace lir {
namespace {

using json = nlohmann::json;

constexpr const char* kAdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess";
constexpr uint64_t kMaxPolicyFileBytes = uint64_t{1} << 20;

// IAM returns policy documents URL-encoded; a plain JSON text is taken as it is.
json DecodeDocument(const std::string& text) {
  const std::string trimmed(Trim(text));
  const std::string decoded = !trimmed.empty() && trimmed.front() == '{' ? trimmed : UrlDecode(trimmed);
  return json::parse(decoded, nullptr, false);
}

bool HasValue(const json& field, std::string_view wanted) {
  if (field.is_string()) return field.get<std::string>() == wanted;
  if (!field.is_array()) return false;
  return std::any_of(field.begin(), field.end(), [&](const json& v) { return v.is_string() && v.get<std::string>() == wanted; });
}

// Allow with Action "*" (or "*:*") or with NotAction, on Resource "*" or with NotResource.
bool AllowsEverything(const json& statement) {
  if (!statement.is_object() || JStr(statement, "Effect") != "Allow") return false;
  const bool every_action = HasValue(JAt(statement, "Action"), "*") || HasValue(JAt(statement, "Action"), "*:*") ||
                            statement.contains("NotAction");
  const bool every_resource = HasValue(JAt(statement, "Resource"), "*") || statement.contains("NotResource");
  return every_action && every_resource && !statement.contains("Condition");
}

bool DocumentAllowsEverything(const json& document) {
  const json& statements = JAt(document, "Statement");
  if (statements.is_object()) return AllowsEverything(statements);
  if (!statements.is_array()) return false;
  return std::any_of(statements.begin(), statements.end(), AllowsEverything);
}

}  // namespace

std::vector<Finding> AnalyzeRolePolicies(const std::string& case_dir, const FunctionEvidence& e) {
  namespace fs = std::filesystem;
  std::vector<Finding> out;
  const json& configuration = JAt(e.function_doc, "Configuration");
  const std::string role_arn = JStr(configuration, "Role");
  const std::string role = role_arn.substr(role_arn.rfind('/') + 1);
  if (role.empty()) return out;
  const std::string dir = "artifacts/iam/roles/" + SafeName(role);
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(case_dir) / dir, ec)) {
    if (entry.is_regular_file(ec) && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    const auto text = ReadRegularFile(path.string(), kMaxPolicyFileBytes);
    if (!text) continue;
    const json doc = json::parse(*text, nullptr, false);
    // GetRolePolicy (inline), GetPolicyVersion (attached), ListAttachedRolePolicies pages.
    std::vector<std::string> admin;
    if (doc.contains("PolicyDocument") && DocumentAllowsEverything(DecodeDocument(JStr(doc, "PolicyDocument")))) {
      admin.push_back(fmt::format("inline policy {}", JStr(doc, "PolicyName", path.stem().string())));
    }
    const json& version = JAt(doc, "PolicyVersion");
    if (version.is_object() && DocumentAllowsEverything(DecodeDocument(JStr(version, "Document")))) {
      admin.push_back(fmt::format("attached policy ({})", path.stem().string()));
    }
    for (const json& attached : JArr(doc, "AttachedPolicies")) {
      if (JStr(attached, "PolicyArn") == kAdministratorAccess) admin.push_back("AdministratorAccess (attached)");
    }
    for (const std::string& what : admin) {
      out.push_back(EvidenceFinding(
          "lambda_config_role_policy_admin", Severity::kCritical,
          fmt::format("Execution role {} allows every action: {}", role, what),
          fmt::format("The {} of role {} allows every action on every resource (Action * or NotAction, Resource *, "
                      "no condition). Any code running in {} can do anything in the account: create users and keys, "
                      "read every secret, delete the trail.",
                      what, role, e.function),
          "Replace the grant with the actions the function uses. While an incident is open, contain the function "
          "first (its deny-all on the role overrides this Allow).",
          JStr(configuration, "FunctionArn", e.function), "(configuration)", "collected",
          dir + "/" + path.filename().string(), e.collected_at));
    }
  }
  return out;
}

}  // namespace lir
