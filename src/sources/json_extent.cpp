#include "sources/json_extent.h"

#include <cstring>
#include <string>

#include <fmt/format.h>

namespace lir {
namespace {

tl::unexpected<Error> Broken(size_t at, std::string_view what) {
  return MakeError(ErrorCode::kCorruptInput, fmt::format("invalid JSON at byte {}: {}", at, what));
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// `pos` is at the opening quote; returns one past the closing one.
Result<size_t> StringEnd(std::string_view text, size_t pos) {
  size_t i = pos + 1;
  while (i < text.size()) {
    const void* quote = std::memchr(text.data() + i, '"', text.size() - i);
    if (quote == nullptr) break;
    const size_t q = static_cast<size_t>(static_cast<const char*>(quote) - text.data());
    const void* escape = std::memchr(text.data() + i, '\\', q - i);
    if (escape == nullptr) return q + 1;
    i = static_cast<size_t>(static_cast<const char*>(escape) - text.data()) + 2;  // skip the escaped byte
  }
  return Broken(pos, "string is not closed");
}

}  // namespace

size_t SkipJsonSpace(std::string_view text, size_t pos) {
  while (pos < text.size() && IsSpace(text[pos])) ++pos;
  return pos;
}

Result<size_t> JsonValueEnd(std::string_view text, size_t pos) {
  if (pos >= text.size()) return Broken(pos, "a value was expected");
  const char first = text[pos];
  if (first == '"') return StringEnd(text, pos);
  if (first != '{' && first != '[') {
    size_t i = pos;
    while (i < text.size() && !IsSpace(text[i]) && text[i] != ',' && text[i] != ']' && text[i] != '}' &&
           text[i] != ':')
      ++i;
    if (i == pos) return Broken(pos, "a value was expected");
    return i;
  }
  // The closers still owed, innermost last.
  std::string closers(1, first == '{' ? '}' : ']');
  size_t i = pos + 1;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      i = LIR_TRY(StringEnd(text, i));
      continue;
    }
    if (c == '{' || c == '[') {
      if (closers.size() >= static_cast<size_t>(kMaxJsonExtentDepth)) return Broken(i, "nested too deeply");
      closers.push_back(c == '{' ? '}' : ']');
    } else if (c == '}' || c == ']') {
      if (c != closers.back()) return Broken(i, fmt::format("'{}' closes a '{}'", c, closers.back() == '}' ? '{' : '['));
      closers.pop_back();
      if (closers.empty()) return i + 1;
    }
    ++i;
  }
  return Broken(text.size(), fmt::format("the document ends inside the value that starts at byte {}", pos));
}

Result<size_t> ForEachJsonElement(std::string_view text, size_t pos,
                                  const std::function<void(uint64_t, JsonSpan)>& element) {
  if (pos >= text.size() || text[pos] != '[') return Broken(pos, "an array was expected");
  size_t i = SkipJsonSpace(text, pos + 1);
  if (i < text.size() && text[i] == ']') return i + 1;
  for (uint64_t index = 0;; ++index) {
    const size_t end = LIR_TRY(JsonValueEnd(text, i));
    element(index, JsonSpan{i, end});
    i = SkipJsonSpace(text, end);
    if (i >= text.size()) return Broken(i, "the document ends inside an array");
    if (text[i] == ']') return i + 1;
    if (text[i] != ',') return Broken(i, "',' or ']' expected after an array element");
    i = SkipJsonSpace(text, i + 1);
  }
}

Result<size_t> ForEachJsonMember(std::string_view text, size_t pos,
                                 const std::function<Result<size_t>(std::string_view, size_t)>& member) {
  if (pos >= text.size() || text[pos] != '{') return Broken(pos, "an object was expected");
  size_t i = SkipJsonSpace(text, pos + 1);
  if (i < text.size() && text[i] == '}') return i + 1;
  while (true) {
    if (i >= text.size() || text[i] != '"') return Broken(i, "a member name was expected");
    const size_t key_end = LIR_TRY(StringEnd(text, i));
    const std::string_view key = text.substr(i + 1, key_end - i - 2);
    i = SkipJsonSpace(text, key_end);
    if (i >= text.size() || text[i] != ':') return Broken(i, "':' expected after a member name");
    i = SkipJsonSpace(text, i + 1);
    if (i >= text.size()) return Broken(i, "the document ends before a member's value");
    const size_t end = LIR_TRY(member(key, i));
    i = SkipJsonSpace(text, end);
    if (i >= text.size()) return Broken(i, "the document ends inside an object");
    if (text[i] == '}') return i + 1;
    if (text[i] != ',') return Broken(i, "',' or '}' expected after an object member");
    i = SkipJsonSpace(text, i + 1);
  }
}

}  // namespace lir
