// Evaluates a rule's match expression against one parsed record.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/rule.h"
#include "sources/event_view.h"
#include "sources/record_sink.h"

namespace simdjson::dom {
class element;
}

namespace lir {

// A record's view and, through `ref`, its DOM: parsed on first use, as most records are
// judged on their view alone. `element`, when set, is the object to read instead (an item
// of an any-item leaf, a record parsed elsewhere).
struct EvalInput {
  const RecordRef* ref;
  const simdjson::dom::element* element;
  const EventView& view;
  size_t nesting = 0;  // levels of JSON-in-strings already decoded above the record
  bool item = false;   // an any_item's element: its paths are its own, not the event's view
  const simdjson::dom::element& Record() const { return element != nullptr ? *element : ref->Element(); }
};

bool Evaluate(const Expr& expr, const EvalInput& input);

// Every string (or number, as text) found at a dotted path or @virtual field; arrays fan
// out and JSON held in strings is decoded on the way.
std::vector<std::string> CollectStrings(const EvalInput& input, const std::string& field);

// The EventView slot that holds `field` (for Expr::view_slot), or -1.
int ViewSlotFor(const std::string& field, LeafOp op);

// Whether a call changes state: readOnly when recorded, else judged by its verb.
bool IsMutating(const EventView& view);

}  // namespace lir
