#include "evidence/function_collector.h"

#include "core/progress_meter.h"

#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>

#include "core/json_util.h"
#include "core/task_pool.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/api_caller.h"
#include "aws/aws_error.h"
#include "core/hashing.h"

namespace lir {
namespace {

using aws::ApiCaller;
using aws::ApiResult;
using aws::CallParams;
using aws::Op;
using aws::Service;

class Collector {
 public:
  Collector(aws::AwsSession& session, EvidenceCase& evidence, ProgressMeter* package_progress)
      : session_(session), evidence_(evidence), package_progress_(package_progress) {}

  // One call, stored under `path`. Absent resources (404) are notes, not failures.
  std::optional<nlohmann::json> Fetch(Service service, const char* operation, const CallParams& params, const std::string& path) {
    ApiCaller caller(service, session_.context());
    auto r = caller.Call(Op(service, operation), params);
    if (!r) {
      Note(r.error(), operation, path);
      return std::nullopt;
    }
    Store(path, *r, service, operation);
    return r->doc;
  }

  // A paginated call: each page stored as received (path.page-N.json), the merged result returned.
  std::optional<nlohmann::json> FetchAll(Service service, const char* operation, const CallParams& params, const std::string& path) {
    ApiCaller caller(service, session_.context());
    std::vector<ApiResult> pages;
    auto r = caller.CallAll(Op(service, operation), params, &pages);
    std::vector<std::string> paths;
    std::vector<const ApiResult*> read;
    for (size_t i = 0; i < pages.size(); ++i) {
      paths.push_back(fmt::format("{}.page-{}.json", path, i + 1));
      read.push_back(&pages[i]);
    }
    if (!pages.empty()) StoreRead(paths, read, service, operation);
    if (!r) {
      Note(r.error(), operation, path);
      return std::nullopt;
    }
    return *r;
  }

  // Downloads a package from its presigned URL, stores it as received, and records whether
  // it matches the CodeSha256 Lambda reports. The URL (a credential) is never logged.
  void FetchPackage(const std::string& url, const std::string& expected_sha, const std::string& path, const std::string& what) {
    constexpr size_t kMaxPackage = size_t{1} << 30;
    std::string bytes;
    auto r = session_.transport().Send("GET", url, {}, "", [&](std::string_view chunk) {
      if (bytes.size() + chunk.size() > kMaxPackage) return false;
      bytes.append(chunk);
      if (package_progress_ != nullptr) package_progress_->AddDone(0, chunk.size());
      return true;
    });
    if (!r || r->status != 200) {
      std::lock_guard<std::mutex> lock(mutex_);
      outcome_.failures.push_back(fmt::format("{}: download failed ({})", what, r ? fmt::format("HTTP {}", r->status) : r.error().service_code));
      return;
    }
    if (package_progress_ != nullptr) package_progress_->AddDone(1);  // downloaded (its bytes counted as they came)
    const std::string actual = LambdaCodeSha256(bytes);
    Store(path, ApiResult{nlohmann::json(), std::move(bytes), r->Header("x-amz-request-id"), r->status}, Service::kS3, "GetObject (presigned)");
    const bool match = actual == expected_sha;
    const std::string said = evidence_.RecordOrSay(
        match ? "package-verified" : "package-sha256-mismatch",
        nlohmann::json{{"path", path}, {"expected_code_sha256", expected_sha}, {"actual_code_sha256", actual}}.dump());
    if (!said.empty()) {
      std::lock_guard<std::mutex> lock(mutex_);
      outcome_.failures.push_back(said);
    }
    if (!match) {
      std::lock_guard<std::mutex> lock(mutex_);
      outcome_.failures.push_back(fmt::format("{}: CodeSha256 mismatch: Lambda reports {}, the package is {}", what, expected_sha, actual));
    }
  }

  void NoteText(std::string text) {
    std::lock_guard<std::mutex> lock(mutex_);
    outcome_.notes.push_back(std::move(text));
  }

  CollectionOutcome Snapshot() {
    std::lock_guard<std::mutex> lock(mutex_);
    return outcome_;
  }

  void SetRole(const std::string& role) {
    std::lock_guard<std::mutex> lock(mutex_);
    outcome_.role = role;
  }

  // An answer fetched elsewhere, stored as this collection's.
  void Keep(const std::string& path, const ApiResult& r, Service service, const char* operation) { Store(path, r, service, operation); }
  void NoteError(const Error& e, const char* operation, const std::string& path) { Note(e, operation, path); }

 private:
  void Store(const std::string& path, const ApiResult& r, Service service, const char* operation) {
    StoreRead({path}, {&r}, service, operation);
  }

  // One read (a call, or a paginated call's pages). Another function of the case may have
  // stored it already (a shared role, the account's function list): the same bytes are not
  // stored twice, and a new answer (its state may have changed; IAM's carries its own request
  // id) is kept beside the first, every page under one name, never over it.
  void StoreRead(const std::vector<std::string>& paths, const std::vector<const ApiResult*>& pages, Service service, const char* operation) {
    const std::string service_name = aws::NamesOf(service).signing_name;
    std::vector<std::string_view> bytes;
    std::vector<ArtifactSource> sources;
    for (const ApiResult* page : pages) {
      bytes.emplace_back(page->raw);
      sources.push_back({service_name, operation, page->request_id});
    }
    std::string kept_as;
    auto added = evidence_.AddReadBeside(paths, bytes, sources, &kept_as);
    if (!kept_as.empty()) NoteText(fmt::format("{}: in the case from an earlier read; this read kept as {}", paths.front(), kept_as));
    std::lock_guard<std::mutex> lock(mutex_);
    if (added) {
      for (const ArtifactEntry& entry : *added) outcome_.artifacts.push_back(entry);
    } else {
      outcome_.failures.push_back(fmt::format("{}: {}", paths.front(), added.error().message));
    }
  }

  void Note(const Error& e, const char* operation, const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (e.code == ErrorCode::kNotFound) {
      outcome_.notes.push_back(fmt::format("{}: none ({})", path, operation));
    } else if (e.code == ErrorCode::kUnsupported) {
      outcome_.notes.push_back(fmt::format("{}: the endpoint does not implement {}", path, operation));
    } else {
      // The artifact names the qualifier a read was for; the remedy, what to do.
      // A remedy only where there is one to give (an answer malformed or too large has none).
      const bool remedy = e.code == ErrorCode::kPermissionDenied || e.code == ErrorCode::kUnauthenticated ||
                          e.code == ErrorCode::kThrottled || e.code == ErrorCode::kUnavailable;
      outcome_.failures.push_back(remedy ? fmt::format("{} not collected: {} ({})", path, e.message, aws::RemedyFor(e))
                                         : fmt::format("{} not collected: {}", path, e.message));
      if (e.code == ErrorCode::kPermissionDenied && !e.iam_action.empty()) outcome_.refused.insert(e.iam_action);
    }
    // not_collected: a read that failed (not an absent resource), which analysis of the case
    // lists, since the checks of what it would hold did not run.
    nlohmann::json gap{{"path", path}, {"operation", operation}, {"error", e.message}};
    if (e.code != ErrorCode::kNotFound && e.code != ErrorCode::kUnsupported) gap["not_collected"] = true;
    if (auto said = evidence_.RecordOrSay("collection-gap", gap.dump()); !said.empty()) {
      outcome_.failures.push_back(said);
    }
  }

  aws::AwsSession& session_;
  EvidenceCase& evidence_;
  ProgressMeter* package_progress_;
  std::mutex mutex_;
  CollectionOutcome outcome_;
};

std::string RoleNameFromArn(const std::string& arn) {
  const size_t slash = arn.rfind('/');
  return slash == std::string::npos ? arn : arn.substr(slash + 1);
}

}  // namespace

std::string FunctionArtifactDir(const std::string& function) { return "artifacts/lambda/" + SafeName(function); }
std::string RoleArtifactDir(const std::string& role) { return "artifacts/iam/roles/" + SafeName(role); }

const std::vector<aws::OperationRef>& SnapshotOperations() {
  using S = Service;
  static const std::vector<aws::OperationRef> ops = {
      {S::kLambda, "GetFunction"},          {S::kLambda, "ListVersionsByFunction"},   {S::kLambda, "ListAliases"},
      {S::kLambda, "GetPolicy"},            {S::kLambda, "GetFunctionUrlConfig"},     {S::kLambda, "GetFunctionConcurrency"},
      {S::kLambda, "ListProvisionedConcurrencyConfigs"}, {S::kLambda, "GetFunctionEventInvokeConfig"},
      {S::kLambda, "ListFunctionEventInvokeConfigs"},    {S::kLambda, "GetFunctionCodeSigningConfig"},
      {S::kLambda, "ListTags"},             {S::kLambda, "ListEventSourceMappings"},  {S::kLambda, "ListFunctions"},
      {S::kLambda, "GetLayerVersionByArn"}, {S::kIam, "GetRole"},                     {S::kIam, "ListRolePolicies"},
      {S::kIam, "GetRolePolicy"},           {S::kIam, "ListAttachedRolePolicies"},    {S::kIam, "GetPolicy"},
      {S::kIam, "GetPolicyVersion"}};
  return ops;
}

const std::vector<aws::OperationRef>& CollectionOperations() {
  using S = Service;
  static const std::vector<aws::OperationRef> ops = {{S::kLogs, "FilterLogEvents"}, {S::kCloudWatch, "GetMetricData"},
                                                     {S::kCloudTrail, "LookupEvents"}, {S::kS3, "ListObjectsV2"},
                                                     {S::kS3, "GetObject"}};
  return ops;
}

bool HasFunctionSnapshot(const std::string& case_dir, const std::string& function) {
  std::error_code ec;
  return std::filesystem::exists(case_dir + "/" + FunctionArtifactDir(function) + "/function.json", ec);
}

class FunctionSnapshot::Impl {
 public:
  Impl(aws::AwsSession& session, EvidenceCase* evidence, std::string function, CollectOptions options)
      : session_(session), evidence_(evidence), function_(std::move(function)), options_(options),
        dir_(FunctionArtifactDir(function_)), fn_{{"FunctionName", function_}} {
    if (evidence_ != nullptr) collector_ = std::make_unique<Collector>(session_, *evidence_, options_.package_progress);
  }

  Result<nlohmann::json> Function(bool store) {
    std::lock_guard lock(function_mutex_);
    if (!function_result_) {
      ApiCaller caller(Service::kLambda, session_.context());
      auto r = caller.Call(Op(Service::kLambda, "GetFunction"), {fn_});
      if (!r) {
        if (store && collector_) collector_->NoteError(r.error(), "GetFunction", dir_ + "/function.json");
        function_result_ = tl::unexpected(r.error());
      } else {
        if (store && collector_) collector_->Keep(dir_ + "/function.json", *r, Service::kLambda, "GetFunction");
        function_result_ = std::move(r->doc);
      }
    }
    return *function_result_;
  }

  Result<nlohmann::json> ProvisionedConfigs(bool store) {
    LoadProvisionedConfigs(store);
    std::lock_guard lock(provisioned_mutex_);
    return *provisioned_result_;
  }

  // Listed once (latched); stored pages and a failure noted as a gap when `store`.
  void LoadProvisionedConfigs(bool store) {
    std::lock_guard lock(provisioned_mutex_);
    if (!provisioned_result_) {
      ApiCaller caller(Service::kLambda, session_.context());
      std::vector<ApiResult> pages;
      auto r = caller.CallAll(Op(Service::kLambda, "ListProvisionedConcurrencyConfigs"), {fn_}, &pages);
      const std::string path = dir_ + "/provisioned-concurrency";
      if (store && collector_) {
        for (size_t i = 0; i < pages.size(); ++i) {
          collector_->Keep(fmt::format("{}.page-{}.json", path, i + 1), pages[i], Service::kLambda, "ListProvisionedConcurrencyConfigs");
        }
        if (!r) collector_->NoteError(r.error(), "ListProvisionedConcurrencyConfigs", path);
      }
      provisioned_result_ = std::move(r);
    }
  }

  Result<void> Configuration() {
    std::lock_guard lock(configuration_mutex_);
    if (configuration_done_) return configuration_result_;
    configuration_done_ = true;
    auto latest = Function(true);
    if (!latest) {
      configuration_result_ = tl::unexpected(latest.error());
      return configuration_result_;
    }
    CollectConfiguration(*latest);
    return {};
  }

  void Packages() {
    std::lock_guard lock(packages_mutex_);
    {
      std::lock_guard configured(configuration_mutex_);
      if (!configuration_done_ || !configuration_result_) return;
    }
    if (packages_done_) return;
    packages_done_ = true;
    if (!options_.packages) return;
    TaskPool pool(options_.jobs);
    std::lock_guard docs_lock(docs_mutex_);
    // Every package that will be downloaded, with its size, before the first download starts.
    auto plan = [&](const nlohmann::json& content, const nlohmann::json& sized) {
      if (options_.package_progress == nullptr || JStr(content, "Location").empty()) return;
      options_.package_progress->AddTotal(1, static_cast<uint64_t>(std::max<int64_t>(0, JInt(sized, "CodeSize"))));
    };
    for (const auto& [subdir, doc, what] : package_docs_) plan(JAt(doc, "Code"), JAt(doc, "Configuration"));
    for (const auto& [ldir, doc, arn] : layer_docs_) plan(JAt(doc, "Content"), JAt(doc, "Content"));
    for (const auto& [subdir, doc, what] : package_docs_) {
      pool.Submit([&, subdir = subdir, doc = doc, what = what] {
        const auto& code = JAt(doc, "Code");
        const std::string location = JStr(code, "Location");
        if (location.empty()) {
          collector_->NoteText(fmt::format("{}: no package to download ({})", what, code.is_object() ? JStr(code, "ImageUri", "no Code.Location") : "no Code"));
          return;
        }
        collector_->FetchPackage(location, JStr(JAt(doc, "Configuration"), "CodeSha256"), subdir + "/code.zip", what);
      });
    }
    for (const auto& [ldir, doc, arn] : layer_docs_) {
      pool.Submit([&, ldir = ldir, doc = doc, arn = arn] {
        const std::string location = JStr(JAt(doc, "Content"), "Location");
        if (!location.empty()) collector_->FetchPackage(location, JStr(JAt(doc, "Content"), "CodeSha256"), ldir + "/layer.zip", "layer " + arn);
      });
    }
    pool.Wait();
  }

  CollectionOutcome Outcome() { return collector_ ? collector_->Snapshot() : CollectionOutcome{}; }

 private:
  void AddPackage(const std::string& subdir, const nlohmann::json& doc, const std::string& what) {
    std::lock_guard lock(docs_mutex_);
    package_docs_.emplace_back(subdir, doc, what);
  }

  void CollectConfiguration(const nlohmann::json& latest) {
    Collector& c = *collector_;
    const std::string& dir = dir_;
    const auto& fn = fn_;
    const std::string function = function_;
    AddPackage(dir, latest, function + " $LATEST");
    const std::string role_arn = JStr(JAt(latest, "Configuration"), "Role");
    const std::string role = RoleNameFromArn(role_arn);

    // Everything below depends only on the function's name or its role: run concurrently.
    TaskPool pool(options_.jobs);
    auto spawn = [&](std::function<void()> f) { pool.Submit(std::move(f)); };
    spawn([&] {
      for (const auto& layer : JArr(JAt(latest, "Configuration"), "Layers")) {
        const std::string arn = JStr(layer, "Arn");
        if (arn.empty()) continue;
        const std::string ldir = "artifacts/lambda/layers/" + SafeName(arn);
        auto doc = c.Fetch(Service::kLambda, "GetLayerVersionByArn", {{}, {{"Arn", arn}}}, ldir + "/layer.json");
        if (!doc || !doc->contains("Content")) continue;
        std::lock_guard lock(docs_mutex_);
        layer_docs_.emplace_back(ldir, *doc, arn);
      }
    });
    spawn([&] {
      auto versions = c.FetchAll(Service::kLambda, "ListVersionsByFunction", {fn}, dir + "/versions");
      if (!versions) return;
      for (const auto& v : JArr(*versions, "Versions")) {
        const std::string q = JStr(v, "Version");
        if (q.empty() || q == "$LATEST") continue;
        spawn([&, q] {
          auto doc = c.Fetch(Service::kLambda, "GetFunction", {fn, {{"Qualifier", q}}}, dir + "/version-" + SafeName(q) + "/function.json");
          if (doc) AddPackage(dir + "/version-" + SafeName(q), *doc, fmt::format("{} version {}", function, q));
        });
        spawn([&, q] { c.Fetch(Service::kLambda, "GetPolicy", {fn, {{"Qualifier", q}}}, dir + "/version-" + SafeName(q) + "/policy.json"); });
      }
    });
    spawn([&] {
      auto aliases = c.FetchAll(Service::kLambda, "ListAliases", {fn}, dir + "/aliases");
      if (!aliases) return;
      for (const auto& a : JArr(*aliases, "Aliases")) {
        const std::string q = JStr(a, "Name");
        if (q.empty()) continue;
        c.Fetch(Service::kLambda, "GetPolicy", {fn, {{"Qualifier", q}}}, dir + "/alias-" + SafeName(q) + "/policy.json");
        c.Fetch(Service::kLambda, "GetFunctionUrlConfig", {fn, {{"Qualifier", q}}}, dir + "/alias-" + SafeName(q) + "/url.json");
      }
    });
    spawn([&] { c.Fetch(Service::kLambda, "GetPolicy", {fn}, dir + "/policy.json"); });
    spawn([&] { c.Fetch(Service::kLambda, "GetFunctionUrlConfig", {fn}, dir + "/url.json"); });
    spawn([&] {
      if (options_.throttle_in_flight) {
        c.NoteText(dir + "/concurrency.json: not read (containment throttles the function meanwhile): function.json's Concurrency, "
                         "read before, holds the reserved value");
      } else {
        c.Fetch(Service::kLambda, "GetFunctionConcurrency", {fn}, dir + "/concurrency.json");
      }
      LoadProvisionedConfigs(true);
    });
    spawn([&] {
      c.Fetch(Service::kLambda, "GetFunctionEventInvokeConfig", {fn}, dir + "/event-invoke-config.json");
      // Every qualifier's own asynchronous settings (an alias may send its failures elsewhere).
      c.FetchAll(Service::kLambda, "ListFunctionEventInvokeConfigs", {fn}, dir + "/event-invoke-configs");
      c.Fetch(Service::kLambda, "GetFunctionCodeSigningConfig", {fn}, dir + "/code-signing.json");
    });
    spawn([&] {
      const std::string arn = JStr(JAt(latest, "Configuration"), "FunctionArn");
      if (!arn.empty()) c.Fetch(Service::kLambda, "ListTags", {{{"Resource", arn}}}, dir + "/tags.json");
    });
    spawn([&] { c.FetchAll(Service::kLambda, "ListEventSourceMappings", {{}, {{"FunctionName", function}}}, dir + "/event-source-mappings"); });
    spawn([&] { c.FetchAll(Service::kLambda, "ListFunctions", {}, "artifacts/lambda/functions"); });
    if (!role.empty()) {
      const std::string rdir = RoleArtifactDir(role);
      const aws::QueryParams by_role = {{"RoleName", role}};
      spawn([&, rdir, by_role] { c.Fetch(Service::kIam, "GetRole", {{}, {}, {}, by_role}, rdir + "/role.json"); });
      spawn([&, rdir, by_role] {
        auto names = c.FetchAll(Service::kIam, "ListRolePolicies", {{}, {}, {}, by_role}, rdir + "/inline-policies");
        if (!names) return;
        for (const auto& n : JArr(*names, "PolicyNames")) {
          const std::string name = n.is_string() ? n.get<std::string>() : "";
          if (name.empty()) continue;
          c.Fetch(Service::kIam, "GetRolePolicy", {{}, {}, {}, {{"RoleName", role}, {"PolicyName", name}}},
                  rdir + "/inline-" + SafeName(name) + ".json");
        }
      });
      spawn([&, rdir, by_role] {
        auto attached = c.FetchAll(Service::kIam, "ListAttachedRolePolicies", {{}, {}, {}, by_role}, rdir + "/attached-policies");
        if (!attached) return;
        for (const auto& p : JArr(*attached, "AttachedPolicies")) {
          const std::string arn = JStr(p, "PolicyArn");
          if (arn.empty()) continue;
          auto policy = c.Fetch(Service::kIam, "GetPolicy", {{}, {}, {}, {{"PolicyArn", arn}}},
                                rdir + "/attached-" + SafeName(JStr(p, "PolicyName", arn)) + ".json");
          if (!policy) continue;
          const std::string version = JStr(JAt(*policy, "Policy"), "DefaultVersionId");
          if (version.empty()) continue;
          c.Fetch(Service::kIam, "GetPolicyVersion", {{}, {}, {}, {{"PolicyArn", arn}, {"VersionId", version}}},
                  rdir + "/attached-" + SafeName(JStr(p, "PolicyName", arn)) + "-" + SafeName(version) + ".json");
        }
      });
    }
    pool.Wait();
    c.SetRole(role);
  }

  aws::AwsSession& session_;
  EvidenceCase* evidence_;
  std::string function_;
  CollectOptions options_;
  std::string dir_;
  std::map<std::string, std::string> fn_;
  std::unique_ptr<Collector> collector_;
  std::mutex function_mutex_, configuration_mutex_, packages_mutex_, docs_mutex_, provisioned_mutex_;
  std::optional<Result<nlohmann::json>> function_result_, provisioned_result_;
  bool configuration_done_ = false, packages_done_ = false;
  Result<void> configuration_result_;
  std::vector<std::tuple<std::string, nlohmann::json, std::string>> package_docs_, layer_docs_;
};

FunctionSnapshot::FunctionSnapshot(aws::AwsSession& session, EvidenceCase* evidence, std::string function, CollectOptions options,
                                   bool store)
    : impl_(std::make_unique<Impl>(session, store ? evidence : nullptr, std::move(function), options)), store_(store && evidence) {}
FunctionSnapshot::~FunctionSnapshot() = default;

Result<nlohmann::json> FunctionSnapshot::Function() { return impl_->Function(store_); }
Result<nlohmann::json> FunctionSnapshot::ProvisionedConfigs() { return impl_->ProvisionedConfigs(store_); }
Result<void> FunctionSnapshot::Configuration() { return store_ ? impl_->Configuration() : Result<void>(); }
void FunctionSnapshot::Packages() {
  if (store_) impl_->Packages();
}
CollectionOutcome FunctionSnapshot::Outcome() { return impl_->Outcome(); }

Result<std::string> CollectLayerVersion(aws::AwsSession& session, EvidenceCase& evidence, const std::string& arn) {
  Collector c(session, evidence, nullptr);
  const std::string dir = "artifacts/lambda/layers/" + SafeName(arn);
  std::error_code ec;
  if (std::filesystem::exists(evidence.dir() + "/" + dir + "/layer.json", ec)) return dir + "/layer.json";
  ApiCaller caller(Service::kLambda, session.context());
  auto doc = caller.Call(Op(Service::kLambda, "GetLayerVersionByArn"), {{}, {{"Arn", arn}}});
  if (!doc) return tl::unexpected(doc.error());
  c.Keep(dir + "/layer.json", *doc, Service::kLambda, "GetLayerVersionByArn");
  const std::string location = JStr(JAt(doc->doc, "Content"), "Location");
  if (!location.empty()) c.FetchPackage(location, JStr(JAt(doc->doc, "Content"), "CodeSha256"), dir + "/layer.zip", "layer " + arn);
  const CollectionOutcome outcome = c.Snapshot();
  if (!outcome.failures.empty()) return MakeError(ErrorCode::kIo, fmt::format("layer {}: {}", arn, outcome.failures.front()));
  return dir + "/layer.json";
}

Result<CollectionOutcome> CollectFunctionConfiguration(aws::AwsSession& session, EvidenceCase& evidence,
                                                       const std::string& function, const CollectOptions& options) {
  FunctionSnapshot snapshot(session, &evidence, function, options, /*store=*/true);
  if (auto configured = snapshot.Configuration(); !configured) {
    Error e = configured.error();
    e.message = fmt::format("cannot read function {}: {}", function, e.message);
    return tl::unexpected(std::move(e));
  }
  snapshot.Packages();
  CollectionOutcome outcome = snapshot.Outcome();
  const auto latest = snapshot.Function();
  const auto& configuration = JAt(*latest, "Configuration");
  outcome.log_group = JStr(JAt(configuration, "LoggingConfig"), "LogGroup");
  if (outcome.log_group.empty()) outcome.log_group = "/aws/lambda/" + JStr(configuration, "FunctionName", function);
  if (auto said = evidence.RecordOrSay("collected-configuration",
                                       nlohmann::json{{"function", function}, {"role", outcome.role}, {"artifacts", outcome.artifacts.size()},
                                                      {"gaps", outcome.notes.size()}, {"failures", outcome.failures.size()}}.dump());
      !said.empty()) {
    outcome.failures.push_back(said);
  }
  return outcome;
}

}  // namespace lir
