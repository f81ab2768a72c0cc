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

constexpr uint64_t kMaxPolicyFileBytes = uint64_t{1} << 20;

// "*", or an ARN pattern whose every part after "arn:" is "*" or a partition ("arn:*",
// "arn:aws:*:*:*:*"): every resource.
bool AnyResource(const std::string& resource) {
  if (resource == "*") return true;
  if (resource.rfind("arn:", 0) != 0) return false;
  const std::string rest = resource.substr(4);  // Split's views point into it
  const auto parts = Split(rest, ':');
  for (size_t i = 0; i < parts.size(); ++i) {
    const bool partition = i == 0 && (parts[i] == "aws" || parts[i].rfind("aws-", 0) == 0);
    if (parts[i] != "*" && !partition) return false;
  }
  return true;
}

enum class Grant { kNone, kAllButSome, kEverything };

bool AnyOf(const json& field, bool (*pred)(const std::string&)) {
  const auto values = JStrings(field);
  return std::any_of(values.begin(), values.end(), pred);
}

bool IsEveryAction(const std::string& action) { return action == "*" || action == "*:*"; }

// An unconditioned statement of `effect` over every resource: every action (kEverything), or
// every action but those a NotAction names (kAllButSome). NotAction "*" and NotResource "*"
// grant nothing.
Grant GrantOf(const json& statement, const char* effect) {
  if (!statement.is_object() || !IEquals(JStr(statement, "Effect"), effect)) return Grant::kNone;
  const json& condition = JAt(statement, "Condition");
  if (condition.is_object() && !condition.empty()) return Grant::kNone;
  const bool every_resource =
      AnyOf(JAt(statement, "Resource"), AnyResource) ||
      (statement.contains("NotResource") && !AnyOf(JAt(statement, "NotResource"), AnyResource));
  if (!every_resource) return Grant::kNone;
  if (AnyOf(JAt(statement, "Action"), IsEveryAction)) return Grant::kEverything;
  if (statement.contains("NotAction") && !AnyOf(JAt(statement, "NotAction"), IsEveryAction)) return Grant::kAllButSome;
  return Grant::kNone;
}

Grant DocumentGrant(const json& document, const char* effect) {
  const json& statements = JAt(document, "Statement");
  Grant best = Grant::kNone;
  auto consider = [&](const json& statement) { best = std::max(best, GrantOf(statement, effect)); };
  if (statements.is_object()) consider(statements);
  if (statements.is_array()) std::for_each(statements.begin(), statements.end(), consider);
  return best;
}

}  // namespace

json DecodeIamDocument(const json& field) {
  if (field.is_object()) return field;
  if (!field.is_string()) return json();
  const std::string trimmed(Trim(field.get<std::string>()));
  const std::string decoded = !trimmed.empty() && trimmed.front() == '{' ? trimmed : UrlDecode(trimmed);
  return json::parse(decoded, nullptr, false);
}

AdminGrants FindAdminGrants(const std::vector<NamedPolicy>& policies) {
  AdminGrants out;
  for (const NamedPolicy& p : policies) {
    out.denies_everything |= DocumentGrant(p.document, "Deny") == Grant::kEverything;
    const Grant grant = DocumentGrant(p.document, "Allow");
    // One per policy: AdministratorAccess is both listed and collected as a version.
    const bool known = std::any_of(out.grants.begin(), out.grants.end(), [&](const AdminGrant& g) { return g.what == p.what; });
    if (grant != Grant::kNone && !known) out.grants.push_back({p.what, p.reference, grant == Grant::kEverything});
  }
  return out;
}

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
  // AdministratorAccess as listed, whether or not its document was collected.
  static const json kEverything = json::parse(R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})");
  std::vector<NamedPolicy> policies;
  for (const fs::path& path : files) {
    const auto text = ReadRegularFile(path.string(), kMaxPolicyFileBytes);
    if (!text) continue;
    const json doc = json::parse(*text, nullptr, false);
    const std::string reference = dir + "/" + path.filename().string();
    // GetRolePolicy (inline), GetPolicyVersion (attached, named attached-<policy>-<version>),
    // ListAttachedRolePolicies pages.
    if (doc.contains("PolicyDocument")) {
      policies.push_back({"inline policy " + JStr(doc, "PolicyName", path.stem().string()), DecodeIamDocument(JAt(doc, "PolicyDocument")),
                          reference});
    }
    const json& version = JAt(doc, "PolicyVersion");
    if (version.is_object()) {
      std::string name = path.stem().string();
      if (name.rfind("attached-", 0) == 0) name = name.substr(9);
      if (const std::string id = JStr(version, "VersionId"); !id.empty() && name.ends_with("-" + SafeName(id))) {
        name.resize(name.size() - id.size() - 1);
      }
      policies.push_back({"attached policy " + name, DecodeIamDocument(JAt(version, "Document")), reference});
    }
    for (const json& attached : JArr(doc, "AttachedPolicies")) {
      if (JStr(attached, "PolicyArn") == kAdministratorAccessArn) policies.push_back({"attached policy AdministratorAccess", kEverything, reference});
    }
  }
  const AdminGrants found = FindAdminGrants(policies);
  const bool denies_everything = found.denies_everything;
  for (const AdminGrant& g : found.grants) {
    const bool everything = g.everything;
    Severity severity = everything ? Severity::kCritical : Severity::kHigh;
    std::string held;
    if (denies_everything) {
      severity = Severity::kHigh;
      held = " A Deny of every action on the role (contain's) overrides it while it stays.";
    }
    out.push_back(EvidenceFinding(
        "lambda_config_role_policy_admin", severity,
        fmt::format("Execution role {} allows {}: {}", role, everything ? "every action" : "every action but a few",
                    g.what),
        fmt::format("The {} of role {} allows {} on every resource without a condition. Any code running in {} can "
                    "{}.{}",
                    g.what, role, everything ? "every action (Action *)" : "every action except those its NotAction names",
                    e.function,
                    everything ? "do anything in the account: create users and keys, read every secret, delete the trail"
                               : "do nearly anything in the account",
                    held),
        "Replace the grant with the actions the function uses. While an incident is open, contain the function "
        "first (its deny-all on the role overrides this Allow).",
        JStr(configuration, "FunctionArn", e.function), "(configuration)", "collected", g.reference,
        e.collected_at));
  }
  return out;
}

}  // namespace lir
