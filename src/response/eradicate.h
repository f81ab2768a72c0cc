// eradicate: remove the attacker's foothold. Their functions deleted after collection
// (matched by full ARN: evidence of another account or region never names a function
// here), known-good code redeployed and verified, a known-good configuration restored,
// the role's older sessions revoked, or the role recreated without the attacker's trust
// and policies; every alias that served a tainted version repointed to a clean one.
#pragma once

#include <string>
#include <vector>

#include "aws/aws_session.h"
#include "response/response_session.h"

namespace lir {

struct EradicateRequest {
  ResponseRequest common;
  std::vector<std::string> delete_functions;  // names or ARNs: collected, then deleted
  bool delete_attacker_functions = false;     // plus those created by a suspect principal
  std::string evidence;                       // where analysis finds them (default: the case)
  std::string redeploy;                       // DIR, ZIP or git:REPO@REF[:SUBDIR]
  std::string restore_config;                 // FILE, version:N, or pre-incident
  bool revoke_sessions = false;
  bool recreate_role = false;
  bool keep_old_role = false;
  std::vector<std::string> keep;  // trust statement Sids, accounts, policy names or ARNs to carry into the new role
  bool attacker_iam = false;      // the suspects' keys, users, login profiles, roles, layers and mappings
};

ResponseStatus RunEradicate(aws::AwsSession& session, const EradicateRequest& request, ResponseUi& ui);

}  // namespace lir
