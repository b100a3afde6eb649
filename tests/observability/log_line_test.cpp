#include "core/support/log_line.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using vigil::core::format_log_line;
using vigil::core::LogFormat;
using vigil::core::LogLevel;
using vigil::core::LogRecord;

namespace {

// 2026-11-25T10:00:00.123Z
constexpr int64_t kTime = 1795600800123;

LogRecord record(std::string_view message, std::vector<vigil::core::LogField> fields = {}) {
  return {kTime, LogLevel::warn, "workflow", message, std::move(fields)};
}

std::string json_of(std::string_view message) {
  return format_log_line(LogFormat::json, record(message));
}

}  // namespace

TEST(LogLine, JsonLineHasTimeLevelComponentMessageAndIdsAsFields) {
  std::string line =
      format_log_line(LogFormat::json, record("breach", {{"position_id", "pos_1"}, {"request_id", "00ab"}}));
  EXPECT_EQ(line, R"({"time":"2026-11-25T10:00:00.123Z","level":"warn","component":"workflow","message":"breach",)"
                  R"("position_id":"pos_1","request_id":"00ab"})"
                  "\n");
}

TEST(LogLine, TextLineStaysAsBeforeWithIdsAppended) {
  EXPECT_EQ(format_log_line(LogFormat::text, record("breach")), "2026-11-25T10:00:00.123Z WARN  [workflow] breach\n");
  EXPECT_EQ(format_log_line(LogFormat::text, record("breach", {{"position_id", "pos_1"}})),
            "2026-11-25T10:00:00.123Z WARN  [workflow] breach position_id=pos_1\n");
}

TEST(LogLine, EmptyFieldsAreLeftOut) {
  std::string line = format_log_line(LogFormat::json, record("m", {{"device_id", ""}}));
  EXPECT_EQ(line.find("device_id"), std::string::npos);
}

TEST(LogLine, QuotesBackslashesAndControlCharactersAreEscaped) {
  std::string line = json_of("a \"quoted\" C:\\path\nnext\tcol\r\x01\x1f\x7f");
  EXPECT_NE(line.find(R"("message":"a \"quoted\" C:\\path\nnext\tcol\r\u0001\u001f\u007f")"), std::string::npos)
      << line;
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line, whatever the message holds";
  EXPECT_EQ(nlohmann::json::parse(line)["message"], "a \"quoted\" C:\\path\nnext\tcol\r\x01\x1f\x7f");
}

TEST(LogLine, ValidUtf8IsKeptAsIs) {
  std::string message =
      "pr\xc3\xa9"
      "fix \xe2\x82\xac \xf0\x9f\x93\x88";  // é € 📈
  EXPECT_EQ(nlohmann::json::parse(json_of(message))["message"], message);
}

TEST(LogLine, InvalidUtf8BecomesReplacementCharactersAndTheLineStillParses) {
  const std::string replacement = "\xef\xbf\xbd";
  struct Case {
    std::string bytes;
    std::string read_back;
  };
  std::vector<Case> cases = {
      {"a\xff"
       "b",
       "a" + replacement + "b"},                                                    // never valid
      {"\xc0\xaf", replacement + replacement},                                      // overlong '/'
      {"\xed\xa0\x80", replacement + replacement + replacement},                    // encoded surrogate
      {"\xf4\x90\x80\x80", replacement + replacement + replacement + replacement},  // past U+10FFFF
      {"cut \xe2\x82", "cut " + replacement + replacement},                         // truncated at the end
  };
  for (const Case& c : cases) {
    std::string line = json_of(c.bytes);
    nlohmann::json parsed;
    ASSERT_NO_THROW(parsed = nlohmann::json::parse(line)) << line;
    EXPECT_EQ(parsed["message"], c.read_back) << line;
  }
}

TEST(LogLine, ComponentAndFieldValuesAreEscapedToo) {
  LogRecord r{kTime, LogLevel::error, "feed \"x\"", "m", {{"device_id", "dev\n\xff"}}};
  nlohmann::json parsed = nlohmann::json::parse(format_log_line(LogFormat::json, r));
  EXPECT_EQ(parsed["component"], "feed \"x\"");
  EXPECT_EQ(parsed["device_id"], "dev\n\xef\xbf\xbd");
  EXPECT_EQ(parsed["level"], "error");
}

TEST(LogLine, TimesBeforeAndAfterMidnightKeepTheirMilliseconds) {
  LogRecord r = record("m");
  r.unix_ms = 5;  // 1970-01-01T00:00:00.005Z
  EXPECT_EQ(nlohmann::json::parse(format_log_line(LogFormat::json, r))["time"], "1970-01-01T00:00:00.005Z");
}
