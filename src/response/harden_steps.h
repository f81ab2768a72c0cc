// The changes `harden` makes beyond those contain shares with it (URL auth, statement removal,
// on-failure destination: exposure_steps), and the exact undoing of each for `harden --undo`.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "response/steps.h"

namespace lir {

inline constexpr const char* kKindDataEvents = "data-events";

// The trail's selectors with a Lambda data-event selector added, its others kept: an advanced
// selector when the trail uses advanced ones (or none), else a basic one. `home` is the trail's
// home region, where its selectors are read and put; `functions` the ARNs it is for (nothing
// is added when the trail logs them all by then).
ResponseStep AddLambdaDataEventsStep(const StepContext& ctx, const std::string& trail_arn, const std::string& home,
                                     const nlohmann::json& current, const std::vector<std::string>& functions);
// Undoing, from a done harden step's kind, id and recorded prior state (and result).
RecoveryPlanItem UndoUrlAuth(const StepContext& ctx, const std::string& id, const nlohmann::json& prior);
RecoveryPlanItem UndoStatementRemoval(const StepContext& ctx, const std::string& id, const nlohmann::json& prior);
// Takes out the selector harden added, keeping whatever else the trail has by then.
RecoveryPlanItem UndoDataEvents(const StepContext& ctx, const std::string& id, const nlohmann::json& prior);

// AddPermission's parameters that recreate a statement GetPolicy returned, or why they cannot
// (a condition AddPermission has no parameter for).
Result<nlohmann::json> AddPermissionBody(const nlohmann::json& statement);

}  // namespace lir
