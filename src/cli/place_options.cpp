#include "cli/place_options.h"

#include <algorithm>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "aws/aws_error.h"
#include "cli/exit_codes.h"
#include "core/strings.h"

namespace lir {

void AddPlaceOptions(CLI::App* cmd, PlaceArgs* args) {
  cmd->add_option("--accounts", args->accounts,
                  "Search these accounts for the function: ID,ID,... or all (the organisation's active accounts); each other "
                  "than the caller's entered through --assume-role-name (default: the caller's account)");
  cmd->add_option("--regions", args->regions, "Search these regions for the function: R1,R2,... or all (each account's enabled regions; default: the "
                  "configured region)");
  cmd->add_option("--assume-role-name", args->assume_role_name,
                  "The role assumed in another account (default OrganizationAccountAccessRole)");
  cmd->add_option("--external-id", args->external_id, "The external id the role's trust policy asks for");
  cmd->add_option("--account-jobs", args->account_jobs, "Accounts searched at once (default 4)")->check(CLI::Range(1, 32));
}

std::optional<EnteredPlace> EnterFunctionsPlace(aws::AwsSession& caller, const aws::CallerIdentity& identity,
                                                const std::vector<std::string>& functions, const PlaceArgs& args,
                                                const std::string& verb, bool changes, int* exit_code) {
  const auto configured = caller.config().region();
  const std::string home = configured ? configured->value : "us-east-1";
  if (args.accounts.empty() && args.regions.empty()) {
    EnteredPlace here;
    here.place = {identity.account, home, ""};
    here.session.account = {identity.account, "", ""};
    here.session.session = &caller;
    return here;
  }
  auto fail = [&](int code, const std::string& message, const std::string& next = "") -> std::optional<EnteredPlace> {
    fmt::print(stderr, "lambda-ir: {}: {}\n{}", verb, message, next.empty() ? "" : "  next: " + next + "\n");
    *exit_code = code;
    return std::nullopt;
  };
  auto accounts = ResolveAccounts(caller, args.accounts, identity.account);
  if (!accounts) {
    if (accounts.error().code == ErrorCode::kInvalidArgument) return fail(kExitUsage, accounts.error().message);
    return fail(kExitAws, fmt::format("--accounts {}: {}", SanitizeForTerminal(args.accounts), accounts.error().message),
                ListAccountsRemedy(accounts.error()));
  }
  LocateRequest request;
  request.functions = functions;
  auto regions = ResolveRegions(args.regions, home);
  if (!regions) return fail(kExitUsage, regions.error().message);
  request.regions = std::move(*regions);
  request.enabled_regions_only = args.regions == "all";
  const std::string partition = PartitionOf(identity.arn);
  for (const std::string& f : functions) {
    const auto arn = PlaceOfArn(f);
    // A name, or a whole ARN: a partial ARN (ACCOUNT:function:NAME) would be looked up in the
    // account of each session asking, where Lambda may resolve it across accounts.
    if (!arn && (f.rfind("arn:", 0) == 0 || f.find(':') != std::string::npos)) {
      return fail(kExitUsage, fmt::format("'{}' is neither a function name nor a function ARN (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME)",
                                          SanitizeForTerminal(f)));
    }
    if (arn && PartitionOf(arn->arn) != partition) {
      return fail(kExitUsage, fmt::format("{} is not in the caller's partition ({})", SanitizeForTerminal(f), partition));
    }
    // An ARN names its account: only one of those asked is entered.
    if (arn && std::none_of(accounts->targets.begin(), accounts->targets.end(), [&](const AccountTarget& a) { return a.id == arn->account; })) {
      return fail(kExitUsage, fmt::format("{} is in account {}, which --accounts does not name", SanitizeForTerminal(f), arn->account),
                  fmt::format("add it: --accounts {}", arn->account));
    }
  }
  request.scope.flag = args.accounts;
  request.scope.role_name = args.assume_role_name;
  request.scope.external_id = args.external_id;
  request.scope.session_name = "lambda-ir-" + verb;
  request.account_jobs = args.account_jobs;
  const LocateOutcome located = LocateFunctions(caller, identity, accounts->targets, request);
  for (const std::string& w : located.warnings) fmt::print(stderr, "lambda-ir: {}: warning: {}\n", verb, w);
  auto place = OnePlace(located, changes);
  if (!place) {
    switch (place.error().code) {
      case ErrorCode::kNotFound:
        return fail(kExitAws, place.error().message,
                    located.unsearched.empty() ? "" : "give the searches that failed what they lack, or name the function by its ARN");
      case ErrorCode::kConflict:
        return fail(kExitRefused, place.error().message + ". Nothing changed",
                    "name the function by its ARN (no search), or give the searches that failed what they lack");
      default: return fail(kExitUsage, place.error().message);
    }
  }
  for (const std::string& u : located.unsearched) fmt::print(stderr, "lambda-ir: {}: warning: not searched: {}\n", verb, u);
  auto session = OpenAccountSession(caller, identity.account, identity.arn, {place->account, "", ""}, request.scope, place->region);
  if (!session) return fail(kExitAws, session.error().message, aws::RemedyFor(session.error()));
  fmt::print(stderr, "lambda-ir: {}: {} in account {}, region {}{}\n", verb, SanitizeForTerminal(fmt::format("{}", fmt::join(functions, ", "))),
             place->account, place->region, session->role_arn.empty() ? "" : ", as " + session->role_arn);
  return EnteredPlace{*place, std::move(*session)};
}

std::string ProfileFor(const EnteredPlace& place, const aws::CallerIdentity& identity, const std::string& caller_profile) {
  return place.place.account == identity.account ? caller_profile : fmt::format("<profile of {}>", place.place.account);
}

}  // namespace lir
