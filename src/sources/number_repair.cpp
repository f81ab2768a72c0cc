#include "sources/number_repair.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace lir {
namespace {

bool IsNumberChar(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'; }

bool Representable(std::string_view token) {
  const char* begin = token.data();
  const char* end = begin + token.size();
  if (token.find_first_of(".eE") == std::string_view::npos) {
    int64_t i = 0;
    if (auto [p, ec] = std::from_chars(begin, end, i); ec == std::errc() && p == end) return true;
    uint64_t u = 0;
    auto [p, ec] = std::from_chars(begin, end, u);
    return ec == std::errc() && p == end;
  }
  double d = 0;
  auto [p, ec] = std::from_chars(begin, end, d);
  return ec == std::errc() && p == end && std::isfinite(d);
}

}  // namespace

NumberRepair QuoteUnrepresentableNumbers(const char* data, size_t size, InputBuffer* out) {
  NumberRepair repair;
  // Count first so the output is sized once.
  auto scan = [&](auto&& on_number) {
    bool in_string = false;
    for (size_t i = 0; i < size; ++i) {
      const char c = data[i];
      if (in_string) {
        if (c == '\\') ++i;
        else if (c == '"') in_string = false;
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        size_t end = i + 1;
        while (end < size && IsNumberChar(data[end])) ++end;
        on_number(i, end);
        i = end - 1;
      }
    }
  };
  scan([&](size_t begin, size_t end) {
    if (Representable(std::string_view(data + begin, end - begin))) return;
    if (repair.quoted++ == 0) repair.first_at = begin;
  });
  out->Reserve(size + 2 * repair.quoted);
  out->Resize(size + 2 * repair.quoted);
  char* w = out->data();
  size_t copied = 0;
  scan([&](size_t begin, size_t end) {
    if (Representable(std::string_view(data + begin, end - begin))) return;
    std::memcpy(w, data + copied, begin - copied);
    w += begin - copied;
    *w++ = '"';
    std::memcpy(w, data + begin, end - begin);
    w += end - begin;
    *w++ = '"';
    copied = end;
  });
  std::memcpy(w, data + copied, size - copied);
  return repair;
}

}  // namespace lir
