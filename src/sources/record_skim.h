// Reads a whole {"Records":[...]} document's records without building its DOM.
//
// simdjson's stage 1 (SIMD: UTF-8 checked, strings closed, every structural character and
// value start indexed) runs over the whole text; the skim then walks that index once,
// checking the grammar as the DOM parser would and reading each record's common fields
// (EventView) straight from the text. Nested values nobody reads (requestParameters,
// responseElements, tlsDetails...) are stepped over, never copied: the DOM's stage 2, which
// copies every string and number of the file, is what a whole-archive scan spends most on.
// A record's DOM is parsed later, from its own bytes, only when a rule or the report needs it.
//
// The skim only vouches for what it can check completely. A record holding a backslash
// (escapes) is checked by parsing it, and its view read from its DOM. Anything else (a
// backslash outside the records; a number a double could round; a depth or a shape the
// whole-document parse treats specially; any grammar error) makes it decline the file, and
// the DOM path reads it exactly as before: the outcome never depends on it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sources/event_view.h"

namespace simdjson::dom {
class parser;
}

namespace lir {

struct SkimmedRecord {
  uint32_t begin = 0, end = 0;  // the record's bytes in the text: [begin, end)
  enum class Kind : uint8_t {
    kView,       // `view` read; `why` says why it is not an event (null when it is)
    kFromDom,    // holds escapes: its view is read from its DOM
    kNotObject,  // an element of Records that is not an object
  } kind = Kind::kView;
  const char* why = nullptr;
};

class RecordSkim {
 public:
  // True when every record of the `size` bytes at `data` was read; false when the document
  // must be read by the DOM path. The text is padded as simdjson needs, and a 0 is written
  // in its padding (data[size]): the walk's end mark. `index_parser` holds the stage-1
  // index; `record_parser` checks the records that hold escapes.
  bool Skim(char* data, size_t size, simdjson::dom::parser& index_parser, simdjson::dom::parser& record_parser);

  const std::vector<SkimmedRecord>& records() const { return records_; }
  // One per record of Kind::kView, in order.
  const std::vector<EventView>& views() const { return views_; }
  size_t HeldBytes() const {
    return views_.capacity() * sizeof(EventView) + records_.capacity() * sizeof(SkimmedRecord) + times_.text.capacity();
  }

 private:
  std::vector<SkimmedRecord> records_;
  std::vector<EventView> views_;
  TimeCache times_;
};

}  // namespace lir
