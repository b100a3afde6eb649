// Every `vigil` command and subcommand, and vigild, answers --help (and -h)
// with its usage on stdout and exit 0 -- what help2man turns into the man
// pages. An option with a value of the wrong type is refused naming the
// option and what it expects (before, `vigil rekey --batch abc` said only
// "stoul").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/process.hpp"

using vigil::test::built_binary;
using vigil::test::ProcessResult;
using vigil::test::run_process;

namespace {

ProcessResult run_vigil(std::vector<std::string> args) {
  args.insert(args.begin(), built_binary("vigil"));
  return run_process(args);
}

struct HelpCase {
  std::vector<std::string> words;  // before --help
  std::string usage;               // the start of stdout
};

const std::vector<HelpCase> kHelpCases = {
    {{}, "usage: vigil <command> [options]\n"},
    {{"plugins"}, "usage: vigil plugins [--config FILE] [--plugin PATH]...\n"},
    {{"replay"}, "usage: vigil replay [--config FILE] --positions FILE --ticks FILE"},
    {{"cipher"}, "usage: vigil cipher encrypt|decrypt --plugin NAME --key-file FILE"},
    {{"cipher", "encrypt"}, "usage: vigil cipher encrypt|decrypt"},
    {{"rekey"}, "usage: vigil rekey [--config FILE] [--data-dir DIR] [--master-key-file FILE] [--batch N]\n"},
    {{"migrate"}, "usage: vigil migrate [--config FILE] [--data-dir DIR]\n"},
    {{"audit"}, "usage: vigil audit verify [--config FILE] [--data-dir DIR]\n"},
    {{"audit", "verify"}, "usage: vigil audit verify [--config FILE] [--data-dir DIR]\n"},
    {{"cluster"}, "usage: vigil cluster status [--config FILE] [--json]\n"},
    {{"cluster", "status"}, "usage: vigil cluster status [--config FILE] [--json]\n"},
    {{"feed-check"}, "usage: vigil feed-check [--config FILE] [--seconds N] [--ticks N]\n"},
};

}  // namespace

TEST(CliHelp, EveryCommandAnswersHelpOnStdoutWithExitZero) {
  for (const HelpCase& c : kHelpCases) {
    for (const char* flag : {"--help", "-h"}) {
      std::vector<std::string> words = c.words;
      words.push_back(flag);
      ProcessResult r = run_vigil(words);
      std::string what = "vigil " + testing::PrintToString(words);
      EXPECT_EQ(r.exit_code, 0) << what << r.err;
      EXPECT_EQ(r.err, "") << what;
      EXPECT_EQ(r.out.rfind(c.usage, 0), 0u) << what << "\n" << r.out;
      EXPECT_NE(r.out.find("--help, -h"), std::string::npos) << what << "\n" << r.out;
      EXPECT_NE(r.out.find("exit codes:"), std::string::npos) << what << "\n" << r.out;
    }
  }
}

TEST(CliHelp, HelpWinsOverMissingRequiredOptions) {
  // replay requires --positions and --ticks, cipher --plugin and --key-file.
  EXPECT_EQ(run_vigil({"replay", "--config", "/nonexistent.yaml", "--help"}).exit_code, 0);
  EXPECT_EQ(run_vigil({"cipher", "decrypt", "--help"}).exit_code, 0);
}

TEST(CliHelp, VigildAnswersHelpWithEveryOption) {
  for (const char* flag : {"--help", "-h"}) {
    ProcessResult r = run_process({built_binary("vigild"), flag});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("usage: vigild [--config FILE]", 0), 0u) << r.out;
    for (const char* option : {"--config", "--plugin", "--listen", "--data-dir", "--admin-token-file",
                               "--master-key-file", "--log-level", "--version"})
      EXPECT_NE(r.out.find(std::string("\n  ") + option), std::string::npos) << option << "\n" << r.out;
    EXPECT_NE(r.out.find("\nexit codes:"), std::string::npos) << r.out;
  }
}

TEST(CliUsage, NoCommandIsAUsageErrorOnStderr) {
  ProcessResult r = run_vigil({});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("usage: vigil <command> [options]\n", 0), 0u) << r.err;
}

TEST(CliUsage, ATypedOptionNamesItselfAndWhatItExpects) {
  for (const char* bad : {"abc", "0", "100001", "-1", "5x", "2.5", ""}) {
    ProcessResult r = run_vigil({"rekey", "--batch", bad});
    EXPECT_EQ(r.exit_code, 64) << bad;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, std::string("vigil rekey: option --batch: expected a whole number from 1 to 100000, got '") + bad +
                         "'\nusage: vigil rekey [--config FILE] [--data-dir DIR] [--master-key-file FILE]"
                         " [--batch N]\n");
  }
}

TEST(CliUsage, UnknownOptionsMissingValuesAndStrayWordsAreNamed) {
  struct Case {
    std::vector<std::string> words;
    std::string first_line;
  };
  const std::vector<Case> cases = {
      {{"audit", "verify", "--data-dri", "x"}, "vigil audit: unknown option --data-dri"},
      {{"migrate", "--config"}, "vigil migrate: option --config needs a value"},
      {{"migrate", "now"}, "vigil migrate: unexpected argument 'now'"},
      {{"plugins", "--help=yes"}, "vigil plugins: option --help takes no value"},
      {{"audit", "check"}, "vigil audit: expected the subcommand verify"},
      {{"cluster", "show"}, "vigil cluster: expected the subcommand status"},
      {{"cipher", "--plugin", "cipher-sodium"}, "vigil cipher: expected exactly one of encrypt or decrypt"},
  };
  for (const Case& c : cases) {
    ProcessResult r = run_vigil(c.words);
    EXPECT_EQ(r.exit_code, 64) << c.first_line;
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')), c.first_line) << r.err;
    EXPECT_NE(r.err.find("\nusage: vigil "), std::string::npos) << r.err;
  }
}

TEST(CliUsage, ReplayUsageErrorsExitTwoAsItsOtherBadInput) {
  ProcessResult r = run_vigil({"replay", "--ticks"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("vigil replay: option --ticks needs a value\nusage: vigil replay", 0), 0u) << r.err;
}
