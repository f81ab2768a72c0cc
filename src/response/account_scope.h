// Which accounts a live command acts on (`--accounts all|ID,...`), and a session in each:
// the caller's own account with the caller's credentials, every other one through a role
// assumed by name (`--assume-role-name`, AWS Organizations' default
// OrganizationAccountAccessRole, with an external id when the role's trust asks for one).
// "all" is the organisation's active accounts (organizations:ListAccounts, which the
// management account or a delegated administrator may call).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aws/aws_session.h"
#include "core/result.h"

namespace lir {

struct AccountTarget {
  std::string id;
  std::string name;   // the organisation's name for it; empty when named on the command line
  std::string state;  // the organisation's State (ACTIVE, SUSPENDED, ...); empty when named
};

struct ResolvedAccounts {
  std::vector<AccountTarget> targets;   // to act on, the caller's first
  std::vector<AccountTarget> inactive;  // listed by the organisation but not ACTIVE: not entered
};

struct AccountScope {
  std::string flag;  // "" (the caller's account), "all", or "ID,ID,..."
  std::string role_name = "OrganizationAccountAccessRole";
  std::string external_id;
  std::string session_name = "lambda-ir";
};

// The accounts of `flag`, the caller's first when it is among them, each once. A malformed id
// or an organisation that cannot be listed is an error (nothing has been done yet).
Result<ResolvedAccounts> ResolveAccounts(aws::AwsSession& session, const std::string& flag, const std::string& caller_account);

// What to do when the organisation's accounts cannot be listed: where ListAccounts answers
// (the management account or a delegated administrator), or that there is no organisation.
std::string ListAccountsRemedy(const Error& error);

// The regions of `flag`: "" the caller's (`home`), "all" the partition's Lambda regions with
// `home` first, else R1,R2,... each once. An error when it names none or something that is no
// region's name.
Result<std::vector<std::string>> ResolveRegions(const std::string& flag, const std::string& home);

// Of `regions`, in their order, those the account `session` acts in has enabled:
// ec2:DescribeRegions (without AllRegions) lists only those, and a region listed as
// "not-opted-in" (an emulator lists every region) is left out. `--regions all` is the
// partition's Lambda regions cut to these, so an opt-in region the account never enabled is
// not asked (its calls would only fail).
Result<std::vector<std::string>> EnabledRegions(aws::AwsSession& session, const std::vector<std::string>& regions);


// The partition an ARN is in (aws, aws-cn, aws-us-gov); "aws" for what is not an ARN.
std::string PartitionOf(const std::string& arn);

// The role assumed in `account`: arn:PARTITION:iam::ACCOUNT:role/NAME, with the caller's
// partition (taken from its ARN).
std::string AssumedRoleArn(const std::string& caller_arn, const std::string& account, const std::string& role_name);

struct AccountSession {
  AccountTarget account;
  std::string role_arn;                   // empty for the caller's own account
  aws::AwsSession* session = nullptr;     // the caller's, or `owned`
  std::unique_ptr<aws::AwsSession> owned;
};

// A session acting in `account`, in `region` when given (else the caller's). The role is
// assumed here, once, so an account whose role is missing, untrusting or denied fails now with
// AssumeRole's error (naming the role) instead of on every later call.
Result<AccountSession> OpenAccountSession(aws::AwsSession& caller, const std::string& caller_account,
                                          const std::string& caller_arn, const AccountTarget& account,
                                          const AccountScope& scope, const std::string& region = "");

// `--regions all` in the account `s` acts in: the enabled ones of `regions`, else (they cannot
// be listed) all of `regions`, with `*warning` saying why, that every region was `done`
// ("read", "searched") instead, and what to do about it.
std::vector<std::string> RegionsOfAccount(const AccountSession& s, const std::vector<std::string>& regions, const char* done,
                                          std::string* warning);

// An account that could not be entered (its role, and AssumeRole's error), or whose work threw
// (role_arn empty).
struct AccountFailure {
  AccountTarget account;
  std::string role_arn;
  Error error;
};

// Enters each account (OpenAccountSession) and runs `work(index, session)` in it, `parallel`
// accounts at a time, each with its own session; an account that cannot be entered is
// returned and the others go on. `work` runs on several threads at once.
std::vector<AccountFailure> ForEachAccount(aws::AwsSession& caller, const aws::CallerIdentity& identity,
                                           const std::vector<AccountTarget>& accounts, const AccountScope& scope, int parallel,
                                           const std::function<void(size_t index, AccountSession& session)>& work);

}  // namespace lir
