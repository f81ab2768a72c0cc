// Where the functions a responder names live, when they are not all in the caller's account
// and region (`--accounts`, `--regions` of collect, investigate, contain): a name is searched
// with GetFunctionConfiguration in each region of each account (entered as account_scope
// enters it); an ARN names its own account and region and is not searched. Read only.
#pragma once

#include <string>
#include <vector>

#include "aws/sts_client.h"
#include "response/account_scope.h"

namespace lir {

struct FunctionPlace {
  std::string account, region;
  std::string arn;  // the function's ARN there (unqualified)
  bool operator==(const FunctionPlace&) const = default;
};

struct LocateRequest {
  std::vector<std::string> functions;  // names or ARNs
  std::vector<std::string> regions;    // where names are searched
  // `--regions all`: in each account, only those of `regions` it has enabled (EnabledRegions).
  bool enabled_regions_only = false;
  AccountScope scope;
  int account_jobs = 4;
  int region_jobs = 4;  // regions of one account asked at once
};

struct FunctionLocation {
  std::string function;              // as named
  std::vector<FunctionPlace> places;  // where it is: accounts as asked, then regions as asked
};

struct LocateOutcome {
  std::vector<FunctionLocation> functions;  // in the order named
  // Where a name could not be looked for: an account not entered, or a region that answered
  // with an error other than "no such function" ("ACCOUNT REGION: error"). A function not
  // found may be there.
  std::vector<std::string> unsearched;
  // What the user should know but that leaves the search whole: an account whose enabled
  // regions could not be listed (every region was asked there instead).
  std::vector<std::string> warnings;
};

LocateOutcome LocateFunctions(aws::AwsSession& caller, const aws::CallerIdentity& identity, const std::vector<AccountTarget>& accounts,
                              const LocateRequest& request);

// The account and region of "arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]"
// (a region that is no region's name and an account that is not 12 digits do not parse);
// nullopt for anything else.
std::optional<FunctionPlace> PlaceOfArn(const std::string& ref);

// The one place every function is in, or why there is none: a function found nowhere, in
// several places (name it by ARN), or the functions in different accounts or regions (one
// case holds one account and region: act on them one place at a time). `complete`: a search
// that failed anywhere is refused too, the function found perhaps a decoy of the one that
// could not be looked for (what a change needs; evidence can be taken from what was found).
Result<FunctionPlace> OnePlace(const LocateOutcome& outcome, bool complete);

}  // namespace lir
