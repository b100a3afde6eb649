#include "core/app/pushed_tick.hpp"

#include <gtest/gtest.h>

using namespace vigil::core;

namespace {

// What parse_pushed_tick refuses `body` with.
std::string refusal(std::string_view body) {
  try {
    parse_pushed_tick(body, 0);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST(PushedTick, ReadsPricesAsWrittenAndTakesTheGivenTimeWhenNoneIsSent) {
  PushedTick tick = parse_pushed_tick(R"({"instrument":"EURUSD","bid":1.10,"ask":"1.10002"})", 1234);
  EXPECT_EQ(tick.instrument, "EURUSD");
  EXPECT_EQ(tick.bid, "1.10");
  EXPECT_EQ(tick.ask, "1.10002");
  EXPECT_EQ(tick.time_unix_ms, 1234);
  vigil_tick view = tick.view();
  EXPECT_EQ(std::string(view.bid.data, view.bid.size), "1.10");
  EXPECT_EQ(view.sequence, -1);
}

TEST(PushedTick, ReadsTheTimeAsIsoOrUnixMilliseconds) {
  EXPECT_EQ(parse_pushed_tick(R"({"instrument":"X","bid":"1","time":"2026-01-05T12:00:00Z"})", 0).time_unix_ms,
            1767614400000);
  EXPECT_EQ(parse_pushed_tick(R"({"instrument":"X","ask":"1","time":1767614400001})", 0).time_unix_ms, 1767614400001);
}

TEST(PushedTick, EveryRefusalNamesTheField) {
  EXPECT_EQ(refusal(R"({"bid":"1"})"), "field 'instrument': missing");
  EXPECT_EQ(refusal(R"({"instrument":"X"})"), "field 'bid': give a bid, an ask or both");
  EXPECT_EQ(refusal(R"({"instrument":"X","bid":true})"), "field 'bid': expected a string or a number");
  EXPECT_EQ(refusal(R"({"instrument":"X","bid":"1","time":"yesterday"})"),
            "field 'time': expected ISO-8601 UTC or unix milliseconds");
  EXPECT_NE(refusal(R"({"instrument":")" + std::string(65, 'X') + R"(","bid":"1"})").find("field 'instrument'"),
            std::string::npos);
  EXPECT_EQ(refusal("[1]").rfind("body: ", 0), 0u) << refusal("[1]");
}
