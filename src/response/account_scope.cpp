#include "response/account_scope.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "aws/api_caller.h"
#include "aws/aws_data.h"
#include "core/strings.h"

namespace lir {
namespace {

std::string StateOf(const nlohmann::json& account) {
  for (const char* key : {"State", "Status"}) {
    const auto value = account.find(key);
    if (value != account.end() && value->is_string()) return value->get<std::string>();
  }
  return "";
}

Result<ResolvedAccounts> OrganisationAccounts(aws::AwsSession& session) {
  aws::ApiCaller caller(aws::Service::kOrganizations, session.context());
  aws::CallParams params;
  params.body = nlohmann::json::object();
  auto listed = caller.CallAll(aws::Op(aws::Service::kOrganizations, "ListAccounts"), params);
  if (!listed) return tl::unexpected(listed.error());
  ResolvedAccounts out;
  const auto accounts = listed->find("Accounts");
  if (accounts == listed->end() || !accounts->is_array()) {
    return MakeError(ErrorCode::kCorruptInput, "organizations:ListAccounts: the answer has no Accounts list");
  }
  std::set<std::string> seen;
  for (const nlohmann::json& a : *accounts) {
    if (!a.is_object()) continue;
    const auto id = a.find("Id");
    if (id == a.end() || !id->is_string() || !IsAccountId(id->get<std::string>())) {
      return MakeError(ErrorCode::kCorruptInput, fmt::format("organizations:ListAccounts: an account without a 12-digit Id: {}",
                                                             SanitizeForTerminal(a.dump().substr(0, 200))));
    }
    // Each account once, as its first entry says (an answer that repeats one would double its
    // findings and make a function found there look found in two places).
    if (!seen.insert(id->get<std::string>()).second) continue;
    const auto name = a.find("Name");
    AccountTarget target{id->get<std::string>(), name != a.end() && name->is_string() ? name->get<std::string>() : "", StateOf(a)};
    // Suspended or closing: nothing runs there and its role cannot be assumed; the report says so.
    (target.state == "ACTIVE" ? out.targets : out.inactive).push_back(std::move(target));
  }
  return out;
}

}  // namespace

Result<ResolvedAccounts> ResolveAccounts(aws::AwsSession& session, const std::string& flag, const std::string& caller_account) {
  ResolvedAccounts resolved;
  std::vector<AccountTarget>& out = resolved.targets;
  if (flag.empty()) {
    out.push_back({caller_account, "", ""});
    return resolved;
  }
  if (flag == "all") {
    resolved = LIR_TRY(OrganisationAccounts(session));
    if (out.empty()) return MakeError(ErrorCode::kNotFound, "organizations:ListAccounts: the organisation has no active account");
  } else {
    std::string bad;
    const std::vector<std::string> ids = AccountIdsIn(flag, &bad);
    if (ids.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("--accounts: '{}' is not a 12-digit account id (ID,ID,... or all)", SanitizeForTerminal(bad)));
    }
    for (const std::string& id : ids) out.push_back({id, "", ""});
  }
  // The caller's own account first: it needs no role, and its report section leads.
  std::stable_partition(out.begin(), out.end(), [&](const AccountTarget& a) { return a.id == caller_account; });
  return resolved;
}

std::string ListAccountsRemedy(const Error& error) {
  if (error.service_code == "AWSOrganizationsNotInUseException") {
    return "the caller's account belongs to no organisation: name the accounts instead (--accounts ID,ID,...)";
  }
  if (error.code == ErrorCode::kPermissionDenied) {
    return "grant organizations:ListAccounts to the caller; it answers only in the organisation's management account or "
           "a delegated administrator's (run from there, or name the accounts: --accounts ID,ID,...)";
  }
  return aws::RemedyFor(error);
}

Result<std::vector<std::string>> ResolveRegions(const std::string& flag, const std::string& home) {
  if (flag.empty()) return std::vector<std::string>{home};
  if (flag == "all") {
    std::vector<std::string> all = aws::LambdaRegions(home);
    std::erase(all, home);
    all.insert(all.begin(), home);
    return all;
  }
  std::vector<std::string> out;
  for (std::string_view r : Split(flag, ',')) {
    r = Trim(r);
    if (r.empty()) continue;
    if (!aws::IsRegionName(r)) {
      return MakeError(ErrorCode::kInvalidArgument, fmt::format("--regions: '{}' is not a region (R1,R2,... or all)", SanitizeForTerminal(r)));
    }
    if (std::find(out.begin(), out.end(), r) == out.end()) out.emplace_back(r);
  }
  if (out.empty()) return MakeError(ErrorCode::kInvalidArgument, fmt::format("--regions: '{}' names no region (R1,R2,... or all)", SanitizeForTerminal(flag)));
  return out;
}

Result<std::vector<std::string>> EnabledRegions(aws::AwsSession& session, const std::vector<std::string>& regions) {
  aws::ApiCaller ec2(aws::Service::kEc2, session.context());
  auto described = ec2.Call(aws::Op(aws::Service::kEc2, "DescribeRegions"), {});
  if (!described) return tl::unexpected(described.error());
  std::set<std::string> enabled;
  const auto listed = described->doc.find("regionInfo");
  if (listed != described->doc.end() && listed->is_array()) {
    for (const nlohmann::json& region : *listed) {
      if (!region.is_object()) continue;
      const auto name = region.find("regionName");
      const auto status = region.find("optInStatus");
      if (name == region.end() || !name->is_string()) continue;
      if (status != region.end() && status->is_string() && status->get<std::string>() == "not-opted-in") continue;
      enabled.insert(name->get<std::string>());
    }
  }
  std::vector<std::string> out;
  for (const std::string& r : regions) {
    if (enabled.count(r) > 0) out.push_back(r);
  }
  // None is no answer to act on (every account has some enabled): the caller reads every region.
  if (out.empty()) {
    Error e{ErrorCode::kCorruptInput, "DescribeRegions: the answer lists none of the regions asked as enabled"};
    e.operation = "DescribeRegions";
    return tl::unexpected(std::move(e));
  }
  return out;
}

std::vector<std::string> RegionsOfAccount(const AccountSession& s, const std::vector<std::string>& regions, const char* done,
                                          std::string* warning) {
  auto enabled = EnabledRegions(*s.session, regions);
  if (enabled) return std::move(*enabled);
  // Every region then: one not enabled answers that the credentials are unknown there, and is
  // passed over by the readers.
  const Error& error = enabled.error();
  const std::string who = s.role_arn.empty() ? std::string("the caller") : "role " + s.role_arn;
  // An answer that lists none of the regions asked has nothing to fix but to read them all.
  const std::string next = error.code == ErrorCode::kPermissionDenied ? "grant ec2:DescribeRegions to " + who
                           : error.code == ErrorCode::kCorruptInput  ? ""
                                                                      : aws::RemedyFor(error, who);
  *warning = fmt::format("account {}: its enabled regions could not be listed ({}): every Lambda region was {}{}", s.account.id,
                         SanitizeForTerminal(error.message), done, next.empty() ? "" : "; " + next);
  return regions;
}

std::string PartitionOf(const std::string& arn) {
  // arn:PARTITION:...: aws, aws-cn, aws-us-gov.
  if (arn.rfind("arn:", 0) == 0) {
    const size_t end = arn.find(':', 4);
    if (end != std::string::npos && end > 4) return arn.substr(4, end - 4);
  }
  return "aws";
}

std::string AssumedRoleArn(const std::string& caller_arn, const std::string& account, const std::string& role_name) {
  return fmt::format("arn:{}:iam::{}:role/{}", PartitionOf(caller_arn), account, role_name);
}

Result<AccountSession> OpenAccountSession(aws::AwsSession& caller, const std::string& caller_account,
                                          const std::string& caller_arn, const AccountTarget& account,
                                          const AccountScope& scope, const std::string& region) {
  AccountSession out;
  out.account = account;
  if (account.id == caller_account) {
    const auto home = caller.config().region();
    if (region.empty() || (home && home->value == region)) {
      out.session = &caller;
    } else {
      out.owned = aws::AwsSession::InRegion(caller, region);
      out.session = out.owned.get();
    }
    return out;
  }
  aws::StsApi::AssumeRoleRequest request;
  request.role_arn = AssumedRoleArn(caller_arn, account.id, scope.role_name);
  request.session_name = scope.session_name;
  request.external_id = scope.external_id;
  out.role_arn = request.role_arn;
  out.owned = aws::AwsSession::Assumed(caller, std::move(request), region);
  out.session = out.owned.get();
  if (auto assumed = out.session->credentials(); !assumed) {
    Error e = assumed.error();
    e.operation = "AssumeRole";
    e.iam_action = "sts:AssumeRole";
    // "AssumeRole: AccessDenied: ..." names the role it was for.
    constexpr std::string_view kPrefix = "AssumeRole: ";
    if (e.message.rfind(kPrefix, 0) == 0) e.message.erase(0, kPrefix.size());
    e.message = fmt::format("AssumeRole {}: {}", out.role_arn, e.message);
    // STS's validation errors quote the value they refuse: the external id stays unsaid.
    if (!scope.external_id.empty()) {
      constexpr std::string_view kHidden = "<external id>";
      for (size_t at = 0; (at = e.message.find(scope.external_id, at)) != std::string::npos; at += kHidden.size()) {
        e.message.replace(at, scope.external_id.size(), kHidden);
      }
    }
    return tl::unexpected(std::move(e));
  }
  return out;
}

std::vector<AccountFailure> ForEachAccount(aws::AwsSession& caller, const aws::CallerIdentity& identity,
                                           const std::vector<AccountTarget>& accounts, const AccountScope& scope, int parallel,
                                           const std::function<void(size_t index, AccountSession& session)>& work) {
  std::vector<std::optional<AccountFailure>> failures(accounts.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < accounts.size();) {
      auto session = OpenAccountSession(caller, identity.account, identity.arn, accounts[i], scope);
      if (!session) {
        failures[i] = AccountFailure{accounts[i], AssumedRoleArn(identity.arn, accounts[i].id, scope.role_name), session.error()};
        continue;
      }
      try {
        work(i, *session);
      } catch (const std::exception& e) {  // a thread must not end the process: the account fails, the others go on
        failures[i] = AccountFailure{accounts[i], "", Error{ErrorCode::kInternal, fmt::format("reading account {}: {}", accounts[i].id, e.what())}};
      }
    }
  };
  const size_t threads = std::min(accounts.size(), static_cast<size_t>(std::max(parallel, 1)));
  std::vector<std::thread> pool;
  pool.reserve(threads > 0 ? threads - 1 : 0);
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  std::vector<AccountFailure> out;
  for (auto& f : failures) {
    if (f) out.push_back(std::move(*f));
  }
  return out;
}

}  // namespace lir
