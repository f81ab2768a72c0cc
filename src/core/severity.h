#pragma once

#include <optional>
#include <string_view>

namespace lir {

// Ordered: a higher value is more severe.
enum class Severity { kInfo = 0, kLow, kMedium, kHigh, kCritical };

std::string_view ToString(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view text);  // case-insensitive

}  // namespace lir
