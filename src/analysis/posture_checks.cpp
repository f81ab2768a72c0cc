#include "analysis/posture_checks.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/config_analysis.h"
#include "analysis/role_policy_analysis.h"
#include "analysis/source_buckets.h"
#include "analysis/rule_set.h"
#include "core/json_util.h"
#include "core/strings.h"
#include "sources/event.h"

namespace lir {
namespace {

using json = nlohmann::json;

class Auditor {
 public:
  // By severity (highest first), then check, region, resource: the resource ARN holds the
  // account, so several accounts' findings interleave by check as one account's do.
  static void SortPostureFindings(std::vector<PostureFinding>* findings) {
    std::stable_sort(findings->begin(), findings->end(), [](const PostureFinding& a, const PostureFinding& b) {
      if (a.finding.severity != b.finding.severity) return a.finding.severity > b.finding.severity;
      return std::tie(a.finding.rule_id, a.finding.region, a.finding.resource, a.finding.title) <
             std::tie(b.finding.rule_id, b.finding.region, b.finding.resource, b.finding.title);
    });
  }

  Auditor(const AccountInventory& inventory, const PostureOptions& options) : inv_(inventory), options_(options) {
    for (const FunctionInventory& f : inv_.functions) all_functions_.push_back(f.configuration);
    for (const json& f : inv_.other_functions) all_functions_.push_back(f);
  }

  PostureReport Run() {
    report_.account = inv_.account;
    report_.accounts = {inv_.account};
    report_.read_at = inv_.read_at;
    for (const RegionInventory& r : inv_.regions) report_.regions.push_back(r.region);
    report_.functions = inv_.functions.size();
    report_.roles = inv_.roles.size();
    report_.gaps = inv_.gaps;
    for (const FunctionInventory& f : inv_.functions) CheckFunction(f);
    for (const auto& [arn, role] : inv_.roles) CheckRole(role);
    for (const RegionInventory& r : inv_.regions) CheckDataEvents(r);
    if (options_.approved_layers.empty()) {
      report_.not_checked.push_back("lambda_posture_layer_unapproved: no --approved-layers list given");
    }
    SortPostureFindings(&report_.findings);
    return std::move(report_);
  }

 private:
  // A finding with its metadata's controls and harden fix; the rest of the wording is the check's.
  void Add(Finding f, const std::string& region, const std::string& function, std::string fix_command = "") {
    f.region = region;
    f.account = inv_.account;
    f.time = inv_.read_at;
    f.actor.clear();
    f.event_name.clear();
    f.event_ids.clear();
    PostureFinding p;
    if (const CaseCheck* check = FillFromCaseCheck(f)) {
      p.controls = check->controls;
      p.harden = check->harden;
    }
    p.function = function;
    p.fix_command = std::move(fix_command);
    p.finding = std::move(f);
    report_.findings.push_back(std::move(p));
  }

  void Add(const char* id, Severity severity, std::string title, std::string description, std::string remediation,
           const std::string& resource, const std::string& region, const std::string& function, std::string fix_command = "") {
    Finding f;
    f.rule_id = id;
    f.severity = severity;
    f.title = std::move(title);
    f.description = std::move(description);
    f.remediation = std::move(remediation);
    f.resource = resource;
    Add(std::move(f), region, function, std::move(fix_command));
  }

  std::string Cli(const std::string& region, std::string_view service, std::string_view command, const std::vector<CliArg>& args) const {
    AwsCliGlobals globals = options_.cli;
    globals.region = region;
    return AwsCliLine(service, command, args, globals);
  }

  // ---- one function ----

  void CheckFunction(const FunctionInventory& f) {
    const json& cfg = f.configuration;
    const std::string name = JStr(cfg, "FunctionName");
    const std::string arn = JStr(cfg, "FunctionArn");
    FunctionEvidence e;
    e.function = name;
    e.collected_at = inv_.read_at;
    e.function_doc = json{{"Configuration", cfg}};
    e.code_signing = f.code_signing.value_or(json());
    e.all_functions = all_functions_;
    e.invoke_configs = f.invoke_configs.value_or(json::array());
    // Resource policies and URLs are judged below, per statement and per URL, to name the
    // statement or qualifier the fix acts on.
    for (Finding& finding : AnalyzeFunctionConfiguration(e)) {
      std::string fix;
      if (finding.rule_id == "lambda_config_no_code_signing") {
        fix = Cli(f.region, "lambda", "put-function-code-signing-config",
                  {{"--function-name", name}, {"--code-signing-config-arn", "<ARN of a config with UntrustedArtifactOnDeployment Enforce>"}});
      } else if (finding.rule_id == "lambda_config_runtime_deprecated") {
        fix = Cli(f.region, "lambda", "update-function-configuration", {{"--function-name", name}, {"--runtime", "<a supported runtime>"}});
      }
      if (finding.rule_id == "lambda_config_role_shared") finding.description = SharedRoleDescription(cfg);
      Add(std::move(finding), f.region, name, std::move(fix));
    }
    CheckPolicy(f, name, arn);
    CheckUrls(f, name, arn);
    CheckCodeSigningMode(f, name, arn);
    CheckEnvironmentKey(f, name, arn);
    CheckFailureDestination(f, name, arn);
    CheckVpc(f, name, arn);
    CheckLogRetention(f, name, arn);
    CheckApprovedLayers(f, name, arn);
  }

  // The case check lists names in one region; an account read spans regions.
  std::string SharedRoleDescription(const json& cfg) const {
    const std::string role = JStr(cfg, "Role");
    std::vector<std::string> others;
    for (const json& other : all_functions_) {
      if (JStr(other, "Role") != role || JStr(other, "FunctionArn") == JStr(cfg, "FunctionArn")) continue;
      const std::string region = RegionOfArn(JStr(other, "FunctionArn"));
      others.push_back(fmt::format("{} ({})", JStr(other, "FunctionName"), region));
    }
    std::sort(others.begin(), others.end());
    return fmt::format("{} is also used by: {}. Compromising one function gives the permissions needed by all, and containing "
                       "the role stops them all.",
                       role, fmt::join(others, ", "));
  }

  static std::string RegionOfArn(const std::string& arn) {
    const auto parts = Split(arn, ':');
    return parts.size() > 3 ? std::string(parts[3]) : "";
  }

  void CheckPolicy(const FunctionInventory& f, const std::string& name, const std::string& arn) {
    for (const auto& [qualifier, s] : FlaggedFunctionStatements(inv_, f)) {
      std::vector<CliArg> args{{"--function-name", name}, {"--statement-id", s.sid}};
      if (!qualifier.empty()) args.push_back({"--qualifier", qualifier});
      Add(s.rule_id.c_str(), s.severity, qualifier.empty() ? s.title : fmt::format("{} (alias {})", s.title, qualifier), s.description,
          s.remediation, qualifier.empty() ? arn : fmt::format("{}:{}", arn, qualifier), f.region, name, Cli(f.region, "lambda", "remove-permission", args));
    }
  }

  void CheckUrls(const FunctionInventory& f, const std::string& name, const std::string& arn) {
    if (!f.urls) return;
    for (const json& url : *f.urls) {
      const std::string qualifier = QualifierOf(JStr(url, "FunctionArn"));
      std::vector<CliArg> target{{"--function-name", name}};
      if (!qualifier.empty()) target.push_back({"--qualifier", qualifier});
      const std::string which = qualifier.empty() ? "" : fmt::format(" (qualifier {})", qualifier);
      if (JStr(url, "AuthType") == "NONE") {
        auto args = target;
        args.push_back({"--auth-type", "AWS_IAM"});
        Add("lambda_config_url_public", Severity::kHigh, "Function URL requires no authentication" + which,
            fmt::format("{} answers anyone on the internet.", JStr(url, "FunctionUrl", "The URL")),
            "Set AuthType to AWS_IAM (callers sign with SigV4) or delete the URL, and remove the public "
            "lambda:InvokeFunctionUrl statement.",
            arn, f.region, name, Cli(f.region, "lambda", "update-function-url-config", args));
      }
      const json& cors = JAt(url, "Cors");
      const auto origins = JStrings(JAt(cors, "AllowOrigins"));
      if (std::find(origins.begin(), origins.end(), "*") != origins.end()) {
        const bool credentials = JAt(cors, "AllowCredentials") == true;
        auto args = target;
        args.push_back({"--cors", "AllowOrigins=<https://your.origin>"});
        Add("lambda_config_url_cors_wildcard", credentials ? Severity::kMedium : Severity::kLow,
            "Function URL allows any web origin" + which,
            credentials ? "CORS AllowOrigins contains '*' and AllowCredentials is true: any web page a signed-in user visits "
                          "may call it with the user's credentials."
                        : "CORS AllowOrigins contains '*'.",
            "List the origins that need it.", arn, f.region, name, Cli(f.region, "lambda", "update-function-url-config", args));
      }
    }
  }

  static std::string QualifierOf(const std::string& function_arn) {
    const auto parts = Split(function_arn, ':');
    return parts.size() > 7 ? std::string(parts[7]) : "";
  }

  void CheckCodeSigningMode(const FunctionInventory& f, const std::string& name, const std::string& arn) {
    if (!f.code_signing) return;
    const std::string config_arn = JStr(*f.code_signing, "CodeSigningConfigArn");
    if (config_arn.empty()) return;
    auto config = inv_.code_signing_configs.find(config_arn);
    if (config == inv_.code_signing_configs.end()) return;  // unread: a gap says so
    const std::string mode = JStr(JAt(config->second, "CodeSigningPolicies"), "UntrustedArtifactOnDeployment", "Warn");
    if (mode == "Enforce") return;
    Add("lambda_posture_code_signing_warn_only", Severity::kMedium, "Code signing only warns",
        fmt::format("Code signing config {} has UntrustedArtifactOnDeployment {}: unsigned or untrusted code still deploys, with a "
                    "warning nobody reads.",
                    config_arn, mode),
        "Set UntrustedArtifactOnDeployment to Enforce once every deploy pipeline signs.", arn, f.region, name,
        Cli(f.region, "lambda", "update-code-signing-config",
            {{"--code-signing-config-arn", config_arn}, {"--code-signing-policies", "UntrustedArtifactOnDeployment=Enforce"}}));
  }

  void CheckEnvironmentKey(const FunctionInventory& f, const std::string& name, const std::string& arn) {
    const json& vars = JAt(JAt(f.configuration, "Environment"), "Variables");
    if (!vars.is_object() || vars.empty() || !JStr(f.configuration, "KMSKeyArn").empty()) return;
    Add("lambda_posture_env_no_kms", Severity::kLow,
        fmt::format("{} environment variable(s) without a customer managed key", vars.size()),
        "The variables are encrypted with Lambda's AWS managed key: anyone allowed lambda:GetFunctionConfiguration reads them in "
        "clear. A customer managed key adds kms:Decrypt on a key policy you control.",
        "Encrypt with a customer managed key, and move secrets to Secrets Manager or Parameter Store.", arn, f.region, name,
        Cli(f.region, "lambda", "update-function-configuration", {{"--function-name", name}, {"--kms-key-arn", "<KMS key ARN>"}}));
  }

  void CheckFailureDestination(const FunctionInventory& f, const std::string& name, const std::string& arn) {
    if (!f.invoke_configs) return;
    if (!JStr(JAt(f.configuration, "DeadLetterConfig"), "TargetArn").empty()) return;
    for (const json& c : *f.invoke_configs) {
      if (!JStr(JAt(JAt(c, "DestinationConfig"), "OnFailure"), "Destination").empty()) return;
    }
    Add("lambda_posture_async_no_failure_destination", Severity::kLow, "No destination for failed asynchronous invocations",
        "Neither a dead-letter queue nor an on-failure destination is set: events that fail, or that containment throttles "
        "(reserved concurrency 0), are dropped once their retries run out, with no copy to replay after recovery.",
        "Set an on-failure destination (an SQS queue or SNS topic of this account).", arn, f.region, name,
        Cli(f.region, "lambda", "put-function-event-invoke-config",
            {{"--function-name", name}, {"--destination-config", R"({"OnFailure":{"Destination":"<queue or topic ARN>"}})"}}));
  }

  void CheckVpc(const FunctionInventory& f, const std::string& name, const std::string& arn) {
    const auto subnets = JStrings(JAt(JAt(f.configuration, "VpcConfig"), "SubnetIds"));
    if (subnets.empty()) {
      Add("lambda_posture_not_in_vpc", Severity::kLow, "Function is not in a VPC",
          "The function reaches the internet and AWS APIs directly: its outbound traffic cannot be restricted or seen in VPC "
          "flow logs, which is where exfiltration by attacker code shows.",
          "Attach it to private subnets with egress through a NAT or VPC endpoints you control.", arn, f.region, name,
          Cli(f.region, "lambda", "update-function-configuration",
              {{"--function-name", name}, {"--vpc-config", "SubnetIds=<subnet-a>,<subnet-b>,SecurityGroupIds=<security-group>"}}));
      return;
    }
    if (subnets.size() == 1) {
      Add("lambda_posture_vpc_single_az", Severity::kMedium, "Function runs in one subnet (one Availability Zone)",
          fmt::format("The function's only subnet is {}: an outage of its zone stops it.", subnets.front()),
          "Add a subnet in another Availability Zone.", arn, f.region, name,
          Cli(f.region, "lambda", "update-function-configuration",
              {{"--function-name", name}, {"--vpc-config", fmt::format("SubnetIds={},<subnet in another zone>", subnets.front())}}));
    } else {
      multi_subnet_unchecked_ = true;
    }
  }

  void CheckLogRetention(const FunctionInventory& f, const std::string& name, const std::string& arn) {
    const RegionInventory* region = RegionOf(f.region);
    if (region == nullptr || !region->log_groups) return;
    std::string group = JStr(JAt(f.configuration, "LoggingConfig"), "LogGroup");
    if (group.empty()) group = "/aws/lambda/" + name;
    auto found = region->log_groups->find(group);
    if (found == region->log_groups->end()) return;  // never logged yet: nothing to keep
    const json& days = JAt(found->second, "retentionInDays");
    if (!days.is_number_integer() || days.get<int64_t>() >= options_.min_log_retention_days) return;
    Add("lambda_posture_log_retention_short", Severity::kLow, fmt::format("Log group keeps {} day(s)", days.get<int64_t>()),
        fmt::format("{} deletes the function's logs after {} day(s): an intrusion found later than that has lost what the "
                    "attacker's code printed. (No retention, which keeps logs forever, is not flagged.)",
                    group, days.get<int64_t>()),
        fmt::format("Keep at least {} days (CloudTrail's own lookup window) or export the logs.", options_.min_log_retention_days), arn,
        f.region, name,
        Cli(f.region, "logs", "put-retention-policy", {{"--log-group-name", group}, {"--retention-in-days", "365"}}));
  }

  void CheckApprovedLayers(const FunctionInventory& f, const std::string& name, const std::string& arn) {
    if (options_.approved_layers.empty()) return;
    for (const json& layer : JArr(f.configuration, "Layers")) {
      const std::string layer_arn = JStr(layer, "Arn");
      const auto& approved = options_.approved_layers;
      if (std::find(approved.begin(), approved.end(), layer_arn) != approved.end()) continue;
      Add("lambda_posture_layer_unapproved", Severity::kMedium, "Layer version not on the approved list",
          fmt::format("The function runs {}, which --approved-layers does not list: a new version of an approved layer, or "
                      "a layer nobody reviewed.",
                      layer_arn),
          "Pin the function to an approved layer version, or review this one and add it to the list.", arn, f.region, name);
    }
  }

  const RegionInventory* RegionOf(const std::string& region) const {
    for (const RegionInventory& r : inv_.regions) {
      if (r.region == region) return &r;
    }
    return nullptr;
  }

  // ---- one execution role ----

  std::vector<std::string> FunctionsUsing(const std::string& role_arn) const {
    std::vector<std::string> out;
    for (const FunctionInventory& f : inv_.functions) {
      if (JStr(f.configuration, "Role") == role_arn) out.push_back(fmt::format("{} ({})", JStr(f.configuration, "FunctionName"), f.region));
    }
    return out;
  }

  void CheckRole(const RoleInventory& role) {
    const std::string users = fmt::format("{}", fmt::join(FunctionsUsing(role.arn), ", "));
    std::vector<NamedPolicy> named;
    for (const RolePolicyDocument& p : role.policies) {
      named.push_back({fmt::format("{} policy {}", p.kind, p.name), p.document, p.arn.empty() ? role.arn : p.arn});
    }
    const AdminGrants admin = FindAdminGrants(named);
    for (const AdminGrant& g : admin.grants) {
      Add("lambda_config_role_policy_admin", admin.denies_everything ? Severity::kHigh : Severity::kCritical,
          fmt::format("Execution role {} allows {}: {}", role.name, g.everything ? "every action" : "every action but a few", g.what),
          fmt::format("The {} of role {} allows {} on every resource without a condition. Any code running in {} can do {} in "
                      "the account.",
                      g.what, role.name, g.everything ? "every action" : "every action except those its NotAction names", users,
                      g.everything ? "anything" : "nearly anything"),
          "Replace the grant with the actions the functions use, one role per function.", role.arn, "", "");
    }
    CheckWildcards(role, named, admin, users);
    if (options_.least_privilege) CheckUsage(role, users);
    if (!role.role) return;
    CheckTrust(role, users);
    CheckBoundary(role, users);
  }

  void CheckUsage(const RoleInventory& role, const std::string& users) {
    if (!role.policies_complete) {
      report_.not_checked.push_back(fmt::format("lambda_posture_unused_permissions for role {}: not every policy of it could be read", role.name));
      return;
    }
    const bool trail = options_.trail && options_.trail->given;
    if (!role.last_accessed && !trail) {
      report_.not_checked.push_back(
          fmt::format("lambda_posture_unused_permissions for role {}: no witness of its use (its last-accessed report was not read, no --cloudtrail)",
                      role.name));
      return;
    }
    UsageWitnesses w;
    w.trail = options_.trail;
    w.last_accessed = &role.last_accessed;
    w.now = inv_.read_at;
    w.window_start = inv_.read_at - TimestampMs{options_.usage_window_days} * 24 * 3600 * 1000;
    w.lambda_needs = NeedsOf(role.arn);
    LeastPrivilege lp = ComputeLeastPrivilege(role, w);
    if (!lp.witnessed) {
      report_.not_checked.push_back(fmt::format("lambda_posture_unused_permissions for role {}: {}", role.name, fmt::join(lp.sources, "; ")));
    }
    if (lp.reduces) {
      std::vector<std::string> parts;
      auto listed = [&](const char* what, const std::vector<std::string>& items) {
        if (items.empty()) return;
        constexpr size_t kShown = 12;
        const std::vector<std::string> shown(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), kShown)));
        parts.push_back(fmt::format("{}: {}{}", what, fmt::join(shown, "; "),
                                    items.size() > kShown ? fmt::format("; and {} more", items.size() - kShown) : ""));
      };
      listed("unused services", lp.unused_services);
      listed("unused actions", lp.unused_actions);
      listed("wildcards narrowed", lp.narrowed);
      Add("lambda_posture_unused_permissions", Severity::kMedium,
          fmt::format("Execution role {} grants permissions unused in {} days", role.name, options_.usage_window_days),
          fmt::format("Role {} (used by {}) over {} to {}, by {}. {}.", role.name, users, FormatIso8601(w.window_start).substr(0, 10),
                      FormatIso8601(w.now).substr(0, 10), fmt::join(lp.sources, "; "), fmt::join(parts, ". ")),
          "Review the generated policy (least_privilege in the JSON report), then give each function a role of its own with it: "
          "lambda-ir harden FUNCTION --fixes own-role.",
          role.arn, "", "");
    }
    report_.least_privilege.push_back(std::move(lp));
  }

  // What Lambda does with the role for the functions of the inventory using it.
  std::set<std::string> NeedsOf(const std::string& role_arn) const {
    std::set<std::string> needs;
    for (const FunctionInventory& f : inv_.functions) {
      if (JStr(f.configuration, "Role") == role_arn) needs.merge(FunctionLambdaNeeds(inv_, f));
    }
    return needs;
  }

  void CheckWildcards(const RoleInventory& role, const std::vector<NamedPolicy>& named, const AdminGrants& admin, const std::string& users) {
    std::vector<std::string> wildcards;
    for (const NamedPolicy& p : named) {
      const bool is_admin = std::any_of(admin.grants.begin(), admin.grants.end(), [&](const AdminGrant& g) { return g.what == p.what; });
      if (is_admin) continue;
      const json& statements = JAt(p.document, "Statement");
      const json list = statements.is_object() ? json::array({statements}) : statements;
      if (!list.is_array()) continue;
      for (const json& s : list) {
        if (!s.is_object() || !IEquals(JStr(s, "Effect"), "Allow")) continue;
        for (const std::string& action : JStrings(JAt(s, "Action"))) {
          if (action.find('*') != std::string::npos) wildcards.push_back(fmt::format("{} ({})", action, p.what));
        }
        if (s.contains("NotAction")) wildcards.push_back(fmt::format("NotAction ({})", p.what));
      }
    }
    if (wildcards.empty()) return;
    std::sort(wildcards.begin(), wildcards.end());
    wildcards.erase(std::unique(wildcards.begin(), wildcards.end()), wildcards.end());
    Add("lambda_posture_role_wildcard_actions", Severity::kMedium, fmt::format("Execution role {} grants wildcard actions", role.name),
        fmt::format("Role {} (used by {}) allows {}: every present and future action of those services, where the function needs "
                    "a few.",
                    role.name, users, fmt::join(wildcards, ", ")),
        "List the actions the function calls (audit's usage, or IAM Access Analyzer's policy generation).", role.arn, "", "");
  }

  void CheckTrust(const RoleInventory& role, const std::string& users) {
    const json trust = DecodeIamDocument(JAt(*role.role, "AssumeRolePolicyDocument"));
    std::vector<std::string> foreign, others;
    const json& statements = JAt(trust, "Statement");
    const json list = statements.is_object() ? json::array({statements}) : statements;
    if (!list.is_array()) return;
    for (const json& s : list) {
      if (!s.is_object() || !IEquals(JStr(s, "Effect"), "Allow")) continue;
      const json& principal = JAt(s, "Principal");
      if (principal.is_string()) {
        foreign.push_back(principal.get<std::string>());
        continue;
      }
      for (const std::string& service : JStrings(JAt(principal, "Service"))) {
        // Lambda@Edge functions are assumed by both.
        if (service != "lambda.amazonaws.com" && service != "edgelambda.amazonaws.com") others.push_back("service " + service);
      }
      for (const std::string& aws : JStrings(JAt(principal, "AWS"))) {
        const std::string owner(AccountFromArnOrId(aws));
        if (aws == "*" || owner != inv_.account) {
          foreign.push_back(aws);
        } else {
          others.push_back(aws);
        }
      }
      for (const std::string& federated : JStrings(JAt(principal, "Federated"))) others.push_back("federated " + federated);
    }
    if (foreign.empty() && others.empty()) return;
    std::vector<std::string> all = foreign;
    all.insert(all.end(), others.begin(), others.end());
    Add("lambda_posture_role_trust_broad", foreign.empty() ? Severity::kMedium : Severity::kHigh,
        fmt::format("Execution role {} is trusted by more than Lambda", role.name),
        fmt::format("Besides lambda.amazonaws.com, the trust policy of {} (used by {}) lets {} assume it: {}.", role.name, users,
                    foreign.empty() ? "other principals of this account" : "principals outside this account", fmt::join(all, ", ")),
        "Trust lambda.amazonaws.com alone; give the other users a role of their own.", role.arn, "", "",
        Cli(inv_.regions.empty() ? "" : inv_.regions.front().region, "iam", "update-assume-role-policy",
            {{"--role-name", role.name},
             {"--policy-document",
              R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]})"}}));
  }

  // Only where the account uses boundaries: a role without one escapes the rule the others keep.
  void CheckBoundary(const RoleInventory& role, const std::string& users) {
    if (JAt(*role.role, "PermissionsBoundary").is_object()) return;
    std::string bounded;
    for (const auto& [arn, other] : inv_.roles) {
      if (other.role && JAt(*other.role, "PermissionsBoundary").is_object()) {
        bounded = other.name;
        break;
      }
    }
    if (bounded.empty()) return;
    Add("lambda_posture_role_no_boundary", Severity::kLow, fmt::format("Execution role {} has no permissions boundary", role.name),
        fmt::format("Other execution roles of the account have one (for example {}); {} (used by {}) does not, so nothing caps "
                    "what its policies may later grant.",
                    bounded, role.name, users),
        "Set the account's boundary on it.", role.arn, "", "",
        Cli(inv_.regions.empty() ? "" : inv_.regions.front().region, "iam", "put-role-permissions-boundary",
            {{"--role-name", role.name}, {"--permissions-boundary", "<boundary policy ARN>"}}));
  }

  // ---- one region ----

  void CheckDataEvents(const RegionInventory& r) {
    if (!r.trails) return;  // unread: a gap says so
    std::vector<std::string> unlogged, unverified;
    size_t in_region = 0;
    for (const FunctionInventory& f : inv_.functions) {
      if (f.region != r.region) continue;
      ++in_region;
      switch (TrailCoverage(*r.trails, r.region, JStr(f.configuration, "FunctionArn"))) {
        case Coverage::kLogged: break;
        case Coverage::kUnknown: unverified.push_back(JStr(f.configuration, "FunctionName")); break;
        case Coverage::kNotLogged: unlogged.push_back(JStr(f.configuration, "FunctionName")); break;
      }
    }
    if (!unverified.empty()) {
      report_.not_checked.push_back(fmt::format(
          "lambda_posture_trail_no_lambda_data_events in {} for {}: a trail that may log them has a status or selectors that "
          "could not be read (see unread)",
          r.region, fmt::join(unverified, ", ")));
    }
    if (unlogged.empty()) return;
    const bool none = unlogged.size() == in_region;
    Add("lambda_posture_trail_no_lambda_data_events", Severity::kMedium,
        none ? fmt::format("No trail logs Lambda invocations in {}", r.region)
             : fmt::format("{} function(s) in {} have their invocations logged by no trail", unlogged.size(), r.region),
        fmt::format("No logging trail has a data-event selector for Lambda invocations covering {}: who invoked a compromised "
                    "function, from where, and how often would not be recorded.",
                    none ? "any function of the region" : fmt::format("{}", fmt::join(unlogged, ", "))),
        "Add a Lambda data-event selector to a trail, keeping its existing selectors (put-event-selectors replaces them).",
        inv_.account, r.region, "");
  }

  const AccountInventory& inv_;
  const PostureOptions& options_;
  std::vector<json> all_functions_;
  PostureReport report_;
  bool multi_subnet_unchecked_ = false;

 public:
  bool multi_subnet_unchecked() const { return multi_subnet_unchecked_; }
};

}  // namespace

Coverage TrailCoverage(const json& trails, const std::string& region, const std::string& function_arn) {
  Coverage best = Coverage::kNotLogged;
  for (const json& t : trails) {
    const bool here = JAt(t, "IsMultiRegionTrail") == true || JStr(t, "HomeRegion", region) == region;
    if (!here || JAt(t, "IsLogging") == false) continue;
    const bool status_known = JAt(t, "IsLogging") == true;
    if (!t.contains("Selectors")) {
      if (status_known || best == Coverage::kNotLogged) best = Coverage::kUnknown;
      continue;
    }
    if (!SelectorsLogInvoke(JAt(t, "Selectors"), function_arn)) continue;
    if (status_known) return Coverage::kLogged;
    best = Coverage::kUnknown;
  }
  return best;
}

std::vector<QualifiedStatement> FlaggedFunctionStatements(const AccountInventory& inventory, const FunctionInventory& function) {
  std::vector<QualifiedStatement> out;
  auto flag = [&](const std::string& qualifier, const json& policy) {
    if (!policy.is_object()) return;
    const std::string text = JStr(policy, "Policy");
    for (FlaggedStatement& s : FlagPolicyStatements(text, inventory.account)) out.push_back({qualifier, std::move(s)});
    if (!inventory.buckets) return;
    for (FlaggedStatement& s : FlagForeignSourceBuckets(text, *inventory.buckets, inventory.account)) out.push_back({qualifier, std::move(s)});
  };
  if (function.policy) flag("", *function.policy);
  for (const auto& [alias, policy] : function.alias_policies) flag(alias, policy);
  return out;
}

std::set<std::string> FunctionLambdaNeeds(const AccountInventory& inventory, const FunctionInventory& f) {
  std::optional<json> mappings;
  for (const RegionInventory& r : inventory.regions) {
    if (r.region != f.region || !r.event_source_mappings) continue;
    mappings = json::array();
    const std::string arn = JStr(f.configuration, "FunctionArn");
    for (const json& m : *r.event_source_mappings) {
      const std::string target = JStr(m, "FunctionArn");
      if (target == arn || target.rfind(arn + ":", 0) == 0) mappings->push_back(m);
    }
  }
  return LambdaNeeds(f.configuration, f.invoke_configs, mappings);
}

PostureReport AuditPosture(const AccountInventory& inventory, const PostureOptions& options) {
  Auditor auditor(inventory, options);
  PostureReport report = auditor.Run();
  if (auditor.multi_subnet_unchecked()) {
    report.not_checked.push_back(
        "lambda_posture_vpc_single_az for functions with two or more subnets: their Availability Zones need ec2:DescribeSubnets, "
        "which audit does not call yet");
  }
  return report;
}

PostureReport MergePostureReports(std::vector<PostureReport> reports, std::vector<InventoryGap> failed) {
  PostureReport out;
  for (PostureReport& r : reports) {
    if (out.accounts.empty()) {
      out.account = r.account;
      out.read_at = r.read_at;
    }
    out.read_at = std::min(out.read_at, r.read_at);
    out.accounts.push_back(r.account);
    for (std::string& region : r.regions) {
      if (std::find(out.regions.begin(), out.regions.end(), region) == out.regions.end()) out.regions.push_back(std::move(region));
    }
    out.functions += r.functions;
    out.roles += r.roles;
    std::move(r.findings.begin(), r.findings.end(), std::back_inserter(out.findings));
    std::move(r.gaps.begin(), r.gaps.end(), std::back_inserter(out.gaps));
    for (std::string& n : r.not_checked) {
      if (std::find(out.not_checked.begin(), out.not_checked.end(), n) == out.not_checked.end()) out.not_checked.push_back(std::move(n));
    }
    std::move(r.least_privilege.begin(), r.least_privilege.end(), std::back_inserter(out.least_privilege));
  }
  std::move(failed.begin(), failed.end(), std::back_inserter(out.gaps));
  Auditor::SortPostureFindings(&out.findings);
  return out;
}

}  // namespace lir
