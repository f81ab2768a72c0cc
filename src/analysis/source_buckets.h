// Resource-policy statements that let S3 invoke a function for a bucket the account does not
// own (deleted, or never its). S3 bucket ARNs name no account: without aws:SourceAccount,
// whoever creates a bucket of that name, in any account, can invoke through the statement.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/config_analysis.h"

namespace lir {

// `buckets`: the account's bucket names (ListBuckets). High without aws:SourceAccount (or with a
// bucket pattern), low with the account's own (stale: nothing can invoke); a statement pinned to
// another account's aws:SourceAccount is FlagPolicyStatements' (a foreign account), not judged here.
std::vector<FlaggedStatement> FlagForeignSourceBuckets(const std::string& policy_text, const std::set<std::string>& buckets,
                                                       std::string_view own_account);

}  // namespace lir
