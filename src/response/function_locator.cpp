#include "response/function_locator.h"

#include <algorithm>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "aws/aws_data.h"
#include "core/strings.h"
#include "core/task_pool.h"
#include "response/aws_calls.h"

namespace lir {
namespace {

std::string Where(const FunctionPlace& p) { return fmt::format("{} {}", p.account, p.region); }

// The names searched in one region of an entered account. A region the account has not
// enabled answers that the token is invalid there: it holds no function, nothing is missed.
void SearchRegion(aws::AwsSession& session, const std::string& account, const std::string& region, bool home,
                  const std::vector<std::string>& names, std::vector<std::vector<FunctionPlace>>* found,
                  std::vector<std::string>* unsearched, std::mutex* mutex) {
  AwsCalls calls(session);
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) continue;  // an ARN: not searched
    auto config = calls.CallIn(region, aws::Service::kLambda, "GetFunctionConfiguration", LambdaParams(names[i]));
    const std::lock_guard lock(*mutex);
    if (config) {
      const auto arn = config->find("FunctionArn");
      const auto place = arn != config->end() && arn->is_string() ? PlaceOfArn(arn->get<std::string>()) : std::nullopt;
      // The place is where the answer says the function is, and only if that is where it was asked.
      if (place && place->account == account && place->region == region) {
        (*found)[i].push_back(*place);
      } else {
        unsearched->push_back(fmt::format("{} {}: {} (the answer names another place: {})", account, region, SanitizeForTerminal(names[i]),
                                          arn != config->end() && arn->is_string() ? SanitizeForTerminal(arn->get<std::string>()) : "none"));
      }
    } else if (config.error().code == ErrorCode::kUnauthenticated && !home) {
      continue;  // not enabled in this account
    } else if (config.error().code != ErrorCode::kNotFound) {
      unsearched->push_back(fmt::format("{} {}: {} ({}: {})", account, region, SanitizeForTerminal(names[i]), ToString(config.error().code),
                                        SanitizeForTerminal(config.error().message)));
    }
  }
}

}  // namespace

std::optional<FunctionPlace> PlaceOfArn(const std::string& ref) {
  if (ref.rfind("arn:", 0) != 0) return std::nullopt;
  const auto parts = Split(ref, ':');
  if (parts.size() < 7 || parts.size() > 8 || parts[2] != "lambda" || parts[5] != "function" || parts[6].empty() ||
      !aws::IsRegionName(parts[3]) || !IsAccountId(parts[4])) {
    return std::nullopt;
  }
  return FunctionPlace{std::string(parts[4]), std::string(parts[3]),
                       fmt::format("arn:{}:lambda:{}:{}:function:{}", parts[1], parts[3], parts[4], parts[6])};
}

LocateOutcome LocateFunctions(aws::AwsSession& caller, const aws::CallerIdentity& identity, const std::vector<AccountTarget>& accounts,
                              const LocateRequest& request) {
  LocateOutcome out;
  // Per function, per account: its places (accounts searched at once, reported in order).
  std::vector<std::vector<std::vector<FunctionPlace>>> found(accounts.size(),
                                                             std::vector<std::vector<FunctionPlace>>(request.functions.size()));
  std::vector<std::string> names;  // "" for an ARN
  for (const std::string& f : request.functions) names.push_back(PlaceOfArn(f) ? "" : f);
  const bool any_name = std::any_of(names.begin(), names.end(), [](const std::string& n) { return !n.empty(); });
  std::vector<std::vector<std::string>> unsearched(accounts.size());
  std::vector<std::string> warnings(accounts.size());
  std::vector<AccountFailure> unentered;
  if (any_name) {
    unentered = ForEachAccount(caller, identity, accounts, request.scope, request.account_jobs, [&](size_t a, AccountSession& s) {
      // A region not enabled, asked all the same, answers that the credentials are unknown
      // there (passed over in SearchRegion): the search stays whole either way.
      const std::vector<std::string> regions =
          request.enabled_regions_only ? RegionsOfAccount(s, request.regions, "searched", &warnings[a]) : request.regions;
      std::mutex mutex;
      TaskPool pool(std::min(request.region_jobs, static_cast<int>(regions.size())));
      for (const std::string& region : regions) {
        const bool home = region == request.regions.front();
        pool.Submit([&, region, home] { SearchRegion(*s.session, s.account.id, region, home, names, &found[a], &unsearched[a], &mutex); });
      }
      pool.Wait();
    });
  }
  for (size_t i = 0; i < request.functions.size(); ++i) {
    FunctionLocation location{request.functions[i], {}};
    if (auto place = PlaceOfArn(request.functions[i])) {
      location.places.push_back(*place);
    } else {
      for (size_t a = 0; a < accounts.size(); ++a) {
        auto& places = found[a][i];
        // Regions answered in any order: listed as asked.
        std::stable_sort(places.begin(), places.end(), [&](const FunctionPlace& x, const FunctionPlace& y) {
          return std::find(request.regions.begin(), request.regions.end(), x.region) <
                 std::find(request.regions.begin(), request.regions.end(), y.region);
        });
        location.places.insert(location.places.end(), places.begin(), places.end());
      }
    }
    out.functions.push_back(std::move(location));
  }
  for (size_t a = 0; a < accounts.size(); ++a) {
    std::sort(unsearched[a].begin(), unsearched[a].end());
    for (const AccountFailure& f : unentered) {
      if (f.account.id != accounts[a].id) continue;
      out.unsearched.push_back(fmt::format("{}: {} ({})", f.account.id, f.role_arn.empty() ? "search failed" : "not entered",
                                           SanitizeForTerminal(f.error.message)));
    }
    std::move(unsearched[a].begin(), unsearched[a].end(), std::back_inserter(out.unsearched));
    if (!warnings[a].empty()) out.warnings.push_back(std::move(warnings[a]));
  }
  return out;
}

Result<FunctionPlace> OnePlace(const LocateOutcome& outcome, bool complete) {
  const std::string unsearched =
      outcome.unsearched.empty() ? "" : fmt::format("; not searched: {}", fmt::join(outcome.unsearched, "; "));
  std::optional<FunctionPlace> first;
  for (const FunctionLocation& f : outcome.functions) {
    if (f.places.empty()) {
      return MakeError(ErrorCode::kNotFound, fmt::format("{} is in none of the accounts and regions searched{}",
                                                         SanitizeForTerminal(f.function), unsearched));
    }
    if (f.places.size() > 1) {
      std::vector<std::string> arns;
      for (const FunctionPlace& p : f.places) arns.push_back(SanitizeForTerminal(p.arn));
      return MakeError(ErrorCode::kInvalidArgument, fmt::format("{} is in {} places: name one by its ARN: {}", SanitizeForTerminal(f.function),
                                                                f.places.size(), fmt::join(arns, ", ")));
    }
    const FunctionPlace& here = f.places.front();
    if (complete && !outcome.unsearched.empty() && !PlaceOfArn(f.function)) {
      return MakeError(ErrorCode::kConflict, fmt::format("{} was found as {}, but the search was not complete: another {} may be where it "
                                                         "could not look{}",
                                                         SanitizeForTerminal(f.function), SanitizeForTerminal(here.arn),
                                                         SanitizeForTerminal(f.function), unsearched));
    }
    if (!first) {
      first = here;
    } else if (here.account != first->account || here.region != first->region) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("{} is in {} but {} in {}: one case holds one account and region, act on each place apart",
                                   SanitizeForTerminal(outcome.functions.front().function), Where(*first), SanitizeForTerminal(f.function),
                                   Where(here)));
    }
  }
  if (!first) return MakeError(ErrorCode::kInvalidArgument, "no function named");
  return *first;
}

}  // namespace lir
