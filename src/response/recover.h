// recover: undo a containment exactly as the journal recorded it, once the live function no
// longer holds what the case flags (recover_guard.h); --force goes on regardless and says
// so in the custody log. Optionally watches the function afterwards (monitor.h).
#pragma once

#include "aws/aws_session.h"
#include "response/response_session.h"

namespace lir {

struct RecoverRequest {
  ResponseRequest common;
  bool force = false;        // recover although blockers remain (recorded in custody)
  std::string monitor;       // duration, e.g. 48h: alarms expiring after it
  std::string baseline = "7d";
  std::string alarm_topic;
};

ResponseStatus RunRecover(aws::AwsSession& session, const RecoverRequest& request, ResponseUi& ui);

}  // namespace lir
