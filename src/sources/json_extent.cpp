#include "sources/json_extent.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include <fmt/format.h>

namespace lir {
namespace {

tl::unexpected<Error> Broken(size_t at, std::string_view what) {
  return MakeError(ErrorCode::kCorruptInput, fmt::format("invalid JSON at byte {}: {}", at, what));
}

// `pos` is at the opening quote; returns one past the closing one. Linear: each byte is looked
// at once for a quote and once for a backslash (a string of a million escapes is one pass, not
// a million).
Result<size_t> StringEnd(JsonText& text, size_t pos) {
  constexpr size_t kNone = SIZE_MAX;
  size_t i = pos + 1;
  size_t quote = kNone;  // the first '"' at or after i, when found
  size_t searched = i;   // no '"' in [i, searched) but at `quote`
  while (text.Has(i)) {
    const char* p = text.Ptr(i);
    const size_t end = i + text.Ready(i);
    if (quote != kNone && quote < i) quote = kNone;  // an escape went past it
    searched = std::max(searched, i);
    if (quote == kNone && searched < end) {
      const char* from = text.Ptr(searched);
      const void* q = std::memchr(from, '"', end - searched);
      if (q != nullptr) quote = searched + static_cast<size_t>(static_cast<const char*>(q) - from);
      searched = quote != kNone ? quote + 1 : end;
    }
    const size_t before = (quote != kNone ? quote : end) - i;
    if (const void* escape = std::memchr(p, '\\', before)) {
      i += static_cast<size_t>(static_cast<const char*>(escape) - p) + 2;  // skip the escaped byte
    } else if (quote != kNone) {
      return quote + 1;
    } else {
      i = end;
    }
  }
  return Broken(pos, "string is not closed");
}

}  // namespace

size_t SkipJsonSpace(JsonText& text, size_t pos) {
  while (text.Has(pos) && IsJsonSpace(text[pos])) ++pos;
  return pos;
}

Result<size_t> JsonValueEnd(JsonText& text, size_t pos) {
  if (!text.Has(pos)) return Broken(pos, "a value was expected");
  const char first = text[pos];
  if (first == '"') return StringEnd(text, pos);
  if (first != '{' && first != '[') {
    size_t i = pos;
    while (text.Has(i) && !IsJsonSpace(text[i]) && text[i] != ',' && text[i] != ']' && text[i] != '}' && text[i] != ':') ++i;
    if (i == pos) return Broken(pos, "a value was expected");
    return i;
  }
  // The closers still owed, innermost last.
  std::string closers(1, first == '{' ? '}' : ']');
  size_t i = pos + 1;
  while (text.Has(i)) {
    const char* p = text.Ptr(i);
    const size_t n = text.Ready(i);
    size_t k = 0;
    for (; k < n; ++k) {
      const char c = p[k];
      if (c == '"') break;
      if (c == '{' || c == '[') {
        if (closers.size() >= static_cast<size_t>(kMaxJsonExtentDepth)) return Broken(i + k, "nested too deeply");
        closers.push_back(c == '{' ? '}' : ']');
      } else if (c == '}' || c == ']') {
        if (c != closers.back()) {
          return Broken(i + k, fmt::format("'{}' closes a '{}'", c, closers.back() == '}' ? '{' : '['));
        }
        closers.pop_back();
        if (closers.empty()) return i + k + 1;
      }
    }
    i += k;
    if (k < n) i = LIR_TRY(StringEnd(text, i));
  }
  return Broken(text.End(), fmt::format("the document ends inside the value that starts at byte {}", pos));
}

Result<size_t> ForEachJsonElement(JsonText& text, size_t pos,
                                  const std::function<Result<size_t>(uint64_t, size_t)>& element) {
  if (!text.Has(pos) || text[pos] != '[') return Broken(pos, "an array was expected");
  size_t i = SkipJsonSpace(text, pos + 1);
  if (text.Has(i) && text[i] == ']') return i + 1;
  for (uint64_t index = 0;; ++index) {
    if (!text.Has(i)) return Broken(i, "a value was expected");
    const size_t end = LIR_TRY(element(index, i));
    i = SkipJsonSpace(text, end);
    if (!text.Has(i)) return Broken(i, "the document ends inside an array");
    if (text[i] == ']') return i + 1;
    if (text[i] != ',') return Broken(i, "',' or ']' expected after an array element");
    i = SkipJsonSpace(text, i + 1);
  }
}

Result<size_t> ForEachJsonMember(JsonText& text, size_t pos,
                                 const std::function<Result<size_t>(std::string_view, size_t)>& member) {
  if (!text.Has(pos) || text[pos] != '{') return Broken(pos, "an object was expected");
  size_t i = SkipJsonSpace(text, pos + 1);
  if (text.Has(i) && text[i] == '}') return i + 1;
  std::string key;
  while (true) {
    if (!text.Has(i) || text[i] != '"') return Broken(i, "a member name was expected");
    const size_t key_end = LIR_TRY(StringEnd(text, i));
    // Copied: reading on may move the window.
    const size_t key_size = key_end - i - 2;
    if (key_size <= kMaxJsonKeyBytes && text.Held(i + 1)) {
      key.assign(text.View(i + 1, key_end - 1));
    } else {
      key.clear();
    }
    i = SkipJsonSpace(text, key_end);
    if (!text.Has(i) || text[i] != ':') return Broken(i, "':' expected after a member name");
    i = SkipJsonSpace(text, i + 1);
    if (!text.Has(i)) return Broken(i, "the document ends before a member's value");
    const size_t end = LIR_TRY(member(key, i));
    i = SkipJsonSpace(text, end);
    if (!text.Has(i)) return Broken(i, "the document ends inside an object");
    if (text[i] == '}') return i + 1;
    if (text[i] != ',') return Broken(i, "',' or '}' expected after an object member");
    i = SkipJsonSpace(text, i + 1);
  }
}

}  // namespace lir
