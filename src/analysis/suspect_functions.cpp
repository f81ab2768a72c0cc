#include "analysis/suspect_functions.h"

#include <map>
#include <set>

#include "sources/event.h"

namespace lir {

std::vector<SuspectFunction> FunctionsCreatedBySuspects(const std::vector<Finding>& findings) {
  std::map<std::string, std::string> suspect_because;  // actor -> a high/critical finding's title
  for (const Finding& f : findings) {
    if (f.severity >= Severity::kHigh && !f.actor.empty() && !suspect_because.count(f.actor)) {
      suspect_because[f.actor] = f.rule_id + ": " + f.title;
    }
  }
  std::vector<SuspectFunction> out;
  std::set<std::string> seen;
  for (const Finding& f : findings) {
    if (f.rule_id != "lambda_function_created") continue;
    auto suspect = suspect_because.find(f.actor);
    if (suspect == suspect_because.end()) continue;
    const std::string name(FunctionNameFromRef(f.resource));
    if (name.empty() || !seen.insert(name).second) continue;
    out.push_back({name, f.actor, f.time, suspect->second});
  }
  return out;
}

}  // namespace lir
