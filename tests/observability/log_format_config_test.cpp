#include <gtest/gtest.h>

#include "hosts/common/config.hpp"

using vigil::host::parse_config;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_config(text, "vigil.yaml", "/tmp");
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(LogFormatConfig, TextIsTheDefault) {
  EXPECT_EQ(parse_config("log_level: info\n", "vigil.yaml", "/tmp").log_format, "text");
}

TEST(LogFormatConfig, JsonIsAccepted) {
  EXPECT_EQ(parse_config("log_format: json\n", "vigil.yaml", "/tmp").log_format, "json");
}

TEST(LogFormatConfig, AnotherValueIsRefusedNamingTheKeyAndTheChoices) {
  EXPECT_EQ(error_of("log_level: info\nlog_format: logfmt\n"), "vigil.yaml:2: log_format: expected text or json");
  EXPECT_EQ(error_of("log_format: [json]\n"), error_of("log_format: [json]\n"));
  EXPECT_NE(error_of("log_format: [json]\n").find("log_format"), std::string::npos);
}
