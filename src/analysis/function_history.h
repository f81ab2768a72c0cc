// A function's configuration history reconstructed from CloudTrail: for each field, every
// value it took, when, who set it and from where.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sources/event.h"

namespace lir {

struct FieldChange {
  TimestampMs time = 0;
  std::string value;       // scalar as text, objects and lists as compact JSON
  std::string actor;
  std::string source_ip;
  std::string event_name;
  std::string event_id;
};

struct FunctionHistory {
  std::string function;
  std::vector<std::string> roles;                        // execution roles seen
  std::map<std::string, std::vector<FieldChange>> fields;  // field -> changes, by time
};

// `events` must be sorted by time; only successful calls that touch `function` (or one of
// its roles, for IAM changes) are used.
FunctionHistory BuildFunctionHistory(const std::string& function, const std::vector<std::string>& roles,
                                     const std::vector<Event>& events);

}  // namespace lir
