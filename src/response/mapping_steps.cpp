// Event source mappings: disabled (and waited for until Lambda reports Disabled, since
// it keeps polling while Disabling), and re-enabled at recovery only if they were enabled.
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "core/json_util.h"
#include "response/steps.h"

namespace lir {

using nlohmann::json;

namespace {

aws::CallParams MappingParams(const std::string& uuid) {
  aws::CallParams p;
  p.path["UUID"] = uuid;
  return p;
}

bool WasEnabled(const json& prior) {
  const std::string state = JStr(prior, "State");
  return state == "Enabled" || state == "Enabling" || state == "Updating" || state == "Creating";
}

Result<json> SetEnabled(AwsCalls& calls, const std::string& uuid, bool enabled, int wait_seconds) {
  aws::CallParams p = MappingParams(uuid);
  p.body = json{{"Enabled", enabled}};
  auto updated = calls.Call(aws::Service::kLambda, "UpdateEventSourceMapping", p);
  // In transition already (a crashed run's change): wait for it rather than fail.
  if (!updated && updated.error().code != ErrorCode::kConflict) return tl::unexpected(updated.error());
  const std::string want = enabled ? "Enabled" : "Disabled";
  json settled = updated && JStr(*updated, "State") == want ? *updated : LIR_TRY(WaitForMappingState(calls, uuid, want, wait_seconds));
  return json{{"UUID", uuid}, {"State", JStr(settled, "State")}};
}

}  // namespace

Result<json> WaitForMappingState(AwsCalls& calls, const std::string& uuid, const std::string& want, int wait_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  auto pause = std::chrono::milliseconds(200);
  while (true) {
    json doc = LIR_TRY(calls.Call(aws::Service::kLambda, "GetEventSourceMapping", MappingParams(uuid)));
    const std::string state = JStr(doc, "State");
    if (state == want) return doc;
    if (std::chrono::steady_clock::now() + pause > deadline) {
      return MakeError(ErrorCode::kUnavailable, fmt::format("event source mapping {} is still {} after {} s (wanted {}); run the command "
                                                            "again to go on waiting",
                                                            uuid, state, wait_seconds, want));
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(2000));
  }
}

ResponseStep DisableMappingStep(const StepContext& ctx, const std::string& uuid, const std::string& source, const std::string& state) {
  ResponseStep s;
  s.key = ctx.key_prefix + kKindMapping + "/" + uuid;
  s.action = AwsCliLine("lambda", "update-event-source-mapping", {{"--uuid", uuid}, {"--no-enabled"}}, ctx.cli);
  s.summary = fmt::format("event source mapping {} ({}) of {}: {}-> Disabled", uuid, source, ctx.function, state.empty() ? "" : state + " ");
  s.describe = [uuid, source, function = ctx.function](const json& prior) {
    return fmt::format("event source mapping {} ({}) of {}: {} -> Disabled", uuid, source, function, JStr(prior, "State", "?"));
  };
  s.phase = 2;
  s.read_prior = [calls = ctx.calls, uuid]() -> Result<json> {
    auto read = calls->Call(aws::Service::kLambda, "GetEventSourceMapping", MappingParams(uuid));
    if (!read && IsNotFound(read.error())) return json{{"UUID", uuid}, {"State", "absent"}};  // deleted: nothing runs through it
    json doc = LIR_TRY(std::move(read));
    return json{{"UUID", uuid}, {"State", JStr(doc, "State")}, {"FunctionArn", JStr(doc, "FunctionArn")},
                {"EventSourceArn", JStr(doc, "EventSourceArn")}};
  };
  s.apply = [calls = ctx.calls, uuid, wait = ctx.wait_seconds](const json& prior) -> Result<json> {
    if (JStr(prior, "State") == "absent") return json{{"UUID", uuid}, {"unchanged", "the mapping does not exist (any more)"}};
    // Disabled before containment: nothing to do, and nothing for recovery to re-enable.
    if (JStr(prior, "State") == "Disabled") return json{{"UUID", uuid}, {"State", "Disabled"}, {"unchanged", "disabled already"}};
    return SetEnabled(*calls, uuid, false, wait);  // harmless if a crashed run disabled it already
  };
  return s;
}

RecoveryPlanItem RecoverMapping(const StepContext& ctx, const std::string& uuid, const json& prior) {
  if (!WasEnabled(prior)) return {false, fmt::format("mapping {} was {} before containment: left disabled", uuid, JStr(prior, "State")), {}};
  ResponseStep s;
  s.key = ctx.key_prefix + kKindMapping + "/" + uuid;
  s.action = AwsCliLine("lambda", "update-event-source-mapping", {{"--uuid", uuid}, {"--enabled"}}, ctx.cli);
  s.summary = fmt::format("event source mapping {} ({}) of {}: Disabled -> Enabled", uuid, JStr(prior, "EventSourceArn"), ctx.function);
  s.phase = 3;  // last: events flow again only once concurrency and permissions are back, and not if they failed
  for (const char* kind : {kKindReserved, kKindProvisioned, kKindDenyPolicy, kKindUrl, kKindDestination}) {
    s.needs.push_back(ctx.key_prefix + kind);
  }
  s.read_prior = [calls = ctx.calls, uuid]() -> Result<json> {
    json doc = LIR_TRY(calls->Call(aws::Service::kLambda, "GetEventSourceMapping", MappingParams(uuid)));
    return json{{"UUID", uuid}, {"State", JStr(doc, "State")}};
  };
  s.apply = [calls = ctx.calls, uuid, wait = ctx.wait_seconds](const json&) { return SetEnabled(*calls, uuid, true, wait); };
  return {true, "", std::move(s)};
}

}  // namespace lir
