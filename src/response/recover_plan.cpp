#include "response/recover_plan.h"

#include <fmt/format.h>

namespace lir {

using nlohmann::json;

RecoveryPlan PlanRecovery(const StepContext& ctx, const std::vector<JournalStep>& contained, const std::string& contain_prefix) {
  RecoveryPlan plan;
  for (const JournalStep& step : contained) {
    if (step.prior_state.empty()) {
      // Intent recorded but the prior never read: the change cannot have been made.
      plan.unfinished.push_back(step.key);
      continue;
    }
    const std::string rest = step.key.substr(contain_prefix.size());
    const size_t slash = rest.find('/');
    const std::string kind = rest.substr(0, slash);
    const std::string id = slash == std::string::npos ? "" : rest.substr(slash + 1);
    const json prior = json::parse(step.prior_state, nullptr, false);
    RecoveryPlanItem item = RecoveryStep(ctx, kind, id, prior);
    if (item.restorable) {
      plan.steps.push_back(std::move(item.step));
    } else {
      plan.kept.push_back(item.reason);
    }
  }
  return plan;
}

ResponseStep RecoveryCompleteStep(const StepContext& ctx) {
  ResponseStep s;
  s.key = ctx.key_prefix + "complete";
  s.action = fmt::format("(recovery of {} complete)", ctx.function);
  s.phase = 100;
  s.known_prior = json::object();
  s.apply = [](const json&) { return Result<json>(json{{"complete", true}}); };
  return s;
}

}  // namespace lir
