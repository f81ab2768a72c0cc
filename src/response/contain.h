// contain: stop functions without destroying them. The first change is reserved
// concurrency 0, one round trip after the function is read (the snapshot's own GetFunction,
// which records the prior value); the snapshot's rest runs beside it, packages last;
// everything else is planned while the throttle lands, and what rewrites evidence waits for
// the snapshot. A read that fails only costs the steps that need it; the report says what
// was done, what was not and why, and what to run or grant next.
#pragma once

#include "aws/aws_session.h"
#include "response/contain_plan.h"
#include "response/response_session.h"

namespace lir {

struct ContainRequest {
  ResponseRequest common;
  ContainOptions options;
  // Preflight: every read tried for real, every change's permission asked of IAM's policy
  // simulator, nothing changed and no case written.
  bool check = false;
};

ResponseStatus RunContain(aws::AwsSession& session, const ContainRequest& request, ResponseUi& ui);

}  // namespace lir
