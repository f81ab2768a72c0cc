#include "response/account_inventory.h"

#include "core/progress_meter.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "analysis/config_analysis.h"
#include "aws/aws_error.h"
#include "core/json_util.h"
#include "core/task_pool.h"
#include "core/time.h"
#include "response/aws_calls.h"
#include "response/steps.h"

namespace lir {
namespace {

constexpr std::string_view kNotFound = "not found";

using json = nlohmann::json;
using S = aws::Service;

constexpr const char* kLambdaLogPrefix = "/aws/lambda/";

std::string RoleNameOf(const std::string& arn) { return arn.substr(arn.rfind('/') + 1); }

class InventoryReader {
 public:
  InventoryReader(aws::AwsSession& session, const InventoryRequest& request) : calls_(session), request_(request) {
    inventory_.account = request.account;
    inventory_.read_at = NowMs();
  }

  Result<AccountInventory> Read() {
    {
      TaskPool pool(request_.jobs);
      for (const std::string& region : request_.regions) {
        inventory_.regions.push_back({region});
      }
      for (size_t i = 0; i < inventory_.regions.size(); ++i) {
        pool.Submit([this, i] { ListRegion(i); });
      }
      pool.Wait();
    }
    const bool any_listed = std::any_of(inventory_.regions.begin(), inventory_.regions.end(),
                                        [](const RegionInventory& r) { return r.functions_listed; });
    if (!any_listed) {
      // The home region's error says why (the others may only be regions not enabled).
      Error e = home_list_error_.value_or(Error{ErrorCode::kPermissionDenied, "no answer"});
      e.message = fmt::format("audit: no region's functions could be listed ({}: {}: {}; {})", request_.regions.front(), ToString(e.code),
                              e.message, aws::RemedyFor(e));
      e.operation = "ListFunctions";
      e.iam_action = "lambda:ListFunctions";
      return tl::unexpected(std::move(e));
    }
    MissingNamedFunctions();
    std::sort(inventory_.functions.begin(), inventory_.functions.end(), [](const FunctionInventory& a, const FunctionInventory& b) {
      return std::make_pair(a.region, JStr(a.configuration, "FunctionName")) < std::make_pair(b.region, JStr(b.configuration, "FunctionName"));
    });
    {
      TaskPool pool(request_.jobs);
      if (request_.progress != nullptr) request_.progress->AddTotal(inventory_.functions.size());
      for (size_t i = 0; i < inventory_.functions.size(); ++i) pool.Submit([this, i, &pool] { ReadFunction(i, pool); });
      for (const FunctionInventory& f : inventory_.functions) {
        const std::string arn = JStr(f.configuration, "Role");
        if (arn.empty() || inventory_.roles.count(arn)) continue;
        inventory_.roles[arn] = RoleInventory{arn, RoleNameOf(arn), std::nullopt, {}, false};
      }
      for (auto& entry : inventory_.roles) {
        RoleInventory* role = &entry.second;  // map nodes stay put while tasks run
        pool.Submit([this, role, &pool] { ReadRole(*role, pool); });
      }
      for (size_t i = 0; i < inventory_.regions.size(); ++i) pool.Submit([this, i, &pool] { ReadTrails(i, pool); });
      if (request_.buckets) pool.Submit([this] { ReadBuckets(); });
      if (request_.event_source_mappings) {
        for (size_t i = 0; i < inventory_.regions.size(); ++i) pool.Submit([this, i] { ReadMappings(i); });
      }
      pool.Wait();
    }
    AssembleRolePolicies();
    AttachTrailDetails();
    std::sort(inventory_.gaps.begin(), inventory_.gaps.end(), [](const InventoryGap& a, const InventoryGap& b) {
      return std::tie(a.region, a.resource, a.what) < std::tie(b.region, b.resource, b.what);
    });
    return std::move(inventory_);
  }

 private:
  Result<json> Call(const std::string& region, S service, const char* operation, const aws::CallParams& params) {
    return calls_.CallIn(region, service, operation, params);
  }
  Result<json> CallAll(const std::string& region, S service, const char* operation, const aws::CallParams& params) {
    return calls_.CallAllIn(region, service, operation, params);
  }

  void Gap(const std::string& region, const std::string& resource, const std::string& what, S service, const char* operation,
           const Error& error) {
    std::lock_guard lock(mutex_);
    inventory_.gaps.push_back({region, resource, what, aws::IamActionOf(service, operation),
                               fmt::format("{}: {}", ToString(error.code), error.message), aws::RemedyFor(error),
                               request_.account});
  }

  bool InScope(const json& function) const {
    if (request_.functions.empty()) return true;
    const std::string name = JStr(function, "FunctionName");
    const std::string arn = JStr(function, "FunctionArn");
    return std::any_of(request_.functions.begin(), request_.functions.end(),
                       [&](const std::string& wanted) { return wanted == name || UnqualifiedFunctionArn(wanted) == arn; });
  }

  void ListRegion(size_t index) {
    const std::string region = inventory_.regions[index].region;
    auto listed = CallAll(region, S::kLambda, "ListFunctions", {});
    if (!listed) {
      // An opt-in region the account has not enabled rejects the credentials: nothing runs there.
      if (region != request_.regions.front() && listed.error().code == ErrorCode::kUnauthenticated) return;
      Gap(region, "", "functions", S::kLambda, "ListFunctions", listed.error());
      if (index == 0) {
        std::lock_guard lock(mutex_);
        home_list_error_ = listed.error();
      }
      return;
    }
    std::lock_guard lock(mutex_);
    inventory_.regions[index].functions_listed = true;
    for (const json& f : JArr(*listed, "Functions")) {
      if (InScope(f)) {
        inventory_.functions.push_back({region, f});
      } else {
        inventory_.other_functions.push_back(f);
      }
    }
  }

  // A function named on the command line that no listed region has.
  void MissingNamedFunctions() {
    for (const std::string& wanted : request_.functions) {
      const bool found = std::any_of(inventory_.functions.begin(), inventory_.functions.end(), [&](const FunctionInventory& f) {
        return JStr(f.configuration, "FunctionName") == wanted || JStr(f.configuration, "FunctionArn") == UnqualifiedFunctionArn(wanted);
      });
      if (!found) {
        inventory_.gaps.push_back({"", wanted, "function", "lambda:ListFunctions", std::string(kNotFound),
                                   "check the name and --regions: no region read lists it", request_.account});
      }
    }
  }

  void ReadFunction(size_t index, TaskPool& pool) {
    FunctionInventory& f = inventory_.functions[index];
    const std::string name = JStr(f.configuration, "FunctionName");
    const std::string region = f.region;
    // Each read fills its own member: no two tasks write the same one.
    auto remaining = std::make_shared<std::atomic<int>>(request_.alias_policies ? 5 : 4);
    auto done = [this, remaining] {
      if (remaining->fetch_sub(1) != 1) return;
      if (request_.progress != nullptr) request_.progress->AddDone(1);
    };
    pool.Submit([this, &f, name, region, done] {
      auto r = Call(region, S::kLambda, "GetPolicy", LambdaParams(name));
      if (r && !PolicyTextReadable(JStr(*r, "Policy"))) {
        Gap(region, name, "resource policy", S::kLambda, "GetPolicy",
            Error{ErrorCode::kTooLarge, "the policy text is larger or more deeply nested than any Lambda policy; not parsed"});
      } else if (r) {
        f.policy = std::move(*r);
      } else if (IsNotFound(r.error())) {
        f.policy = json();
      } else {
        Gap(region, name, "resource policy", S::kLambda, "GetPolicy", r.error());
      }
      done();
    });
    pool.Submit([this, &f, name, region, done] {
      auto r = CallAll(region, S::kLambda, "ListFunctionUrlConfigs", LambdaParams(name));
      if (r) {
        f.urls = JArr(*r, "FunctionUrlConfigs");
      } else {
        Gap(region, name, "function URLs", S::kLambda, "ListFunctionUrlConfigs", r.error());
      }
      done();
    });
    pool.Submit([this, &f, name, region, done, &pool] {
      auto r = Call(region, S::kLambda, "GetFunctionCodeSigningConfig", LambdaParams(name));
      if (r) {
        const std::string arn = JStr(*r, "CodeSigningConfigArn");
        f.code_signing = std::move(*r);
        if (!arn.empty()) ReadCodeSigningConfig(region, arn, pool);
      } else if (IsNotFound(r.error())) {
        f.code_signing = json::object();
      } else {
        Gap(region, name, "code signing", S::kLambda, "GetFunctionCodeSigningConfig", r.error());
      }
      done();
    });
    pool.Submit([this, &f, name, region, done] {
      auto r = CallAll(region, S::kLambda, "ListFunctionEventInvokeConfigs", LambdaParams(name));
      if (r) {
        f.invoke_configs = JArr(*r, "FunctionEventInvokeConfigs");
      } else {
        Gap(region, name, "asynchronous invocation", S::kLambda, "ListFunctionEventInvokeConfigs", r.error());
      }
      done();
    });
    if (request_.alias_policies) {
      pool.Submit([this, &f, name, region, done] {
        ReadAliasPolicies(f, name, region);
        done();
      });
    }
  }

  // An alias has a resource policy of its own (what invokes through the alias, its URL's).
  void ReadAliasPolicies(FunctionInventory& f, const std::string& name, const std::string& region) {
    auto aliases = CallAll(region, S::kLambda, "ListAliases", LambdaParams(name));
    if (!aliases) {
      Gap(region, name, "aliases' resource policies", S::kLambda, "ListAliases", aliases.error());
      return;
    }
    f.aliases = JArr(*aliases, "Aliases");
    for (const json& a : *f.aliases) {
      const std::string alias = JStr(a, "Name");
      const std::string qualified = fmt::format("{}:{}", name, alias);
      auto r = Call(region, S::kLambda, "GetPolicy", LambdaParams(name, alias));
      if (r && !PolicyTextReadable(JStr(*r, "Policy"))) {
        Gap(region, qualified, "resource policy", S::kLambda, "GetPolicy",
            Error{ErrorCode::kTooLarge, "the policy text is larger or more deeply nested than any Lambda policy; not parsed"});
      } else if (r) {
        f.alias_policies[alias] = std::move(*r);
      } else if (IsNotFound(r.error())) {
        f.alias_policies[alias] = json();
      } else {
        Gap(region, qualified, "resource policy", S::kLambda, "GetPolicy", r.error());
      }
    }
  }

  // S3 source ARNs name no account: whether a bucket is the account's is this list.
  void ReadBuckets() {
    const std::string region = request_.regions.front();
    aws::CallParams p;
    p.query.emplace_back("max-buckets", "10000");  // needed, and paged, above a 10,000-bucket quota
    auto r = CallAll(region, S::kS3, "ListBuckets", p);
    if (!r) {
      Gap(region, "", "S3 buckets", S::kS3, "ListBuckets", r.error());
      return;
    }
    std::set<std::string> names;
    for (const json& b : JArr(*r, "Buckets")) names.insert(JStr(b, "Name"));
    std::lock_guard lock(mutex_);
    inventory_.buckets = std::move(names);
  }

  void ReadCodeSigningConfig(const std::string& region, const std::string& arn, TaskPool& pool) {
    {
      std::lock_guard lock(mutex_);
      if (!signing_requested_.insert(arn).second) return;
    }
    pool.Submit([this, region, arn] {
      aws::CallParams p;
      p.path["CodeSigningConfigArn"] = arn;
      auto r = Call(region, S::kLambda, "GetCodeSigningConfig", p);
      if (!r) {
        Gap(region, arn, "code signing config", S::kLambda, "GetCodeSigningConfig", r.error());
        return;
      }
      std::lock_guard lock(mutex_);
      inventory_.code_signing_configs[arn] = JAt(*r, "CodeSigningConfig");
    });
  }

  // IAM is global: its calls go to the configured region's endpoint.
  void ReadRole(RoleInventory& role, TaskPool& pool) {
    const std::string home = request_.regions.front();
    if (request_.last_accessed) pool.Submit([this, &role, home] { ReadLastAccessed(role, home); });
    pool.Submit([this, &role, home] {
      auto r = Call(home, S::kIam, "GetRole", FormParams({{"RoleName", role.name}}));
      if (!r) {
        Gap("", role.name, "execution role", S::kIam, "GetRole", r.error());
        return;
      }
      role.role = JAt(*r, "Role");
    });
    pool.Submit([this, &role, home, &pool] {
      auto names = CallAll(home, S::kIam, "ListRolePolicies", FormParams({{"RoleName", role.name}}));
      if (!names) {
        Gap("", role.name, "inline policies", S::kIam, "ListRolePolicies", names.error());
        MarkIncomplete(role.arn);
        return;
      }
      for (const std::string& policy : JStrings(JAt(*names, "PolicyNames"))) {
        pool.Submit([this, &role, home, policy] {
          auto doc = Call(home, S::kIam, "GetRolePolicy", FormParams({{"RoleName", role.name}, {"PolicyName", policy}}));
          if (!doc) {
            Gap("", role.name, "inline policy " + policy, S::kIam, "GetRolePolicy", doc.error());
            MarkIncomplete(role.arn);
            return;
          }
          std::lock_guard lock(mutex_);
          inline_[role.arn].push_back({"inline", policy, "", DecodePolicyDocument(JStr(*doc, "PolicyDocument"))});
        });
      }
    });
    pool.Submit([this, &role, home, &pool] {
      auto attached = CallAll(home, S::kIam, "ListAttachedRolePolicies", FormParams({{"RoleName", role.name}}));
      if (!attached) {
        Gap("", role.name, "attached policies", S::kIam, "ListAttachedRolePolicies", attached.error());
        MarkIncomplete(role.arn);
        return;
      }
      for (const json& a : JArr(*attached, "AttachedPolicies")) {
        const std::string arn = JStr(a, "PolicyArn");
        {
          std::lock_guard lock(mutex_);
          attached_by_role_[role.arn].push_back({"attached", JStr(a, "PolicyName"), arn, json()});
          if (!policy_requested_.insert(arn).second) continue;
        }
        pool.Submit([this, home, arn] { ReadManagedPolicy(home, arn); });
      }
    });
  }

  // IAM's last-accessed report: a job IAM runs (seconds, usually), polled until it ends.
  void ReadLastAccessed(RoleInventory& role, const std::string& home) {
    auto job = Call(home, S::kIam, "GenerateServiceLastAccessedDetails", FormParams({{"Arn", role.arn}, {"Granularity", "ACTION_LEVEL"}}));
    if (!job) {
      Gap("", role.name, "last-accessed report", S::kIam, "GenerateServiceLastAccessedDetails", job.error());
      return;
    }
    const std::string id = JStr(*job, "JobId");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(request_.last_accessed_wait_seconds);
    for (int attempt = 0;; ++attempt) {
      auto got = Call(home, S::kIam, "GetServiceLastAccessedDetails", FormParams({{"JobId", id}}));
      if (!got) {
        Gap("", role.name, "last-accessed report", S::kIam, "GetServiceLastAccessedDetails", got.error());
        return;
      }
      const std::string status = JStr(*got, "JobStatus");
      if (status == "COMPLETED") {
        json services = JAt(*got, "ServicesLastAccessed").is_array() ? JAt(*got, "ServicesLastAccessed") : json::array();
        // Later pages by Marker; a bounded number, for an answer that never ends.
        // The query protocol's XML gives booleans as text.
        auto truncated = [](const json& page) { return JAt(page, "IsTruncated") == "true" || JAt(page, "IsTruncated") == true; };
        for (int page = 1; truncated(*got) && !JStr(*got, "Marker").empty(); ++page) {
          if (page >= 100) {
            Gap("", role.name, "last-accessed report", S::kIam, "GetServiceLastAccessedDetails",
                Error{ErrorCode::kCorruptInput, "more than 100 pages: not believed"});
            return;
          }
          got = Call(home, S::kIam, "GetServiceLastAccessedDetails", FormParams({{"JobId", id}, {"Marker", JStr(*got, "Marker")}}));
          if (!got) {
            Gap("", role.name, "last-accessed report", S::kIam, "GetServiceLastAccessedDetails", got.error());
            return;
          }
          for (const json& s : JArr(*got, "ServicesLastAccessed")) services.push_back(s);
        }
        role.last_accessed = std::move(services);
        return;
      }
      if (status != "IN_PROGRESS" || std::chrono::steady_clock::now() > deadline) {
        const std::string why = status == "IN_PROGRESS" ? fmt::format("IAM's job {} did not finish in {} s", id, request_.last_accessed_wait_seconds)
                                                        : fmt::format("IAM's job {} ended {}: {}", id, status, JStr(JAt(*got, "Error"), "Message"));
        Gap("", role.name, "last-accessed report", S::kIam, "GetServiceLastAccessedDetails", Error{ErrorCode::kUnavailable, why});
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(attempt == 0 ? 500 : 2000));
    }
  }

  void ReadManagedPolicy(const std::string& home, const std::string& arn) {
    auto policy = Call(home, S::kIam, "GetPolicy", FormParams({{"PolicyArn", arn}}));
    if (!policy) {
      Gap("", arn, "managed policy", S::kIam, "GetPolicy", policy.error());
      return;
    }
    const std::string version = JStr(JAt(*policy, "Policy"), "DefaultVersionId");
    auto doc = Call(home, S::kIam, "GetPolicyVersion", FormParams({{"PolicyArn", arn}, {"VersionId", version}}));
    if (!doc) {
      Gap("", arn, "managed policy document", S::kIam, "GetPolicyVersion", doc.error());
      return;
    }
    std::lock_guard lock(mutex_);
    managed_[arn] = DecodePolicyDocument(JStr(JAt(*doc, "PolicyVersion"), "Document"));
  }

  void MarkIncomplete(const std::string& role_arn) {
    std::lock_guard lock(mutex_);
    incomplete_.insert(role_arn);
  }

  void AssembleRolePolicies() {
    for (auto& [arn, role] : inventory_.roles) {
      bool complete = !incomplete_.count(arn);
      auto& docs = inline_[arn];
      std::sort(docs.begin(), docs.end(), [](const RolePolicyDocument& a, const RolePolicyDocument& b) { return a.name < b.name; });
      role.policies = docs;
      for (RolePolicyDocument a : attached_by_role_[arn]) {
        auto found = managed_.find(a.arn);
        if (found == managed_.end()) {
          complete = false;
          continue;
        }
        a.document = found->second;
        role.policies.push_back(std::move(a));
      }
      role.policies_complete = complete;
    }
  }

  // The trails DescribeTrails shows in the region (its own and multi-region ones), each with
  // its selectors and logging status, read in the trail's home region once for all regions.
  void ReadMappings(size_t index) {
    RegionInventory& r = inventory_.regions[index];
    if (!r.functions_listed) return;
    auto got = CallAll(r.region, S::kLambda, "ListEventSourceMappings", {});
    if (!got) {
      Gap(r.region, "", "event source mappings", S::kLambda, "ListEventSourceMappings", got.error());
      return;
    }
    std::lock_guard lock(mutex_);
    r.event_source_mappings = JArr(*got, "EventSourceMappings");
  }

  void ReadTrails(size_t index, TaskPool& pool) {
    const std::string region = inventory_.regions[index].region;
    if (!inventory_.regions[index].functions_listed) return;
    auto trails = Call(region, S::kCloudTrail, "DescribeTrails", {});
    if (!trails) {
      Gap(region, "", "trails", S::kCloudTrail, "DescribeTrails", trails.error());
    } else {
      json list = JArr(*trails, "trailList");
      {
        std::lock_guard lock(mutex_);
        inventory_.regions[index].trails = list;
      }
      for (size_t t = 0; t < list.size(); ++t) {
        const std::string arn = JStr(list[t], "TrailARN");
        const std::string home = JStr(list[t], "HomeRegion", region);
        {
          std::lock_guard lock(mutex_);
          if (!trail_requested_.insert(arn).second) continue;
        }
        pool.Submit([this, arn, home] { ReadTrail(arn, home); });
      }
    }
    ReadLogGroups(index, pool);
  }

  void ReadTrail(const std::string& arn, const std::string& home) {
    aws::CallParams p;
    p.body = json{{"TrailName", arn}};
    auto selectors = Call(home, S::kCloudTrail, "GetEventSelectors", p);
    if (!selectors) Gap(home, arn, "trail event selectors", S::kCloudTrail, "GetEventSelectors", selectors.error());
    aws::CallParams s;
    s.body = json{{"Name", arn}};
    auto status = Call(home, S::kCloudTrail, "GetTrailStatus", s);
    if (!status) Gap(home, arn, "trail status", S::kCloudTrail, "GetTrailStatus", status.error());
    std::lock_guard lock(mutex_);
    json& details = trail_details_[arn];
    if (selectors) details["Selectors"] = *selectors;
    if (status) details["IsLogging"] = JAt(*status, "IsLogging");
  }

  void ReadLogGroups(size_t index, TaskPool& pool) {
    const std::string region = inventory_.regions[index].region;
    std::set<std::string> custom;
    {
      std::lock_guard lock(mutex_);
      for (const FunctionInventory& f : inventory_.functions) {
        const std::string group = JStr(JAt(f.configuration, "LoggingConfig"), "LogGroup");
        if (f.region == region && !group.empty() && group.rfind(kLambdaLogPrefix, 0) != 0) custom.insert(group);
      }
    }
    std::vector<std::string> prefixes{kLambdaLogPrefix};
    prefixes.insert(prefixes.end(), custom.begin(), custom.end());
    for (const std::string& prefix : prefixes) {
      pool.Submit([this, index, region, prefix] {
        aws::CallParams p;
        p.body = json{{"logGroupNamePrefix", prefix}};
        auto groups = CallAll(region, S::kLogs, "DescribeLogGroups", p);
        std::lock_guard lock(mutex_);
        auto& into = inventory_.regions[index].log_groups;
        if (!groups) {
          if (!log_gap_.insert(region).second) return;
          inventory_.gaps.push_back({region, "", "log groups", "logs:DescribeLogGroups",
                                     fmt::format("{}: {}", ToString(groups.error().code), groups.error().message),
                                     aws::RemedyFor(groups.error())});
          log_failed_.insert(region);
          return;
        }
        if (!into) into.emplace();
        for (const json& g : JArr(*groups, "logGroups")) (*into)[JStr(g, "logGroupName")] = g;
      });
    }
  }

  // Trail details land in each region's list once every read has ended.
  void AttachTrailDetails() {
    for (RegionInventory& r : inventory_.regions) {
      if (log_failed_.count(r.region)) r.log_groups.reset();
      if (!r.trails) continue;
      for (json& t : *r.trails) {
        auto found = trail_details_.find(JStr(t, "TrailARN"));
        if (found == trail_details_.end()) continue;
        for (const auto& [key, value] : found->second.items()) t[key] = value;
      }
    }
  }

  AwsCalls calls_;
  const InventoryRequest& request_;
  AccountInventory inventory_;
  std::mutex mutex_;
  std::optional<Error> home_list_error_;  // why the first region's functions could not be listed
  std::set<std::string> signing_requested_, policy_requested_, trail_requested_, incomplete_, log_gap_, log_failed_;
  std::map<std::string, std::vector<RolePolicyDocument>> inline_, attached_by_role_;
  std::map<std::string, json> managed_, trail_details_;
};

}  // namespace

void ReconcileNamedFunctions(const std::vector<AccountInventory*>& inventories) {
  auto has = [](const AccountInventory& inventory, const std::string& wanted) {
    return std::any_of(inventory.functions.begin(), inventory.functions.end(), [&](const FunctionInventory& f) {
      return JStr(f.configuration, "FunctionName") == wanted || JStr(f.configuration, "FunctionArn") == UnqualifiedFunctionArn(wanted);
    });
  };
  std::set<std::string> reported;  // names found nowhere keep their first gap only
  for (AccountInventory* inventory : inventories) {
    std::erase_if(inventory->gaps, [&](InventoryGap& g) {
      if (g.what != "function" || g.error != kNotFound) return false;
      const bool elsewhere = std::any_of(inventories.begin(), inventories.end(), [&](const AccountInventory* other) {
        return other != inventory && has(*other, g.resource);
      });
      if (elsewhere || !reported.insert(g.resource).second) return true;
      g.account.clear();  // no account's
      g.remedy = "check the name, --accounts and --regions: no account or region read lists it";
      return false;
    });
  }
}

Result<AccountInventory> ReadAccountInventory(aws::AwsSession& session, const InventoryRequest& request) {
  if (request.regions.empty()) return MakeError(ErrorCode::kInvalidArgument, "audit: no region to read");
  InventoryReader reader(session, request);
  return reader.Read();
}

const std::vector<aws::OperationRef>& LastAccessedOperations() {
  static const std::vector<aws::OperationRef> ops = {{S::kIam, "GenerateServiceLastAccessedDetails"},
                                                     {S::kIam, "GetServiceLastAccessedDetails"},
                                                     {S::kLambda, "ListEventSourceMappings"}};
  return ops;
}

const std::vector<aws::OperationRef>& InventoryOperations() {
  static const std::vector<aws::OperationRef> ops = {
      {S::kLambda, "ListFunctions"},        {S::kLambda, "GetPolicy"},
      {S::kLambda, "ListFunctionUrlConfigs"}, {S::kLambda, "GetFunctionCodeSigningConfig"},
      {S::kLambda, "ListAliases"},          {S::kS3, "ListBuckets"},
      {S::kLambda, "GetCodeSigningConfig"}, {S::kLambda, "ListFunctionEventInvokeConfigs"},
      {S::kIam, "GetRole"},                 {S::kIam, "ListRolePolicies"},
      {S::kIam, "GetRolePolicy"},           {S::kIam, "ListAttachedRolePolicies"},
      {S::kIam, "GetPolicy"},               {S::kIam, "GetPolicyVersion"},
      {S::kCloudTrail, "DescribeTrails"},   {S::kCloudTrail, "GetEventSelectors"},
      {S::kCloudTrail, "GetTrailStatus"},   {S::kLogs, "DescribeLogGroups"},
  };
  return ops;
}

}  // namespace lir
