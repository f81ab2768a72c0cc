#include <simdjson.h>

#include "sources/event_view.h"
#include "sources/record_sink.h"

namespace lir {

const simdjson::dom::element& RecordRef::Element() const {
  if (element_ == nullptr) element_ = &dom_->Parse(text_);
  return *element_;
}

const EventView* RecordRef::View(EventView* scratch, std::string* why) const {
  if (view_ == nullptr) return ViewEvent(Element(), scratch, why) ? scratch : nullptr;
  if (why_ == nullptr) return view_;
  *why = why_;
  return nullptr;
}

}  // namespace lir
