#include "report/event_json.h"

namespace lir {

nlohmann::ordered_json TimelineEventJson(const Event& e, const std::vector<std::string>& rule_ids) {
  using nlohmann::ordered_json;
  return {{"time", FormatIso8601(e.time)},
          {"event_id", e.event_id},
          {"event_name", e.name},
          {"event_name_raw", e.name_raw},
          {"event_source", e.source},
          {"actor", e.actor.Display()},
          {"actor_type", e.actor.type},
          {"access_key_id", e.actor.access_key_id},
          {"source_ip", e.source_ip},
          {"user_agent", e.user_agent},
          {"region", e.region},
          {"account", e.account},
          {"resource", e.ResourceArn()},
          {"error_code", e.error_code.empty() ? ordered_json(nullptr) : ordered_json(e.error_code)},
          {"rule_ids", rule_ids}};
}

}  // namespace lir
