#include "core/strings.h"

#include <utility>

#include <algorithm>
#include <cctype>

namespace lir {

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool IsAccountId(std::string_view text) {
  return text.size() == 12 && text.find_first_not_of("0123456789") == std::string_view::npos;
}

std::vector<std::string> AccountIdsIn(std::string_view list, std::string* bad) {
  std::vector<std::string> out;
  for (std::string_view id : Split(list, ',')) {
    id = Trim(id);
    if (!IsAccountId(id)) {
      *bad = std::string(id);
      return {};
    }
    if (std::find(out.begin(), out.end(), id) == out.end()) out.emplace_back(id);
  }
  return out;
}

bool IContains(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char x, char y) {
                          return std::tolower(static_cast<unsigned char>(x)) ==
                                 std::tolower(static_cast<unsigned char>(y));
                        });
  return it != haystack.end();
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

namespace {

// The code point of the UTF-8 sequence at `i` and its length, or length 0 when invalid.
std::pair<char32_t, size_t> DecodeUtf8(std::string_view text, size_t i) {
  const auto u = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = u(i);
  const size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || i + len > text.size()) return {0, 0};
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) {
    if ((u(i + k) & 0xc0) != 0x80) return {0, 0};
    cp = (cp << 6) | (u(i + k) & 0x3f);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return {0, 0};
  return {cp, len};
}

// C0 and C1 controls (a lone 0x9b is CSI on some terminals) and the bidirectional overrides
// and isolates that make a terminal show text in another order than it reads.
bool UnsafeForTerminal(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

// `text` with each character a terminal would act on (and each byte that is no UTF-8) replaced,
// except, when `keep_lines`, tabs and line ends (LF, CR LF): a lone CR would let a value
// overwrite what the line showed before it.
std::string ReplaceUnsafe(std::string_view text, std::string_view replacement, bool keep_lines) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto [cp, len] = DecodeUtf8(text, i);
    const bool line = cp == '\t' || cp == '\n' || (cp == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
    if (len == 0 || (UnsafeForTerminal(cp) && !(keep_lines && line))) {
      out += replacement;
      i += len == 0 ? 1 : len;
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

}  // namespace

std::string SanitizeForTerminal(std::string_view text) { return ReplaceUnsafe(text, "?", false); }

std::string SanitizeKeepingLines(std::string_view text) { return ReplaceUnsafe(text, "\xEF\xBF\xBD", true); }

std::string UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];  // '+' stays: policy JSON may hold it literally
  }
  return out;
}

bool GlobMatch(std::string_view pattern, std::string_view text, GlobOptions options) {
  auto same = [&](char x, char y) {
    return options.ignore_case ? std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)) : x == y;
  };
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && ((options.question_mark && pattern[p] == '?') || same(pattern[p], text[t]))) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace lir
