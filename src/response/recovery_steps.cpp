#include <fmt/format.h>

#include "response/steps.h"

namespace lir {

RecoveryPlanItem RecoveryStep(const StepContext& ctx, const std::string& kind, const std::string& id, const nlohmann::json& prior) {
  if (kind == kKindProvisioned || kind == kKindReserved) return RecoverConcurrency(ctx, kind, id, prior);
  if (kind == kKindMapping) return RecoverMapping(ctx, id, prior);
  if (kind == kKindDenyPolicy || kind == kKindRevokeSessions) return RecoverRolePolicy(ctx, kind, prior);
  if (kind == kKindUrl || kind == kKindStatement || kind == kKindDestination) return RecoverExposure(ctx, kind, id, prior);
  return {false, fmt::format("unknown step kind {}: nothing restored", kind), {}};
}

}  // namespace lir
