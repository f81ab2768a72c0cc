#include <gtest/gtest.h>

#include "core/time.h"

namespace lir {
namespace {

TEST(Time, ParsesCloudTrailEventTime) {
  EXPECT_EQ(ParseIso8601("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseIso8601("2026-11-27T08:00:00Z"), 1795766400000);
  EXPECT_EQ(ParseIso8601("2026-11-27T08:00:00.250Z"), 1795766400250);
  EXPECT_EQ(ParseIso8601("2026-11-27T10:00:00+02:00"), 1795766400000);
  EXPECT_EQ(ParseIso8601("2026-11-27T08:00Z"), 1795766400000);
  EXPECT_EQ(ParseIso8601("2026-11-27"), 1795737600000);
  EXPECT_EQ(ParseIso8601("2024-02-29T12:00:00Z"), 1709208000000);
}

TEST(Time, RejectsMalformed) {
  for (const char* bad : {"", "2026", "2026-13-01T00:00:00Z", "2026-11-27T25:00:00Z", "2026-11-27T08:00:00Zjunk",
                          "yesterday", "2026/11/27"}) {
    EXPECT_FALSE(ParseIso8601(bad).has_value()) << bad;
  }
}

TEST(Time, ParsesUserArguments) {
  const TimestampMs now = 1795766400000;
  EXPECT_EQ(*ParseTimeArgument("36h", now), now - 36 * 3600 * 1000LL);
  EXPECT_EQ(*ParseTimeArgument("7d", now), now - 7 * 86400 * 1000LL);
  EXPECT_EQ(*ParseTimeArgument("90m", now), now - 90 * 60 * 1000LL);
  EXPECT_EQ(*ParseTimeArgument("1795766400000", now), 1795766400000);
  EXPECT_EQ(*ParseTimeArgument("2026-11-27T08:00Z", now), 1795766400000);
  const auto bad = ParseTimeArgument("next tuesday", now);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("next tuesday"), std::string::npos);
}

// 9999999999999h overflowed int64 (undefined behaviour, caught by UBSan): durations beyond a
// century and epoch milliseconds past year 9999 are refused, not wrapped.
TEST(Time, OversizedDurationsAreRefusedNotWrapped) {
  const TimestampMs now = 1795766400000;
  for (const char* bad : {"9999999999999h", "9223372036854775807s", "36601d", "5229w", "253402300800000"}) {
    EXPECT_FALSE(ParseTimeArgument(bad, now).has_value()) << bad;
  }
  EXPECT_EQ(*ParseTimeArgument("36600d", now), now - 36600LL * 86400 * 1000);
  EXPECT_EQ(*ParseDurationMs("5228w"), 5228LL * 7 * 86400 * 1000);
}

TEST(Time, FormatsRoundTrip) {
  EXPECT_EQ(FormatIso8601(1795766400000), "2026-11-27T08:00:00Z");
  EXPECT_EQ(FormatIso8601(1795766400250), "2026-11-27T08:00:00.250Z");
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00Z");
  for (TimestampMs t : {951782400000LL, 1709208000000LL, 4102444799000LL}) {
    EXPECT_EQ(ParseIso8601(FormatIso8601(t)), t);
  }
}

}  // namespace
}  // namespace lir
