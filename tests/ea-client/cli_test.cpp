// vigil-ea's command line: bad input exits 64 with a message naming the flag.
#include <gtest/gtest.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace vigil::test {
namespace {

ProcessResult vigil_ea(std::vector<std::string> args) {
  args.insert(args.begin(), built_binary("vigil-ea"));
  return run_process(args);
}

class VigilEaCommandLine : public ::testing::Test {
 protected:
  TempDir dir;
  std::string secret = dir.write("secret", std::string(64, 'f') + "\n");
  std::vector<std::string> good = {"--url", "http://127.0.0.1:1", "--device-id", "dev_1", "--secret-file", secret};

  void expect_usage_error(std::vector<std::string> args, const std::string& named) {
    ProcessResult result = vigil_ea(args);
    EXPECT_EQ(result.exit_code, 64) << result.err;
    EXPECT_NE(result.err.find(named), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("usage:"), std::string::npos) << result.err;
    EXPECT_EQ(result.out, "");
  }
  std::vector<std::string> with(std::vector<std::string> extra) {
    std::vector<std::string> args = good;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
};

TEST_F(VigilEaCommandLine, VersionIsPrintedWithoutTheRequiredFlags) {
  ProcessResult result = vigil_ea({"--version"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("vigil-ea ", 0), 0u) << result.out;
  EXPECT_GT(result.out.size(), std::string("vigil-ea \n").size()) << "a version after the name";
}

TEST_F(VigilEaCommandLine, NamesEachMissingRequiredFlag) {
  expect_usage_error({"--device-id", "d", "--secret-file", secret}, "--url: required");
  expect_usage_error({"--url", "http://x", "--secret-file", secret}, "--device-id: required");
  expect_usage_error({"--url", "http://x", "--device-id", "d"}, "--secret-file: required");
}

TEST_F(VigilEaCommandLine, NamesTheFlagWithABadValue) {
  expect_usage_error(with({"--slippage-points", "three"}), "--slippage-points");
  expect_usage_error(with({"--partial-fill-ratio", "0"}), "--partial-fill-ratio");
  expect_usage_error(with({"--partial-fill-ratio", "1.5"}), "--partial-fill-ratio");
  expect_usage_error(with({"--fail-every", "-1"}), "--fail-every");
  expect_usage_error(with({"--wait", "31"}), "--wait");
  expect_usage_error(with({"--wait"}), "--wait: expects a value");
}

TEST_F(VigilEaCommandLine, RefusesAnUnknownFlagAndABadUrl) {
  expect_usage_error(with({"--fast"}), "--fast: unknown flag");
  expect_usage_error({"--url", "127.0.0.1:8080", "--device-id", "d", "--secret-file", secret}, "--url");
}

TEST_F(VigilEaCommandLine, NamesASecretFileItCannotRead) {
  expect_usage_error({"--url", "http://x", "--device-id", "d", "--secret-file", "/nonexistent/secret"},
                     "--secret-file: cannot read \"/nonexistent/secret\"");
}

TEST_F(VigilEaCommandLine, OnceAgainstNoServerFailsWithoutHanging) {
  ProcessResult result = vigil_ea(with({"--once", "--wait", "0"}));
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find(R"("action":"error")"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace vigil::test
