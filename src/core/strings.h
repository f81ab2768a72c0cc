// Small string helpers shared by every layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lir {

// `text == literal`, the length known when compiling so the compare is inlined, eight bytes
// at a time (gcc calls memcmp for most lengths otherwise): for the per-record hot paths.
template <size_t N>
inline bool IsLiteral(std::string_view text, const char (&literal)[N]) {
  if (text.size() != N - 1) return false;
  size_t k = 0;
  for (; k + 8 <= N - 1; k += 8) {
    unsigned long long a, b;
    __builtin_memcpy(&a, text.data() + k, 8);
    __builtin_memcpy(&b, literal + k, 8);
    if (a != b) return false;
  }
  for (; k < N - 1; ++k) {
    if (text[k] != literal[k]) return false;
  }
  return true;
}

std::string ToLower(std::string_view text);
bool IEquals(std::string_view a, std::string_view b);
bool IContains(std::string_view haystack, std::string_view needle);
// An AWS account id: exactly 12 decimal digits.
bool IsAccountId(std::string_view text);
// The account ids of "ID,ID,..." (spaces trimmed, each once, in order). On the first that is
// no account id: empty, and `*bad` set to it.
std::vector<std::string> AccountIdsIn(std::string_view list, std::string* bad);
std::vector<std::string_view> Split(std::string_view text, char sep);
std::string_view Trim(std::string_view text);
// Replaces control characters so hostile event fields cannot drive a terminal.
std::string SanitizeForTerminal(std::string_view text);
// The same for documents whose values may span lines (CSV cells, HTML): tabs and line ends
// (LF, CR LF) kept, each character replaced shown as U+FFFD.
std::string SanitizeKeepingLines(std::string_view text);
// '*' matches any run, '?' (when `question_mark`) any one character; greedy with one backtrack
// point, so linear in practice and never exponential on a hostile pattern.
struct GlobOptions {
  bool ignore_case = false;
  bool question_mark = false;
};
bool GlobMatch(std::string_view pattern, std::string_view text, GlobOptions options = {});
// Decodes %XX escapes (IAM policy documents arrive URL-encoded in some records).
std::string UrlDecode(std::string_view text);

}  // namespace lir
