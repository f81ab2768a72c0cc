// Reads what `audit` judges, concurrently and bounded: every function of the regions asked
// (one ListFunctions per region), each function's resource policy, URLs, code signing and
// event invoke configs, each execution role once (trust, inline and attached documents, an
// attached policy read once for all roles), each code signing config once, the trails that
// log each region with their event selectors, and the functions' log groups. A failed read
// is a gap in the inventory with its remedy, and the rest goes on.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "analysis/posture_inventory.h"
#include "aws/aws_session.h"
#include "aws/operations.h"
#include "core/result.h"

namespace lir {

class ProgressMeter;

struct InventoryRequest {
  std::string account;                 // the caller's (GetCallerIdentity)
  std::vector<std::string> regions;    // resolved, the configured region first
  std::vector<std::string> functions;  // names or ARNs; empty: every function of the regions
  int jobs = 8;                        // AWS calls in flight
  // Each role's IAM last-accessed report (GenerateServiceLastAccessedDetails, then polled).
  bool last_accessed = false;
  // Each region's event source mappings (what Lambda polls with the functions' roles).
  bool event_source_mappings = false;
  // Each alias's own resource policy, and the account's S3 buckets (what resource policies are judged by).
  bool alias_policies = true;
  bool buckets = true;
  int last_accessed_wait_seconds = 120;
  // Functions in scope, and each one as its reads end: the CLI's progress line.
  ProgressMeter* progress = nullptr;
};

// Fails only when no region could be listed at all; anything less is a gap.
Result<AccountInventory> ReadAccountInventory(aws::AwsSession& session, const InventoryRequest& request);

// Several accounts' inventories of the same named functions (`audit NAME --accounts`): a name
// found in one account is no gap in the others; a name found in none keeps one gap, of no
// account.
void ReconcileNamedFunctions(const std::vector<AccountInventory*>& inventories);

// The operations the reads call (`lambda-ir permissions audit`).
const std::vector<aws::OperationRef>& InventoryOperations();
// The ones more that `audit --least-privilege` calls.
const std::vector<aws::OperationRef>& LastAccessedOperations();

}  // namespace lir
