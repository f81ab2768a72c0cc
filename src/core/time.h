// Times are UTC milliseconds since the Unix epoch everywhere in lambda-ir.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace lir {

using TimestampMs = int64_t;

// Parses CloudTrail's eventTime ("2026-11-27T08:00:00Z", optional fraction or offset).
std::optional<TimestampMs> ParseIso8601(std::string_view text);

// Parses a user-given time: ISO-8601 (date, minutes or seconds precision), epoch
// milliseconds (all digits), or a duration before `now` such as 36h, 7d, 90m, 2w, 45s.
Result<TimestampMs> ParseTimeArgument(std::string_view text, TimestampMs now);

// Parses a duration such as 10m, 24h, 7d into milliseconds.
std::optional<int64_t> ParseDurationMs(std::string_view text);

// "2026-11-27T08:00:00Z" (milliseconds shown only when non-zero).
std::string FormatIso8601(TimestampMs ms);

TimestampMs NowMs();

}  // namespace lir
