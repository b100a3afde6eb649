// `vigil cipher` from the outside (docs/cli.md): stdin to stdout,
// and for a bad token exit 1, nothing on stdout and one line on stderr.
#include <gtest/gtest.h>

#include "tests/cipher/cipher_under_test.hpp"
#include "tests/cipher/test_keys.hpp"
#include "tests/support/process.hpp"

using vigil::test::built_binary;
using vigil::test::ProcessResult;
using vigil::test::run_process;
using vigil::test::TempDir;
using vigil::test::write_key_file;

namespace {

class CipherCommand : public ::testing::TestWithParam<std::string> {
 protected:
  ProcessResult run(const std::string& mode, const std::string& input, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {built_binary("vigil"), "cipher", mode, "--plugin", GetParam(), "--key-file", key};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv, input);
  }
  static void expect_one_line_failure(const ProcessResult& r) {
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "");
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line: " << r.err;
  }

  TempDir dir;
  std::string key = write_key_file(dir, "master.key", vigil::test::random_fernet_key() + "\n");
};

}  // namespace

TEST_P(CipherCommand, EncryptThenDecryptGivesBackStdinExactly) {
  std::string plaintext("line one\nline two\0 with a NUL\n", 30);
  ProcessResult sealed = run("encrypt", plaintext);
  ASSERT_EQ(sealed.exit_code, 0) << sealed.err;
  EXPECT_EQ(sealed.err, "");
  ASSERT_EQ(sealed.out.back(), '\n') << "the token ends its line";
  ProcessResult opened = run("decrypt", sealed.out);
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  EXPECT_EQ(opened.out, plaintext);
}

TEST_P(CipherCommand, APerClientTokenNeedsTheSameContextToDecrypt) {
  ProcessResult sealed = run("encrypt", "hidden", {"--context", "client-7"});
  ASSERT_EQ(sealed.exit_code, 0) << sealed.err;
  EXPECT_EQ(run("decrypt", sealed.out, {"--context", "client-7"}).out, "hidden");
  expect_one_line_failure(run("decrypt", sealed.out, {"--context", "client-8"}));
  expect_one_line_failure(run("decrypt", sealed.out));
}

TEST_P(CipherCommand, APerClientTokenIsTheOneTheServerWouldMake) {
  // The server creates the cipher from its options and passes the client id
  // as the context; the command must derive exactly the same key.
  vigil::test::CipherUnderTest server(GetParam(), R"({"key_file":")" + key + R"("})");
  ProcessResult sealed = run("encrypt", "hidden", {"--context", "client-7"});
  ASSERT_EQ(sealed.exit_code, 0) << sealed.err;
  std::string token = sealed.out.substr(0, sealed.out.size() - 1);
  EXPECT_EQ(server.decrypt("client-7", "payload", token).out, "hidden");
  EXPECT_EQ(run("decrypt", server.seal("client-7", "payload", "from the server") + "\n", {"--context", "client-7"}).out,
            "from the server");
}

TEST_P(CipherCommand, FieldSelectsWhatTheTokenIsBoundTo) {
  ProcessResult sealed = run("encrypt", "x", {"--context", "c", "--field", "notes"});
  EXPECT_EQ(run("decrypt", sealed.out, {"--context", "c", "--field", "notes"}).out, "x");
  expect_one_line_failure(run("decrypt", sealed.out, {"--context", "c"}));
}

TEST_P(CipherCommand, ABadTokenExitsOneWithOneLineAndNothingOnStdout) {
  ProcessResult sealed = run("encrypt", "x");
  std::string altered = sealed.out;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  expect_one_line_failure(run("decrypt", altered));
  expect_one_line_failure(run("decrypt", "garbage"));
  expect_one_line_failure(run("decrypt", ""));
  ProcessResult r = run("decrypt", "garbage");
  EXPECT_EQ(r.err.rfind("vigil cipher: " + GetParam() + ": not a", 0), 0u) << r.err;
}

TEST_P(CipherCommand, AnotherKeyFileCannotDecrypt) {
  ProcessResult sealed = run("encrypt", "x");
  key = write_key_file(dir, "other.key", vigil::test::random_fernet_key());
  expect_one_line_failure(run("decrypt", sealed.out));
}

TEST_P(CipherCommand, AKeyFileOthersCanReadIsRefusedWithTheFix) {
  key = write_key_file(dir, "open.key", vigil::test::random_fernet_key(), 0644);
  ProcessResult r = run("encrypt", "x");
  expect_one_line_failure(r);
  EXPECT_NE(r.err.find("key file " + key + ": group or others may access it (mode 0644)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
}

TEST_P(CipherCommand, AKeyInHexWorksAsWell) {
  key = write_key_file(dir, "hex.key", vigil::test::random_hex_key());
  EXPECT_EQ(run("decrypt", run("encrypt", "x").out).out, "x");
}

TEST_P(CipherCommand, ThePluginCanBeAPathOrFoundThroughTheConfigsPluginPaths) {
  std::string plugin_path = std::string(VIGIL_PLUGIN_DIR) + "/" + GetParam() + ".so";
  std::vector<std::string> argv = {built_binary("vigil"), "cipher",     "encrypt", "--plugin",
                                   plugin_path,           "--key-file", key};
  ProcessResult by_path = run_process(argv, "x");
  ASSERT_EQ(by_path.exit_code, 0) << by_path.err;
  std::string config = dir.write("vigil.yaml", "plugin_paths: [\"" + std::string(VIGIL_PLUGIN_DIR) + "\"]\n");
  EXPECT_EQ(run("decrypt", by_path.out, {"--config", config}).out, "x");
}

INSTANTIATE_TEST_SUITE_P(BothCiphers, CipherCommand, ::testing::Values("cipher-sodium", "cipher-fernet"),
                         [](const auto& info) { return info.param == "cipher-sodium" ? "Sodium" : "Fernet"; });

TEST(CipherCommandUsage, MistakesExitSixtyFourWithTheUsage) {
  TempDir dir;
  std::string key = write_key_file(dir, "k", vigil::test::random_hex_key());
  for (std::vector<std::string> args : {std::vector<std::string>{"--plugin", "cipher-sodium", "--key-file", key},
                                        {"seal", "--plugin", "cipher-sodium", "--key-file", key},
                                        {"encrypt", "--key-file", key},
                                        {"encrypt", "--plugin", "cipher-sodium"},
                                        {"encrypt", "--plugin", "cipher-sodium", "--key-file", key, "--key", "00"}}) {
    args.insert(args.begin(), {built_binary("vigil"), "cipher"});
    ProcessResult r = run_process(args, "x");
    EXPECT_EQ(r.exit_code, 64) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("usage: vigil cipher encrypt|decrypt"), std::string::npos) << r.err;
  }
}

TEST(CipherCommandUsage, AnUnknownPluginOrOneWithoutACipherIsNamed) {
  TempDir dir;
  std::string key = write_key_file(dir, "k", vigil::test::random_hex_key());
  ProcessResult missing =
      run_process({built_binary("vigil"), "cipher", "encrypt", "--plugin", "cipher-nope", "--key-file", key}, "x");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("cipher-nope"), std::string::npos) << missing.err;
  ProcessResult not_cipher =
      run_process({built_binary("vigil"), "cipher", "encrypt", "--plugin", "rule-sltp", "--key-file", key}, "x");
  EXPECT_EQ(not_cipher.exit_code, 1);
  EXPECT_NE(not_cipher.err.find("has no cipher component"), std::string::npos) << not_cipher.err;
}
