// What contain, recover and eradicate share before any plan: who the caller is (the actor of
// every journal line), the account and region they act on, the case with its journal, and
// the scope check: a case whose evidence is of another account or region, or a function ARN
// of another one, is refused before anything is read or changed.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "aws/aws_session.h"
#include "evidence/case.h"
#include "response/aws_calls.h"
#include "response/journal.h"
#include "response/response_ui.h"
#include "response/steps.h"

namespace lir {

// What every response command takes.
struct ResponseRequest {
  std::vector<std::string> functions;  // names or ARNs
  std::string case_dir;                // created (with a configuration snapshot) when missing
  bool dry_run = false;
  bool skip_packages = false;
  int jobs = 8;
  int wait_seconds = 300;
  AwsCliGlobals cli;         // repeated on every printed aws CLI line
  std::string tool_version;  // recorded in a new case's manifest
};

// How a response command ended; the CLI maps these to exit codes (docs/exit-codes.md).
enum class ResponseStatus {
  kDone,        // every step done (or done by an earlier run)
  kPartial,     // some changes made (contain: the function is throttled), others failed or were held back
  kFailed,      // nothing the command is for was done (contain: the function is not throttled)
  kRefused,     // a safety check stopped it before any change (scope, not confirmed, open findings)
  kBadRequest,  // the request itself is unusable (no journal to recover from, unreadable input)
  kCaseError,   // the case could not be written
};

struct Refusal {
  ResponseStatus status;
  std::string message;
};

struct ResponseSession {
  aws::AwsSession* aws = nullptr;
  std::unique_ptr<AwsCalls> calls;
  std::string actor, account, region, endpoint;
  std::vector<std::string> functions;      // names
  std::unique_ptr<EvidenceCase> evidence;  // null in --dry-run without a case
  std::unique_ptr<Journal> journal;        // likewise

  PlanHeader Header(const std::string& verb) const;
  // A custody line for the response; one that cannot be written is a warning to the responder
  // (the response goes on: stopping the function comes first), never dropped.
  void Custody(const std::string& action, const std::string& detail_json, ResponseUi& ui) const;
  StepContext Context(const std::string& key_prefix, const ResponseRequest& request) const;
};

// `create_case`: make the case if it does not exist (contain, eradicate); else it must exist.
tl::expected<std::unique_ptr<ResponseSession>, Refusal> OpenResponseSession(aws::AwsSession& aws, const ResponseRequest& request,
                                                                            const std::string& verb, bool create_case);

// The accounts and regions of the functions whose snapshots a case holds (their FunctionArn).
struct CaseScope {
  std::set<std::string> accounts, regions;
};
CaseScope ReadCaseScope(const std::string& case_dir);

// Empty when evidence of `scope` may drive changes in `account`/`region`; else why not.
std::string ScopeMismatch(const CaseScope& scope, const std::string& account, const std::string& region);

// "arn:aws:lambda:REGION:ACCOUNT:function:NAME" against the target: empty, or why not.
std::string FunctionRefMismatch(const std::string& ref, const std::string& account, const std::string& region);

}  // namespace lir
