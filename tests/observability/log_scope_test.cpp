#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/support/log.hpp"
#include "tests/support/temp_dir.hpp"

using namespace vigil::core;

namespace {

// Runs `body` with stderr sent to a file; returns the lines it wrote.
std::vector<nlohmann::json> json_lines_of(const std::function<void()>& body) {
  vigil::test::TempDir dir;
  std::string path = (dir.path() / "stderr").string();
  std::fflush(stderr);
  int saved = dup(fileno(stderr));
  EXPECT_NE(std::freopen(path.c_str(), "w", stderr), nullptr);
  set_log_format(LogFormat::json);
  body();
  set_log_format(LogFormat::text);
  std::fflush(stderr);
  dup2(saved, fileno(stderr));
  close(saved);
  std::ifstream in(path);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

}  // namespace

TEST(LogScope, LinesWrittenInsideAScopeCarryItsFieldsAndOnlyThose) {
  auto lines = json_lines_of([] {
    {
      LogScope request({{"request_id", "r1"}, {"device_id", "dev_1"}});
      log(LogLevel::warn, "workflow", "inside", {{"position_id", "pos_1"}});
    }
    log(LogLevel::warn, "workflow", "after");
  });
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["message"], "inside");
  EXPECT_EQ(lines[0]["request_id"], "r1");
  EXPECT_EQ(lines[0]["device_id"], "dev_1");
  EXPECT_EQ(lines[0]["position_id"], "pos_1");
  EXPECT_FALSE(lines[1].contains("request_id"));
}

TEST(LogScope, NestedScopesAddUpAndACallSitesOwnValueWins) {
  auto lines = json_lines_of([] {
    LogScope outer({{"request_id", "r1"}});
    LogScope inner({{"device_id", "dev_1"}});
    log(LogLevel::error, "app", "m", {{"device_id", "dev_2"}});
  });
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["request_id"], "r1");
  EXPECT_EQ(lines[0]["device_id"], "dev_2");
}

TEST(LogScope, AScopeBelongsToItsThread) {
  auto lines = json_lines_of([] {
    LogScope request({{"request_id", "r1"}});
    std::thread([] { log(LogLevel::warn, "engine", "other thread"); }).join();
  });
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_FALSE(lines[0].contains("request_id"));
}

TEST(LogScope, LinesBelowTheLevelAreNotWritten) {
  auto lines = json_lines_of([] { log(LogLevel::debug, "app", "quiet"); });
  EXPECT_TRUE(lines.empty());
}
