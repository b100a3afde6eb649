#include "vigil/cpp/iso_time.hpp"

#include <gtest/gtest.h>

using vigil::sdk::format_iso_time;
using vigil::sdk::parse_time;

TEST(IsoTime, ReadsIsoUtcWithMilliseconds) {
  EXPECT_EQ(parse_time("2024-01-02T10:00:00.123Z"), 1704189600123);
  EXPECT_EQ(parse_time("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_time("2024-01-02T10:00:00+00:00"), 1704189600000);
}

TEST(IsoTime, TruncatesFinerFractionsToMilliseconds) {
  EXPECT_EQ(parse_time("2024-01-02T10:00:00.1239Z"), 1704189600123);
  EXPECT_EQ(parse_time("2024-01-02T10:00:00.5Z"), 1704189600500);
}

TEST(IsoTime, ReadsUnixMilliseconds) {
  EXPECT_EQ(parse_time("1704189600123"), 1704189600123);
}

TEST(IsoTime, RefusesMalformedOrZonedTimes) {
  for (const char* text : {"", "2024-01-02", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z",
                           "2024-01-02T10:00:00+01:00", "2024-01-02T10:00:00", "2024-01-02T25:00:00Z", "12ab"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_time(text));
  }
}

TEST(IsoTime, AcceptsTheLeapDay) {
  EXPECT_TRUE(parse_time("2024-02-29T00:00:00Z"));
}

TEST(IsoTime, FormatsWhatItReads) {
  EXPECT_EQ(format_iso_time(1704189600123), "2024-01-02T10:00:00.123Z");
  EXPECT_EQ(format_iso_time(0), "1970-01-01T00:00:00.000Z");
  for (int64_t t : {int64_t{951782400000}, int64_t{1399507208715}, int64_t{4102444800000}})
    EXPECT_EQ(parse_time(format_iso_time(t)), t);
}
