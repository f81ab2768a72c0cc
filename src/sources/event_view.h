// A borrowed view of one record's common fields, read in a single pass over the top-level
// object. Views point into the parsed document and live as long as it does; MakeEvent
// copies one into an owned Event when it is worth keeping.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"
#include "sources/event.h"

namespace simdjson::dom {
class element;
}

namespace lir {

struct EventView {
  std::string_view event_time, source, name_raw, name, region, recipient_account;
  std::string_view source_ip, user_agent, error_code, error_message, event_id, event_type;
  std::optional<bool> read_only;
  TimestampMs time = 0;
  // userIdentity
  std::string_view actor_type, actor_arn, principal_id, actor_account, access_key_id;
  std::string_view user_name, invoked_by, issuer_arn, issuer_name, issuer_type;
  // What the call touched (function name qualifier-stripped; role name).
  std::string_view function, role;

  std::string_view account() const { return recipient_account.empty() ? actor_account : recipient_account; }
  bool succeeded() const { return error_code.empty(); }
  // The key that identifies the acting principal across events.
  std::string_view actor_key() const;
};

// True the first time `bit` of `seen` is asked for: a key given twice in one object counts
// once, the first time, as simdjson's at_key (and so every rule) reads it. The DOM path and
// the skim both read fields so.
inline bool FirstTime(uint32_t* seen, int bit) {
  const uint32_t mask = 1u << bit;
  const bool first = (*seen & mask) == 0;
  *seen |= mask;
  return first;
}

// Fills `view` from `record`. Returns false (with the reason) when the record lacks what
// makes it an event: an eventName and a parseable eventTime.
bool ViewEvent(const simdjson::dom::element& record, EventView* view, std::string* why);

// The last eventTime parsed and what it gave: records of a file come in time order, often
// several to a second.
struct TimeCache {
  std::string text;
  std::optional<TimestampMs> time;
};

// What makes the top-level fields read into `view` an event: an eventName and a parseable
// eventTime (then read, and the name normalised). Null when they do, else why not.
const char* FinishView(EventView* view, TimeCache* cache = nullptr);

Event MakeEvent(const EventView& view, const simdjson::dom::element& record, std::string_view file,
                uint64_t index);

}  // namespace lir
