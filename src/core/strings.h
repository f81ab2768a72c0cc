// Small string helpers shared by every layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lir {

std::string ToLower(std::string_view text);
bool IEquals(std::string_view a, std::string_view b);
bool IContains(std::string_view haystack, std::string_view needle);
std::vector<std::string_view> Split(std::string_view text, char sep);
std::string_view Trim(std::string_view text);
// Replaces control characters so hostile event fields cannot drive a terminal.
std::string SanitizeForTerminal(std::string_view text);
// Decodes %XX escapes (IAM policy documents arrive URL-encoded in some records).
std::string UrlDecode(std::string_view text);

}  // namespace lir
