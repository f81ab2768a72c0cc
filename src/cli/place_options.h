// Where collect, investigate and contain act when the function is not (only) in the caller's
// account and region: --accounts, --regions, --assume-role-name, --external-id,
// --account-jobs. Without --accounts and --regions nothing is searched: the caller's account
// and region, as before.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/sts_client.h"
#include "response/account_scope.h"
#include "response/function_locator.h"

namespace CLI {
class App;
}

namespace lir {

struct PlaceArgs {
  std::string accounts, regions;
  std::string assume_role_name = "OrganizationAccountAccessRole";
  std::string external_id;
  int account_jobs = 4;
};

void AddPlaceOptions(CLI::App* command, PlaceArgs* args);

struct EnteredPlace {
  FunctionPlace place;     // account and region acted on
  AccountSession session;  // acting there: the caller's, or a role assumed in the account
};

// The one account and region `functions` are in, entered with a session named
// lambda-ir-VERB. `changes`: the command changes what it finds, so a search that failed
// anywhere refuses (the one found may be a decoy); else it is a warning. On failure prints
// why (and what to run next) and sets *exit_code.
std::optional<EnteredPlace> EnterFunctionsPlace(aws::AwsSession& caller, const aws::CallerIdentity& identity,
                                                const std::vector<std::string>& functions, const PlaceArgs& args,
                                                const std::string& verb, bool changes, int* exit_code);

// The aws CLI's --profile for lines run in `place`: the caller's own in its account, else a
// placeholder naming the account (the responder's profile for it is theirs to fill in).
std::string ProfileFor(const EnteredPlace& place, const aws::CallerIdentity& identity, const std::string& caller_profile);

}  // namespace lir
