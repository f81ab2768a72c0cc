// The functions eradicate offers to delete: those created by a principal that analysis
// already holds suspect, i.e. the actor of a high or critical finding. A listing for the
// responder to confirm, never a decision: a CI user that was abused also creates real
// functions.
#pragma once

#include <string>
#include <vector>

#include "analysis/finding.h"

namespace lir {

struct SuspectFunction {
  std::string name;     // function name (from the CreateFunction finding's resource)
  std::string creator;  // the suspect principal
  TimestampMs created_at = 0;
  std::string because;  // the high/critical finding that made the creator suspect
};

std::vector<SuspectFunction> FunctionsCreatedBySuspects(const std::vector<Finding>& findings);

}  // namespace lir
