#include "analysis/config_analysis.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <re2/re2.h>

#include "analysis/runtime_support.h"
#include "analysis/url_scan.h"
#include "core/file_read.h"
#include "core/hashing.h"
#include "core/json_depth.h"
#include "core/json_util.h"
#include "core/safe_name.h"
#include "core/strings.h"
#include "sources/event.h"

namespace lir {
namespace {

using nlohmann::json;


// Collected documents are AWS's, but any field can be absent or null.
const json& At(const json& j, const char* key) { return JAt(j, key); }
std::string Str(const json& j, const char* key, const std::string& fallback = "") { return JStr(j, key, fallback); }
const json& Arr(const json& j, const char* key) { return JArr(j, key); }

// LD_AUDIT and GCONV_PATH load shared objects as LD_PRELOAD does; PYTHONUSERBASE's .pth files
// run at start; a CoreCLR profiler is a native library loaded into the runtime.
const std::set<std::string> kHijackVariables = {
    "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "GCONV_PATH", "AWS_LAMBDA_EXEC_WRAPPER", "NODE_OPTIONS", "NODE_PATH",
    "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PYTHONWARNINGS", "PYTHONUSERBASE", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
    "JDK_JAVA_OPTIONS", "PERL5OPT", "PERL5LIB", "RUBYOPT", "RUBYLIB", "DOTNET_STARTUP_HOOKS", "DOTNET_ADDITIONAL_DEPS",
    "CORECLR_ENABLE_PROFILING", "CORECLR_PROFILER_PATH", "CORECLR_PROFILER_PATH_64", "BASH_ENV"};

struct SecretPattern {
  SecretPattern(const char* n, const char* re) : name(n), pattern(re) {}
  const char* name;
  RE2 pattern;
};

// The kind of credential `value` holds, or null. RE2: linear in the value, whatever its length.
// A URL's userinfo (user:password@) is a credential whatever its characters.
const char* SecretKindOf(const std::string& value) {
  static const SecretPattern kPatterns[] = {
      {"AWS access key id", "(AKIA|ASIA)[0-9A-Z]{16}"},
      {"private key", "-----BEGIN [A-Z ]*PRIVATE KEY-----"},
      {"GitHub token", "gh[pousr]_[A-Za-z0-9]{36}"},
      {"Slack token", "xox[baprs]-[A-Za-z0-9-]{10,}"},
      {"JSON web token", "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]+"},
      {"Stripe secret key", "sk_live_[A-Za-z0-9]{16,}"},
  };
  const re2::StringPiece text(value.data(), value.size());
  for (const auto& p : kPatterns) {
    if (RE2::PartialMatch(text, p.pattern)) return p.name;
  }
  for (const UrlMatch& url : FindUrls(value)) {
    if (url.has_userinfo) return "URL with credentials";
  }
  // Any other scheme (postgres://, redis://, amqp://, mongodb+srv://) with user:password@.
  static const RE2 kPasswordInUrl(R"((?i)\b[a-z][a-z0-9+.-]*://[^/?#\s"'<>@:]*:[^/?#\s"'<>]*@)");
  if (RE2::PartialMatch(text, kPasswordInUrl)) return "URL with credentials";
  return nullptr;
}

// A variable whose name says it holds a secret (DB_PASSWORD, API_TOKEN, STRIPE_SECRET) and whose
// value is not a reference to one (an ARN, a {{resolve:...}}, a parameter path) nor a plain
// setting (a number, a boolean): the secret itself, whatever it looks like.
bool NamedSecretInPlainText(const std::string& key, const std::string& value) {
  const std::string name = ToLower(key);
  static const char* const kSecretWords[] = {"password", "passwd", "secret", "token", "api_key", "apikey", "private_key",
                                             "credential", "access_key"};
  bool named = name.ends_with("_pwd");
  for (const char* word : kSecretWords) named = named || name.find(word) != std::string::npos;
  if (!named || value.empty()) return false;
  static const char* const kReferenceSuffixes[] = {"_arn", "_name", "_id", "_url", "_uri", "_endpoint", "_path",
                                                   "_param", "_parameter", "_ref", "_file", "_length", "_ttl"};
  for (const char* suffix : kReferenceSuffixes) {
    if (name.ends_with(suffix)) return false;
  }
  static const RE2 kReference(R"((?i)^(arn:|\{\{resolve:|/aws/reference/|ssm:|secretsmanager:))");
  static const RE2 kSetting(R"((?i)^([0-9]+|true|false|yes|no|on|off|enabled|disabled|none|null)$)");
  const re2::StringPiece text(value.data(), value.size());
  return !RE2::PartialMatch(text, kReference) && !RE2::FullMatch(text, kSetting);
}

Finding Make(const FunctionEvidence& e, const char* rule_id, Severity severity, std::string title, std::string description,
             std::string remediation, const std::string& artifact) {
  return EvidenceFinding(rule_id, severity, std::move(title), std::move(description), std::move(remediation),
                         Str(At(e.function_doc, "Configuration"), "FunctionArn", e.function), "(configuration)", "collected",
                         e.artifact_dir + "/" + artifact, e.collected_at);
}

// The first address in a value, its userinfo left out.
std::string UrlHost(const std::string& value) {
  const auto urls = FindUrls(value, 1);
  if (!urls.empty()) return urls.front().Origin();
  return FirstIpv4(value);
}

void CheckEnvironment(const FunctionEvidence& e, bool reveal, std::vector<Finding>* out) {
  const json& vars = At(At(At(e.function_doc, "Configuration"), "Environment"), "Variables");
  if (!vars.is_object()) return;
  for (auto it = vars.begin(); it != vars.end(); ++it) {
    const std::string& key = it.key();
    const std::string value = it->is_string() ? it->get<std::string>() : it->dump();
    if (kHijackVariables.count(key)) {
      out->push_back(Make(e, "lambda_config_env_runtime_hijack", Severity::kCritical,
                          fmt::format("Environment variable {} can run code before the handler", key),
                          reveal ? fmt::format("{} makes the runtime load code of the setter's choosing before the handler "
                                               "runs. Value: {}", key, value)
                                 : fmt::format("{} makes the runtime load code of the setter's choosing before the handler runs "
                                               "(its value is in the case, not shown here).", key),
                          "Remove the variable unless your build sets it on purpose; inspect what it points to in the "
                          "package and layers.", "function.json"));
    }
    if (const char* kind = SecretKindOf(value)) {
      out->push_back(Make(e, "lambda_config_env_secret", Severity::kHigh,
                            fmt::format("Environment variable {} holds what looks like a {}", key, kind),
                            std::string("A credential in plain environment variables is readable by anyone with "
                                        "lambda:GetFunctionConfiguration and by any code in the function") +
                                (reveal ? ". Value: " + value : " (value not shown)."),
                            "Rotate the credential, then move it to Secrets Manager or SSM Parameter Store.", "function.json"));
    }
    if (SecretKindOf(value) == nullptr && NamedSecretInPlainText(key, value)) {
      out->push_back(Make(e, "lambda_config_env_secret", Severity::kMedium,
                          fmt::format("Environment variable {} is named as a secret and holds one in plain text", key),
                          std::string("A secret in plain environment variables is readable by anyone with "
                                      "lambda:GetFunctionConfiguration and by any code in the function") +
                              (reveal ? ". Value: " + value : " (value not shown)."),
                          "Rotate it, then move it to Secrets Manager or SSM Parameter Store and keep only its ARN here.",
                          "function.json"));
    }
    if (const std::string host = UrlHost(value); !host.empty()) {
      out->push_back(Make(e, "lambda_config_env_network_indicator", Severity::kMedium,
                          fmt::format("Environment variable {} points at {}", key, host),
                          "An address in configuration: check that it belongs to your infrastructure; attackers point "
                          "exfiltration and C2 through variables to avoid code changes.",
                          "Compare with the variables in version control.", "function.json"));
    }
  }
}

void CheckLayers(const FunctionEvidence& e, std::vector<Finding>* out) {
  const std::string own = std::string(AccountFromArnOrId(Str(At(e.function_doc, "Configuration"), "FunctionArn", "")));
  for (const auto& layer : Arr(At(e.function_doc, "Configuration"), "Layers")) {
    const std::string arn = Str(layer, "Arn");
    const std::string account(AccountFromArnOrId(arn));
    if (!account.empty() && !own.empty() && account != own) {
      out->push_back(Make(e, "lambda_config_layer_foreign", Severity::kHigh, fmt::format("Layer from account {} attached", account),
                          fmt::format("The function runs layer {} published by another account, which controls that code.", arn),
                          "Remove it unless it is a vendor layer you trust, pinned to a reviewed version.", "function.json"));
    }
  }
}

void CheckSharedRole(const FunctionEvidence& e, std::vector<Finding>* out) {
  const std::string role = Str(At(e.function_doc, "Configuration"), "Role", "");
  std::vector<std::string> others;
  for (const auto& f : e.all_functions) {
    if (Str(f, "Role") == role && Str(f, "FunctionName") != e.function) others.push_back(Str(f, "FunctionName"));
  }
  if (others.empty() || role.empty()) return;
  out->push_back(Make(e, "lambda_config_role_shared", Severity::kMedium,
                      fmt::format("Execution role shared with {} other function(s)", others.size()),
                      fmt::format("{} is also used by: {}. Compromising one function gives the permissions needed by all, "
                                  "and containing the role stops them all.", role, fmt::join(others, ", ")),
                      "Give each function its own least-privilege role.", "function.json"));
}

void CheckUrl(const FunctionEvidence& e, std::vector<Finding>* out) {
  if (!e.url.is_object()) return;
  if (Str(e.url, "AuthType") == "NONE") {
    out->push_back(Make(e, "lambda_config_url_public", Severity::kHigh, "Function URL requires no authentication",
                        fmt::format("{} answers anyone on the internet.", Str(e.url, "FunctionUrl", "The URL")),
                        "Set AuthType to AWS_IAM or delete the URL.", "url.json"));
  }
  for (const auto& origin : Arr(At(e.url, "Cors"), "AllowOrigins")) {
    if (origin == "*") {
      out->push_back(Make(e, "lambda_config_url_cors_wildcard", Severity::kMedium, "Function URL allows any web origin",
                          "CORS AllowOrigins contains '*'.", "List the origins that need it.", "url.json"));
      break;
    }
  }
}

// A statement's principals as strings ("*", account ids/ARNs, service names).
std::vector<std::pair<std::string, std::string>> Principals(const json& principal) {
  std::vector<std::pair<std::string, std::string>> out;
  if (principal.is_string()) out.emplace_back("AWS", principal.get<std::string>());
  if (principal.is_object()) {
    for (auto it = principal.begin(); it != principal.end(); ++it) {
      if (it->is_string()) out.emplace_back(it.key(), it->get<std::string>());
      if (it->is_array()) {
        for (const auto& v : *it) {
          if (v.is_string()) out.emplace_back(it.key(), v.get<std::string>());
        }
      }
    }
  }
  return out;
}

bool HasConditionKey(const json& condition, const std::string& key) {
  if (!condition.is_object()) return false;
  for (auto op = condition.begin(); op != condition.end(); ++op) {
    if (!op->is_object()) continue;
    for (auto k = op->begin(); k != op->end(); ++k) {
      // Condition keys are case-insensitive; Lambda writes "AWS:SourceArn".
      if (IEquals(k.key(), key) || IEquals(k.key(), "aws:" + key)) return true;
    }
  }
  return false;
}

void CheckPolicy(const FunctionEvidence& e, std::vector<Finding>* out) {
  const std::string text = Str(e.policy, "Policy");
  if (text.empty()) return;
  const std::string own = std::string(AccountFromArnOrId(Str(At(e.function_doc, "Configuration"), "FunctionArn", "")));
  for (const FlaggedStatement& f : FlagPolicyStatements(text, own)) {
    std::string remediation = f.rule_id == "lambda_config_policy_public"
                                  ? fmt::format("Remove it: aws lambda remove-permission --function-name {} --statement-id {}", e.function, f.sid)
                                  : f.remediation;
    out->push_back(Make(e, f.rule_id.c_str(), f.severity, f.title, f.description, std::move(remediation), "policy.json"));
  }
}

void CheckCodeSigning(const FunctionEvidence& e, std::vector<Finding>* out) {
  if (!e.code_signing.is_object()) return;  // not collected: say nothing
  if (Str(e.code_signing, "CodeSigningConfigArn").empty()) {
    out->push_back(Make(e, "lambda_config_no_code_signing", Severity::kLow, "No code signing configuration",
                        "Anyone with lambda:UpdateFunctionCode can deploy unsigned code.",
                        "Attach a code signing configuration with UntrustedArtifactOnDeployment=Enforce.", "code-signing.json"));
  }
}

void CheckVersions(const FunctionEvidence& e, std::vector<Finding>* out) {
  const std::string latest = Str(At(e.function_doc, "Configuration"), "CodeSha256", "");
  std::map<std::string, std::string> sha_by_version;
  for (const auto& v : e.versions) sha_by_version[Str(v, "Version")] = Str(v, "CodeSha256");
  for (const auto& a : e.aliases) {
    const std::string version = Str(a, "FunctionVersion");
    auto it = sha_by_version.find(version);
    if (it == sha_by_version.end() || latest.empty() || it->second == latest) continue;
    out->push_back(Make(e, "lambda_config_alias_runs_other_code", Severity::kInfo,
                        fmt::format("Alias {} runs version {}, whose code differs from $LATEST", Str(a, "Name", "?"), version),
                        fmt::format("CodeSha256 {} on version {}, {} on $LATEST: triggers that use the alias run other code "
                                    "than the function shows.", it->second, version, latest),
                        "Check which release the alias should point to.", "aliases.page-1.json"));
  }
}

json ReadJson(const std::filesystem::path& path) {
  auto text = ReadRegularFile(path.string(), kMaxCaseFileBytes);
  return text ? json::parse(*text, nullptr, false) : json();
}

json MergePages(const std::filesystem::path& dir, const std::string& stem, const char* key) {
  json merged = json::array();
  for (int page = 1;; ++page) {
    const json doc = ReadJson(dir / fmt::format("{}.page-{}.json", stem, page));
    if (!doc.is_object()) break;
    for (const auto& item : Arr(doc, key)) merged.push_back(item);
  }
  return merged;
}

// Published versions (and the aliases on them) whose configuration is not $LATEST's: a
// version keeps the handler, role, layers and environment it was published with.
void CheckVersionConfigs(const FunctionEvidence& e, std::vector<Finding>* out) {
  const json& latest = At(e.function_doc, "Configuration");
  for (const auto& [version, doc] : e.version_docs) {
    const json& config = At(doc, "Configuration");
    std::vector<std::string> differing;
    for (const char* key : {"Handler", "Runtime", "Role", "Timeout", "MemorySize", "Layers", "KMSKeyArn", "VpcConfig"}) {
      if (At(config, key) != At(latest, key)) differing.push_back(key);
    }
    std::vector<std::string> latest_keys, version_keys;
    const json& lv = At(At(latest, "Environment"), "Variables");
    const json& vv = At(At(config, "Environment"), "Variables");
    if (lv.is_object()) for (auto it = lv.begin(); it != lv.end(); ++it) latest_keys.push_back(it.key());
    if (vv.is_object()) for (auto it = vv.begin(); it != vv.end(); ++it) version_keys.push_back(it.key());
    if (latest_keys != version_keys || (lv.is_object() && vv.is_object() && lv != vv)) differing.push_back("Environment");
    if (differing.empty()) continue;
    std::vector<std::string> aliases;
    for (const auto& a : e.aliases) {
      if (Str(a, "FunctionVersion") == version) aliases.push_back(Str(a, "Name"));
    }
    out->push_back(Make(e, "lambda_config_version_differs", aliases.empty() ? Severity::kInfo : Severity::kMedium,
                        fmt::format("Version {}{} is configured unlike $LATEST: {}", version,
                                    aliases.empty() ? "" : fmt::format(" (alias {})", fmt::join(aliases, ", ")), fmt::join(differing, ", ")),
                        "A published version keeps the configuration it was published with; triggers on its alias run with "
                        "that handler, role, layers and environment, whatever $LATEST shows.",
                        "Compare the version with the release you expect; move the alias if needed.",
                        "version-" + SafeName(version) + "/function.json"));
  }
}

void CheckPackage(const FunctionEvidence& e, std::vector<Finding>* out) {
  const std::string reported = Str(At(e.function_doc, "Configuration"), "CodeSha256");
  if (e.package_code_sha256.empty() || reported.empty() || e.package_code_sha256 == reported) return;
  out->push_back(Make(e, "lambda_config_package_mismatch", Severity::kCritical,
                      "Collected package does not match the CodeSha256 Lambda reports",
                      fmt::format("Lambda reports CodeSha256 {}, the package downloaded from its Code.Location hashes to {}. "
                                  "The evidence copy is not the code that runs, or the download was altered.",
                                  reported, e.package_code_sha256),
                      "Collect the package again from a fresh GetFunction; treat the stored copy with suspicion.", "code.zip"));
}

void CheckDestinations(const FunctionEvidence& e, std::vector<Finding>* out) {
  const json& configuration = At(e.function_doc, "Configuration");
  const std::string own(AccountFromArnOrId(Str(configuration, "FunctionArn")));
  for (const ForeignDestination& d : FindForeignDestinations(configuration, e.invoke_configs, own)) {
    const bool failure = d.kind != "OnSuccess";
    out->push_back(Make(e, "lambda_config_destination_foreign", failure ? Severity::kHigh : Severity::kMedium,
                        fmt::format("{} of {} ({}) goes to account {}", d.kind, e.function, d.qualifier, d.account),
                        fmt::format("Asynchronous invocation results ({}) are sent to {}, outside the function's account {}: the "
                                    "events and their payloads leave the account{}.",
                                    d.kind, d.arn, own,
                                    failure ? "; during containment (concurrency 0) every throttled event goes there once its "
                                              "retries run out"
                                            : ""),
                        "Point the destination at a queue or topic of your own (contain --on-failure-destination does it while "
                        "throttled), then review who set it.",
                        "event-invoke-configs.page-1.json"));
  }
}

}  // namespace

std::vector<ForeignDestination> FindForeignDestinations(const json& configuration, const json& invoke_configs, std::string_view own) {
  std::vector<ForeignDestination> out;
  auto check = [&](const std::string& qualifier, const std::string& kind, const std::string& arn) {
    const std::string account(AccountFromArnOrId(arn));
    if (arn.empty() || own.empty() || account.empty() || account == own) return;
    for (const auto& d : out) {
      if (d.qualifier == qualifier && d.kind == kind && d.arn == arn) return;
    }
    out.push_back({qualifier, kind, arn, account});
  };
  check("$LATEST", "DeadLetterConfig", Str(At(configuration, "DeadLetterConfig"), "TargetArn"));
  const json configs = invoke_configs.is_array() ? invoke_configs : json::array({invoke_configs});
  for (const auto& c : configs) {
    std::string qualifier = "$LATEST";
    const std::string arn = Str(c, "FunctionArn");
    if (std::count(arn.begin(), arn.end(), ':') >= 7) qualifier = arn.substr(arn.rfind(':') + 1);
    for (const char* kind : {"OnSuccess", "OnFailure"}) {
      check(qualifier, kind, Str(At(At(c, "DestinationConfig"), kind), "Destination"));
    }
  }
  return out;
}

std::vector<Finding> AnalyzeFunctionConfiguration(const FunctionEvidence& e, bool reveal_secrets) {
  std::vector<Finding> out;
  CheckEnvironment(e, reveal_secrets, &out);
  CheckLayers(e, &out);
  CheckSharedRole(e, &out);
  CheckUrl(e, &out);
  CheckPolicy(e, &out);
  CheckCodeSigning(e, &out);
  CheckVersions(e, &out);
  CheckPackage(e, &out);
  CheckVersionConfigs(e, &out);
  CheckDestinations(e, &out);
  for (Finding& f : CheckRuntimeSupport(e)) out.push_back(std::move(f));
  return out;
}

std::vector<FunctionEvidence> LoadCaseFunctions(const std::string& case_dir, std::vector<std::string>* problems) {
  namespace fs = std::filesystem;
  std::vector<FunctionEvidence> out;
  const fs::path lambda = fs::path(case_dir) / "artifacts" / "lambda";
  std::error_code ec;
  if (!fs::is_directory(lambda, ec)) return out;
  const json manifest = ReadJson(fs::path(case_dir) / "manifest.json");
  const json all_functions = MergePages(lambda, "functions", "Functions");
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(lambda, ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "function.json")) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& dir : dirs) {
    FunctionEvidence e;
    e.function_doc = ReadJson(dir / "function.json");
    if (!e.function_doc.is_object() || !e.function_doc.contains("Configuration")) {
      problems->push_back((dir / "function.json").string() + ": not a GetFunction response");
      continue;
    }
    e.function = Str(At(e.function_doc, "Configuration"), "FunctionName", dir.filename().string());
    e.artifact_dir = fs::relative(dir, case_dir).generic_string();
    e.policy = ReadJson(dir / "policy.json");
    e.url = ReadJson(dir / "url.json");
    e.code_signing = ReadJson(dir / "code-signing.json");
    e.versions = MergePages(dir, "versions", "Versions");
    e.aliases = MergePages(dir, "aliases", "Aliases");
    e.invoke_configs = MergePages(dir, "event-invoke-configs", "FunctionEventInvokeConfigs");
    if (e.invoke_configs.empty()) {
      json single = ReadJson(dir / "event-invoke-config.json");
      if (single.is_object()) e.invoke_configs.push_back(std::move(single));
    }
    e.all_functions = all_functions;
    for (const auto& v : e.versions) {
      const std::string version = Str(v, "Version");
      if (version.empty() || version == "$LATEST") continue;
      json doc = ReadJson(dir / ("version-" + SafeName(version)) / "function.json");
      if (doc.is_object()) e.version_docs[version] = std::move(doc);
    }
    if (auto package = ReadRegularFile((dir / "code.zip").string(), kMaxCaseFileBytes)) {
      e.package_code_sha256 = LambdaCodeSha256(*package);
    }
    for (const auto& a : Arr(manifest, "artifacts")) {
      if (Str(a, "path") == e.artifact_dir + "/function.json") e.collected_at = ParseIso8601(Str(a, "collected_at")).value_or(0);
    }
    out.push_back(std::move(e));
  }
  return out;
}

bool PolicyTextReadable(std::string_view policy_text) {
  constexpr size_t kMaxPolicyBytes = size_t{64} * 1024;  // Lambda caps a function's policy at 20 KB
  constexpr int kMaxPolicyDepth = 32;            // a real statement nests 4 or 5 deep
  return policy_text.size() <= kMaxPolicyBytes && JsonNestingDepth(policy_text) <= kMaxPolicyDepth;
}

std::vector<std::string> ConditionValues(const json& condition, std::string_view key, std::initializer_list<std::string_view> operators) {
  std::vector<std::string> out;
  if (!condition.is_object()) return out;
  for (const auto& [op, keys] : condition.items()) {
    std::string_view name = op;
    if (name.starts_with("ForAnyValue:")) name.remove_prefix(12);
    if (!keys.is_object() || std::none_of(operators.begin(), operators.end(), [&](std::string_view o) { return name == o; })) continue;
    for (const auto& [k, value] : keys.items()) {
      if (!IEquals(k, key)) continue;
      if (value.is_string()) out.push_back(value.get<std::string>());
      for (const json& v : value.is_array() ? value : json::array()) {
        if (v.is_string()) out.push_back(v.get<std::string>());
      }
    }
  }
  return out;
}

namespace {

// The accounts other than `own` that a statement's aws:SourceAccount, or the account field of
// its aws:SourceArn, names: whoever owns the source there can invoke (a pattern pins nothing).
std::vector<std::string> ForeignSourceAccounts(const json& condition, std::string_view own) {
  std::vector<std::string> accounts = ConditionValues(condition, "aws:SourceAccount", {"StringEquals", "StringEqualsIgnoreCase", "StringLike"});
  for (const std::string& arn : ConditionValues(condition, "aws:SourceArn", {"ArnLike", "ArnEquals", "StringEquals", "StringEqualsIgnoreCase", "StringLike"})) {
    const std::vector<std::string_view> parts = Split(arn, ':');
    if (parts.size() >= 6) accounts.emplace_back(parts[4]);  // S3 bucket ARNs name none
  }
  std::vector<std::string> out;
  for (const std::string& a : accounts) {
    if (IsAccountId(a) && a != own && std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  return out;
}

}  // namespace

const std::set<std::string>& RuntimeHijackVariables() { return kHijackVariables; }

std::vector<FlaggedStatement> FlagPolicyStatements(const std::string& policy_text, std::string_view own_account) {
  std::vector<FlaggedStatement> out;
  if (!PolicyTextReadable(policy_text)) return out;
  const json doc = json::parse(policy_text, nullptr, false);
  if (!doc.is_object()) return out;
  json statements = At(doc, "Statement");
  if (statements.is_object()) statements = json::array({statements});
  if (!statements.is_array()) return out;
  for (const auto& s : statements) {
    if (Str(s, "Effect") != "Allow") continue;
    const std::string sid = Str(s, "Sid", "(no Sid)");
    const json& condition = At(s, "Condition");
    // Of the statement, whichever principal it names: read once.
    const std::vector<std::string> foreign_sources =
        own_account.empty() ? std::vector<std::string>{} : ForeignSourceAccounts(condition, own_account);
    for (const auto& [kind, who] : Principals(At(s, "Principal"))) {
      const bool url_none_only = HasConditionKey(condition, "lambda:FunctionUrlAuthType") &&
                                 !HasConditionKey(condition, "SourceArn") && !HasConditionKey(condition, "SourceAccount") &&
                                 !HasConditionKey(condition, "PrincipalOrgID");
      if (who == "*" && (!condition.is_object() || condition.empty() || url_none_only)) {
        out.push_back({sid, s, "lambda_config_policy_public", Severity::kCritical, fmt::format("Statement {} lets anyone invoke", sid),
                       "A resource-policy statement allows principal '*' with no condition narrowing it.", "Remove it."});
      } else if ((who == "*" || kind == "Service") && !foreign_sources.empty()) {
        // Anyone, or a service, but only for a source in another account: that account's.
        const std::string accounts = fmt::format("{}", fmt::join(foreign_sources, ", "));
        out.push_back({sid, s, "lambda_config_policy_foreign_account", Severity::kHigh,
                       fmt::format("Statement {} lets account {} invoke, as the source its condition names", sid, accounts),
                       fmt::format("Principal {} may call the function for a source (aws:SourceAccount or aws:SourceArn) owned by "
                                   "another AWS account.", who),
                       "Remove it unless the account is a known partner."});
      } else if (kind == "AWS") {
        const std::string account(AccountFromArnOrId(who));
        if (!account.empty() && !own_account.empty() && account != own_account) {
          out.push_back({sid, s, "lambda_config_policy_foreign_account", Severity::kHigh,
                         fmt::format("Statement {} grants account {}", sid, account),
                         "Another AWS account may call the function under this statement.",
                         "Remove it unless the account is a known partner."});
        }
      } else if (kind == "Service" && !HasConditionKey(condition, "SourceArn") && !HasConditionKey(condition, "SourceAccount")) {
        out.push_back({sid, s, "lambda_config_policy_service_unconditioned", Severity::kMedium,
                       fmt::format("Statement {} lets {} invoke for any account", sid, who),
                       "A service principal without aws:SourceArn or aws:SourceAccount: any customer's resource of "
                       "that service can trigger the function (confused deputy).",
                       "Add SourceArn (and SourceAccount for S3) to the permission."});
      }
    }
  }
  return out;
}

}  // namespace lir
