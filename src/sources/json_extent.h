// Finds where JSON values begin and end without building them, so a document too large to
// parse at once can be read one record at a time. Only structure is checked here (strings,
// brackets, separators); each record is then parsed, and validated, on its own. The text may
// be a sliding window over a stream (json_text.h): every function moves forward only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "core/result.h"
#include "sources/json_text.h"

namespace lir {

// [begin, end) of one value in the text.
struct JsonSpan {
  size_t begin = 0;
  size_t end = 0;
  size_t size() const { return end - begin; }
};

inline constexpr int kMaxJsonExtentDepth = 1024;  // simdjson's default too
// A member name longer than this, as written, is handed out empty: no name the reader looks
// for ("Records", "Events", "CloudTrailEvent"), even with every letter \u-escaped, is as long.
inline constexpr size_t kMaxJsonKeyBytes = 128;

inline bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The first position at or after `pos` that is not JSON whitespace.
size_t SkipJsonSpace(JsonText& text, size_t pos);

// One past the last byte of the value that starts at `pos` (which must not be whitespace).
// Errors (kCorruptInput) name the byte where the structure broke.
Result<size_t> JsonValueEnd(JsonText& text, size_t pos);

// Calls `element` for each element of the array that starts at `pos` ('['), with its index
// and where it starts; `element` consumes the value and returns one past its end. Returns one
// past the closing ']'. Elements before a break have been handed out.
Result<size_t> ForEachJsonElement(JsonText& text, size_t pos,
                                  const std::function<Result<size_t>(uint64_t index, size_t value_pos)>& element);

// Calls `member` for each member of the object that starts at `pos` ('{') with the key as
// written (escapes not decoded; empty when longer than kMaxJsonKeyBytes) and the position of
// its value; `member` consumes the value and returns one past its end (JsonValueEnd when it
// has no use for it).
Result<size_t> ForEachJsonMember(JsonText& text, size_t pos,
                                 const std::function<Result<size_t>(std::string_view raw_key, size_t value_pos)>& member);

}  // namespace lir
