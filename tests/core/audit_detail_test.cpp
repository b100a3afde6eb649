#include "core/workflow/audit_detail.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace vigil::core {
namespace {

using nlohmann::json;

TEST(AuditDetail, AnEmptyDetailIsAnEmptyObject) {
  EXPECT_EQ(AuditDetail().json(), "{}");
}

TEST(AuditDetail, TextsNumbersAndMapsKeepTheirTypes) {
  std::string text = AuditDetail()
                         .text("reason", "sl_hit")
                         .text("level", "")
                         .number("attempt", 2)
                         .texts("levels", {{"1", "1.10150"}})
                         .json();
  EXPECT_EQ(json::parse(text),
            (json{{"reason", "sl_hit"}, {"level", ""}, {"attempt", 2}, {"levels", {{"1", "1.10150"}}}}));
}

TEST(AuditDetail, ATextIsEscapedNotSpliced) {
  std::string hostile = "\"}, \"forged\": {\"x\": 1";
  json parsed = json::parse(AuditDetail().text("error_message", hostile).json());
  EXPECT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed.at("error_message"), hostile);
}

}  // namespace
}  // namespace vigil::core
