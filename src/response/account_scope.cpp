#include "response/account_scope.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "aws/api_caller.h"
#include "core/strings.h"

namespace lir {
namespace {

bool IsAccountId(std::string_view id) {
  return id.size() == 12 && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ListAccounts' State (Status was retired in September 2026; older answers carry only it).
bool IsActive(const nlohmann::json& account) {
  const auto state = account.find("State");
  if (state != account.end() && state->is_string()) return *state == "ACTIVE";
  const auto status = account.find("Status");
  return status != account.end() && status->is_string() && *status == "ACTIVE";
}

Result<std::vector<AccountTarget>> OrganisationAccounts(aws::AwsSession& session) {
  aws::ApiCaller caller(aws::Service::kOrganizations, session.context());
  aws::CallParams params;
  params.body = nlohmann::json::object();
  auto listed = caller.CallAll(aws::Op(aws::Service::kOrganizations, "ListAccounts"), params);
  if (!listed) return tl::unexpected(listed.error());
  std::vector<AccountTarget> out;
  const auto accounts = listed->find("Accounts");
  if (accounts == listed->end() || !accounts->is_array()) {
    return MakeError(ErrorCode::kCorruptInput, "organizations:ListAccounts: the answer has no Accounts list");
  }
  for (const nlohmann::json& a : *accounts) {
    if (!a.is_object()) continue;
    const auto id = a.find("Id");
    if (id == a.end() || !id->is_string() || !IsAccountId(id->get<std::string>())) {
      return MakeError(ErrorCode::kCorruptInput, fmt::format("organizations:ListAccounts: an account without a 12-digit Id: {}",
                                                             SanitizeForTerminal(a.dump().substr(0, 200))));
    }
    if (!IsActive(a)) continue;  // suspended or closing: nothing to act on, and no role to assume
    const auto name = a.find("Name");
    out.push_back({id->get<std::string>(), name != a.end() && name->is_string() ? name->get<std::string>() : ""});
  }
  return out;
}

}  // namespace

Result<std::vector<AccountTarget>> ResolveAccounts(aws::AwsSession& session, const std::string& flag,
                                                   const std::string& caller_account) {
  std::vector<AccountTarget> out;
  if (flag.empty()) {
    out.push_back({caller_account, ""});
    return out;
  }
  if (flag == "all") {
    out = LIR_TRY(OrganisationAccounts(session));
    if (out.empty()) return MakeError(ErrorCode::kNotFound, "organizations:ListAccounts: the organisation has no active account");
  } else {
    for (std::string_view id : Split(flag, ',')) {
      id = Trim(id);
      if (!IsAccountId(id)) {
        return MakeError(ErrorCode::kInvalidArgument,
                         fmt::format("--accounts: '{}' is not a 12-digit account id (ID,ID,... or all)", SanitizeForTerminal(id)));
      }
      if (std::none_of(out.begin(), out.end(), [&](const AccountTarget& a) { return a.id == id; })) out.push_back({std::string(id), ""});
    }
  }
  // The caller's own account first: it needs no role, and its report section leads.
  std::stable_partition(out.begin(), out.end(), [&](const AccountTarget& a) { return a.id == caller_account; });
  return out;
}

std::string AssumedRoleArn(const std::string& caller_arn, const std::string& account, const std::string& role_name) {
  // arn:PARTITION:...: aws, aws-cn, aws-us-gov.
  std::string partition = "aws";
  if (caller_arn.rfind("arn:", 0) == 0) {
    const size_t end = caller_arn.find(':', 4);
    if (end != std::string::npos && end > 4) partition = caller_arn.substr(4, end - 4);
  }
  return fmt::format("arn:{}:iam::{}:role/{}", partition, account, role_name);
}

Result<AccountSession> OpenAccountSession(aws::AwsSession& caller, const std::string& caller_account,
                                          const std::string& caller_arn, const AccountTarget& account,
                                          const AccountScope& scope) {
  AccountSession out;
  out.account = account;
  if (account.id == caller_account) {
    out.session = &caller;
    return out;
  }
  aws::StsApi::AssumeRoleRequest request;
  request.role_arn = AssumedRoleArn(caller_arn, account.id, scope.role_name);
  request.session_name = scope.session_name;
  request.external_id = scope.external_id;
  out.role_arn = request.role_arn;
  out.owned = aws::AwsSession::Assumed(caller, std::move(request));
  out.session = out.owned.get();
  if (auto assumed = out.session->credentials(); !assumed) {
    Error e = assumed.error();
    e.operation = "AssumeRole";
    e.iam_action = "sts:AssumeRole";
    // "AssumeRole: AccessDenied: ..." names the role it was for.
    constexpr std::string_view kPrefix = "AssumeRole: ";
    if (e.message.rfind(kPrefix, 0) == 0) e.message.erase(0, kPrefix.size());
    e.message = fmt::format("AssumeRole {}: {}", out.role_arn, e.message);
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
      work(i, *session);
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
