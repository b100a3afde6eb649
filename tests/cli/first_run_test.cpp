// vigild's first run on the embedded default: with no admin token
// configured it makes one in the data directory (mode 0600), says where,
// prints the console's URL and opens the admin API with it; a configured
// token wins and is never written anywhere.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using vigil::test::built_binary;
using vigil::test::ChildProcess;

namespace {

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int mode_of(const std::filesystem::path& file) {
  struct stat info {};
  return ::stat(file.c_str(), &info) == 0 ? static_cast<int>(info.st_mode & 0777) : -1;
}

// Runs vigild on the embedded default with `data_dir`, checks an admin call
// with `token` is accepted and the console is served, and stops it.
vigil::test::ProcessResult run_once(const std::filesystem::path& data_dir, const std::string& token) {
  ChildProcess vigild({built_binary("vigild"), "--listen", "127.0.0.1:0", "--data-dir", data_dir.string()});
  EXPECT_TRUE(vigild.wait_for_output("vigild: console at http://127.0.0.1:", 10000));
  uint16_t port = vigild.listening_port();
  auto health = vigil::test::http(port, "GET", "/api/v1/admin/health", "", "Authorization: Bearer " + token + "\r\n");
  EXPECT_EQ(health.status, 200) << health.body;
  auto console = vigil::test::http(port, "GET", "/console");
  EXPECT_EQ(console.status, 200) << console.body;
  EXPECT_EQ(console.header("content-type"), "text/html; charset=utf-8");
  vigild.send_signal(SIGTERM);
  auto result = vigild.wait(10000);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("vigild: console at http://127.0.0.1:" + std::to_string(port) + "/console"),
            std::string::npos)
      << result.out;
  return result;
}

}  // namespace

TEST(FirstRun, CreatesAnAdminTokenInTheDataDirectoryAndReusesIt) {
  unsetenv("VIGIL_ADMIN_TOKEN");
  vigil::test::TempDir dir;
  const std::filesystem::path data = dir.path() / "data";
  const std::filesystem::path file = std::filesystem::absolute(data / "admin.token");
  ChildProcess probe({built_binary("vigild"), "--listen", "127.0.0.1:0", "--data-dir", data.string()});
  ASSERT_TRUE(probe.wait_for_output("listening on", 10000));
  std::string token = read_all(file);
  ASSERT_TRUE(std::regex_match(token, std::regex("[0-9a-f]{64}\n"))) << token;
  EXPECT_EQ(mode_of(file), 0600);
  probe.send_signal(SIGTERM);
  auto first = probe.wait(10000);
  EXPECT_NE(first.err.find("created the admin token " + file.string()), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("admin API open"), std::string::npos) << first.err;

  token.pop_back();
  auto again = run_once(data, token);  // the same file, the same token
  EXPECT_NE(again.err.find("admin token from " + file.string()), std::string::npos) << again.err;
  EXPECT_EQ(read_all(file), token + "\n");
}

TEST(FirstRun, AConfiguredTokenWinsAndIsWrittenNowhere) {
  vigil::test::TempDir dir;
  const std::filesystem::path data = dir.path() / "data";
  const std::string token = "configured-admin-token-0123456789";
  setenv("VIGIL_ADMIN_TOKEN", token.c_str(), 1);
  auto result = run_once(data, token);
  unsetenv("VIGIL_ADMIN_TOKEN");
  EXPECT_FALSE(std::filesystem::exists(data / "admin.token"));
  EXPECT_EQ(result.err.find("admin token from"), std::string::npos) << result.err;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data)) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(read_all(entry.path()).find(token), std::string::npos) << entry.path();
  }
}
