// One timeline event as the JSON report documents it (docs/analyze-json.md, `timeline`),
// shared by the formats that carry events as JSON.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sources/event.h"

namespace lir {

nlohmann::ordered_json TimelineEventJson(const Event& event, const std::vector<std::string>& rule_ids);

}  // namespace lir
