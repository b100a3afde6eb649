#include "hosts/common/args.hpp"

#include <gtest/gtest.h>

using vigil::host::Args;
using vigil::host::UsageError;

namespace {

Args parse(std::vector<std::string> words) {
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  return Args(static_cast<int>(argv.size()), argv.data(), {"config", "plugin"}, {"help"});
}

}  // namespace

TEST(Args, ReadsOptionsRepeatedOptionsFlagsAndInlineValues) {
  Args args = parse({"--config", "a.yaml", "--plugin", "x.so", "--plugin=y.so", "--help", "word"});
  EXPECT_EQ(args.require("config"), "a.yaml");
  EXPECT_EQ(args.all("plugin"), (std::vector<std::string>{"x.so", "y.so"}));
  EXPECT_TRUE(args.has("help"));
  EXPECT_EQ(args.positional(), std::vector<std::string>{"word"});
}

TEST(Args, NamesTheArgumentItRefuses) {
  try {
    parse({"--confg", "a"});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "unknown option --confg");
  }
  EXPECT_THROW(parse({"--config"}), UsageError);
  EXPECT_THROW(parse({}).require("config"), UsageError);
}
