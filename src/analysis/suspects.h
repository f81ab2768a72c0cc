// The suspect-actor pivot: who and what a high or critical finding implicates. A caller is a
// suspect by its principal, its access key or its source address; what a suspect creates (a
// user, a role, an access key, session credentials) is a suspect in turn, so the backdoor
// user's own calls join the incident. A Lambda execution role is implicated by the session key
// and address that were flagged, never as a whole: the function keeps calling AWS with it,
// innocently. An address alone is weak evidence (an office NAT, a CI provider's range): what
// matches by address only is told as such and rated lower by the engine.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/finding.h"
#include "sources/event.h"

namespace simdjson::dom {
class element;
}

namespace lir {

struct SuspectMatch {
  enum class By { kKey, kPrincipal, kAddress };
  By by = By::kKey;
  const std::string* why = nullptr;  // the reason the identity is a suspect

  // "suspect: ..." or "suspect by address only (1.2.3.4): ..." as told in findings.
  std::string Told(const Event& e) const;
};

class Suspects {
 public:
  // The caller of `e` becomes a suspect; `why` is told in the findings this leads to.
  void AddCaller(const Event& e, bool caller_is_lambda_role, const std::string& why);
  // Identities `record` (a successful call) created: users, roles, access keys. They become
  // suspects; returned to be named in findings.
  std::vector<CreatedIdentity> AddCreated(const simdjson::dom::element& record, const Event& e);

  // How the caller of `e` is a suspect (its key first, then its principal, then its address),
  // or nothing when it is not.
  std::optional<SuspectMatch> Match(const Event& e) const;

  size_t size() const { return why_.size(); }

 private:
  void Add(std::string key, const std::string& why);
  std::map<std::string, std::string> why_;  // "principal:ARN" / "user:NAME" / "key:AKIA..." / "ip:1.2.3.4" -> why
};

}  // namespace lir
