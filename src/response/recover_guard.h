// Before recovery lets a contained function run again: does the live function still hold
// what the case flags? Code with the CodeSha256 the case's findings are about, a runtime-
// hijacking variable, a public statement or URL, a foreign layer or destination; a deny-all
// about to come off although the role's older sessions were never revoked; an event source
// mapping a suspect principal created, about to be re-enabled. Each blocker says what to
// run first. Live reads only; the offline analysis of the case says what is flagged.
#pragma once

#include <string>
#include <vector>

#include "response/journal.h"
#include "response/recover_plan.h"
#include "response/response_session.h"

namespace lir {

struct RecoveryBlocker {
  std::string what;  // "the code the case flags is still deployed (CodeSha256 ...)"
  std::string fix;   // "eradicate --redeploy DIR"
};

// `case_dir`: read only (a dry run checks too).
std::vector<RecoveryBlocker> RecoveryBlockers(ResponseSession& rs, const std::string& case_dir, const std::string& function,
                                              const std::string& contain_prefix,
                                              const RecoveryPlan& plan, const std::vector<JournalStep>& journal);

}  // namespace lir
