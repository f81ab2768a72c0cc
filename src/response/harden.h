// harden: fixes for good what audit finds, through the same journal as contain: each change's
// prior state recorded before it is made, idempotent, resumable after a crash, printable as aws
// CLI lines (--dry-run), and undone exactly by `harden --undo --case DIR`.
//
// Fixes: own-role (response/own_role.h), url-auth (URLs to AWS_IAM, the public lambda:InvokeFunctionUrl statements removed),
// resource-policy (public, foreign-account or unconditioned statements removed), dlq (an
// on-failure destination), data-events (a Lambda data-event selector added to a logging trail
// of the region, its other selectors kept), code-signing (an Enforce code signing config
// trusting a signing profile version, given or of a Signer profile harden makes, attached). Each is planned from a fresh audit read of
// the functions, so a function already fixed gets no step.
#pragma once

#include <set>
#include <string>

#include "aws/aws_session.h"
#include "response/response_session.h"

namespace lir {

// The fixes `harden --fixes` knows, in the order they are listed; "all" is every one built.
const std::vector<std::string>& HardenFixes();
// A comma list of fixes or "all"; an unknown name is an error listing the known ones.
Result<std::set<std::string>> ParseHardenFixes(const std::string& list);

struct HardenRequest {
  ResponseRequest common;
  std::set<std::string> fixes;
  bool all = false;                      // --fixes all: fixes lacking their flag are skipped with a warning
  std::string on_failure_destination;    // dlq
  std::string signing_profile_version_arn;  // code-signing: the version trusted, or else
  std::string signing_profile_name;         // the Signer profile found or made ("": lambda_ir_release)
  // own-role: the witnesses of use (audit --least-privilege's), and the evidence (a case or
  // CloudTrail) that attributes role changes to suspects, whose policies are never copied.
  std::vector<std::string> cloudtrail;
  int usage_window_days = 90;
  bool last_accessed = true;
  std::string evidence;
};

ResponseStatus RunHarden(aws::AwsSession& session, const HardenRequest& request, ResponseUi& ui);

// Undoes the latest harden round the case's journal holds, step by step, to the recorded priors.
ResponseStatus RunHardenUndo(aws::AwsSession& session, const ResponseRequest& request, ResponseUi& ui);

}  // namespace lir
