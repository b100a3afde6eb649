// Reading the YAML config: every error names the file, line and key.
#include "hosts/common/config.hpp"

#include <gtest/gtest.h>

using vigil::host::ConfigError;
using vigil::host::parse_config;

namespace {

std::string error_of(const std::string& yaml) {
  try {
    parse_config(yaml, "vigil.yaml", "/etc/vigil");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST(Config, ReadsRolesOptionsAndInstruments) {
  auto config = parse_config(R"(instruments:
  - {symbol: EURUSD, digits: 5}
rules:
  - plugin: rule-sltp
  - rule-trailing
feeds:
  - plugin: feed-replay
    options: {file: a.csv, speed: 1.5, on_error: skip, tags: [a, 1], quoted: "007", flag: true}
store: {plugin: store-sqlite, options: {path: vigil.db}}
plugin_paths: [plugins, /abs]
)",
                             "vigil.yaml", "/etc/vigil");
  ASSERT_EQ(config.instruments.size(), 1u);
  EXPECT_EQ(config.instruments[0].digits, 5);
  ASSERT_EQ(config.rules.size(), 2u);
  EXPECT_EQ(config.rules[1].plugin, "rule-trailing");
  EXPECT_EQ(config.rules[1].where, "rules[1]");
  EXPECT_EQ(config.feeds[0].options_json,
            R"({"file":"a.csv","flag":true,"on_error":"skip","quoted":"007","speed":1.5,"tags":["a",1]})");
  EXPECT_EQ(config.plugin_paths[0], "/etc/vigil/plugins");
  EXPECT_EQ(config.plugin_paths[1], "/abs");
  EXPECT_EQ(config.plugin_references(),
            (std::vector<std::string>{"store-sqlite", "feed-replay", "rule-sltp", "rule-trailing"}));
}

TEST(Config, ListsEachLibraryOnce) {
  auto config =
      parse_config("feeds: [feed-replay, feed-replay]\nrules: [rule-sltp]\nplugins: [rule-sltp]\n", "v.yaml", "/");
  EXPECT_EQ(config.plugin_references(), (std::vector<std::string>{"rule-sltp", "feed-replay"}));
}

TEST(Config, NamesFileLineAndKeyOfEachMistake) {
  EXPECT_EQ(error_of("rules:\n  - options: {}\n"),
            "vigil.yaml:2: rules[0].plugin: missing: name the plugin for this role");
  EXPECT_EQ(error_of("instrumnts: []\n"), "vigil.yaml:1: instrumnts: unknown key");
  EXPECT_EQ(error_of("rules: []\nrules: []\n"), "vigil.yaml:2: rules: duplicate key");
  EXPECT_EQ(error_of("instruments:\n  - {symbol: X, digits: five}\n"),
            "vigil.yaml:2: instruments[0].digits: expected a whole number from 0 to 10");
  EXPECT_EQ(error_of("instruments:\n  - {symbol: X, digits: 5}\n  - {symbol: X, digits: 3}\n"),
            "vigil.yaml:3: instruments[1].symbol: duplicate instrument");
  EXPECT_EQ(error_of("store:\n  plugin: store-sqlite\n  options: [1]\n"),
            "vigil.yaml:3: store.options: expected a mapping");
  EXPECT_EQ(error_of("feeds:\n  - plugin: f\n    options: {a: 1, a: 2}\n"),
            "vigil.yaml:3: feeds[0].options.a: duplicate key");
  EXPECT_EQ(error_of("log_level: loud\n"), "vigil.yaml:1: log_level: expected debug, info, warn or error");
}

TEST(Config, ARuleMayFallBackToThePositionsOwnStopOnlyWhenItSaysSo) {
  auto config = parse_config("rules:\n  - {plugin: rule-trailing, fallback: owner_stop}\n  - rule-sltp\n"
                             "  - {plugin: rule-expiry, fallback: none}\n",
                             "vigil.yaml", "/etc/vigil");
  EXPECT_TRUE(config.rules[0].fallback_to_owner_stop);
  EXPECT_FALSE(config.rules[1].fallback_to_owner_stop);
  EXPECT_FALSE(config.rules[2].fallback_to_owner_stop);
  EXPECT_EQ(error_of("rules:\n  - plugin: rule-trailing\n    fallback: sl\n"),
            "vigil.yaml:3: rules[0].fallback: expected none or owner_stop");
  EXPECT_EQ(error_of("feeds:\n  - {plugin: feed-replay, fallback: owner_stop}\n"),
            "vigil.yaml:2: feeds[0].fallback: unknown key");
}

TEST(Config, ReportsTheLineOfAYamlSyntaxError) {
  std::string error = error_of("rules:\n  - plugin: [unclosed\n");
  EXPECT_EQ(error.rfind("vigil.yaml:", 0), 0u) << error;
  EXPECT_NE(error.find("vigil.yaml:3:"), std::string::npos) << error;
}

// Found by tests/fuzz (config): a byte that is not UTF-8 in a plugin's
// options escaped as nlohmann's type_error instead of a ConfigError.
TEST(Config, RefusesTextThatIsNotUtf8NamingTheLine) {
  EXPECT_EQ(error_of("feeds:\n  - plugin: feed-replay\n    options: {fi\xcd: x.csv}\n"),
            "vigil.yaml:3: not valid UTF-8 (byte 48 of the file)");
  EXPECT_EQ(error_of("log_level: \xc0\xaf\n"), "vigil.yaml:1: not valid UTF-8 (byte 12 of the file)");   // overlong
  EXPECT_EQ(error_of("rules: [\xed\xa0\x80]\n"), "vigil.yaml:1: not valid UTF-8 (byte 9 of the file)");  // surrogate
  EXPECT_EQ(error_of("rules:\n  - r\xe2\x82"), "vigil.yaml:2: not valid UTF-8 (byte 13 of the file)");   // cut short
  EXPECT_EQ(error_of("rules: [\"caf\xc3\xa9 \xf0\x9f\x98\x80\"]\n"), "(accepted)");
}

// Found by tests/fuzz (config) too: yaml-cpp writes the escapes \_ and \N
// of a double-quoted scalar as the Latin-1 bytes A0 and 85, so UTF-8 text
// still produced an option that nlohmann refused to write with type_error.
TEST(Config, RefusesEscapesThatYamlCppTurnsIntoInvalidUtf8) {
  const std::string why = "not valid UTF-8 (YAML's \\N and \\_ escapes are not supported)";
  EXPECT_EQ(error_of("feeds:\n  - plugin: f\n    options: {a: \"x\\_y\"}\n"),
            "vigil.yaml:3: feeds[0].options.a: " + why);
  EXPECT_EQ(error_of("store:\n  plugin: s\n  options:\n    \"k\\N\": 1\n"), "vigil.yaml:4: store.options: " + why);
  EXPECT_EQ(error_of("instruments:\n  - {symbol: \"EUR\\NUSD\", digits: 5}\n"),
            "vigil.yaml:2: instruments[0].symbol: " + why);
  EXPECT_EQ(error_of("feeds:\n  - plugin: f\n    options: {a: \"x\\x85\\u00a0\\Ly\"}\n"), "(accepted)");
}

TEST(Config, RefusesInlineSecretsWithoutRepeatingThem) {
  std::string error = error_of("secrets:\n  master_key: 00112233\n");
  EXPECT_EQ(error.rfind("vigil.yaml:2: secrets.master_key: secrets are never written in the config", 0), 0u) << error;
  EXPECT_EQ(error.find("00112233"), std::string::npos);
}

TEST(Config, TakesSecretFilesRelativeToTheConfig) {
  auto config = parse_config("secrets: {admin_token_file: token.txt}\n", "v.yaml", "/etc/vigil");
  EXPECT_EQ(*config.secrets.admin_token_file, "/etc/vigil/token.txt");
}

TEST(Config, ReadsThePriceGuards) {
  auto config = parse_config("guards: {spike: reject, spike_factor: 30, stale_after_seconds: 15}\n", "v.yaml", "/");
  EXPECT_EQ(config.guards.spike, "reject");
  EXPECT_EQ(config.guards.spike_factor, 30);
  EXPECT_EQ(config.guards.stale_after_seconds, 15);
  EXPECT_EQ(error_of("guards: {spike: maybe}\n"), "vigil.yaml:1: guards.spike: expected hold, reject or off");
}

TEST(Config, ReadsTradingHoursAndHoldWhenStalePerInstrument) {
  auto config = parse_config(R"(instruments:
  - symbol: EURUSD
    digits: 5
    trading_hours: ["Sun 22:00-24:00", "Mon-Thu 00:00-24:00", "Fri 00:00-22:00"]
    hold_when_stale: true
  - {symbol: BTCUSD, digits: 2}
guards: {stale_after_seconds: 30}
)",
                             "vigil.yaml", "/");
  ASSERT_EQ(config.instruments.size(), 2u);
  EXPECT_EQ(config.instruments[0].trading_hours,
            (std::vector<std::string>{"Sun 22:00-24:00", "Mon-Thu 00:00-24:00", "Fri 00:00-22:00"}));
  EXPECT_TRUE(config.instruments[0].hold_when_stale);
  EXPECT_TRUE(config.instruments[1].trading_hours.empty());  // always trading
  EXPECT_FALSE(config.instruments[1].hold_when_stale);
}

TEST(Config, RefusesBadTradingHoursWithLineAndEntry) {
  EXPECT_EQ(error_of("instruments:\n  - symbol: X\n    digits: 5\n    trading_hours:\n      - Mon-Fri 00:00-24:00\n"
                     "      - Sun 22:00-06:00\n"),
            "vigil.yaml:6: instruments[0].trading_hours[1]: 'Sun 22:00-06:00': the session ends before it starts "
            "(split an overnight session at 24:00)");
  EXPECT_EQ(error_of("instruments:\n  - {symbol: X, digits: 5, trading_hours: [Mon-Fri 8:00-17:00]}\n"),
            "vigil.yaml:2: instruments[0].trading_hours[0]: 'Mon-Fri 8:00-17:00': '8:00' is not a time of day "
            "(HH:MM, 00:00 to 24:00)");
  EXPECT_EQ(error_of("instruments:\n  - {symbol: X, digits: 5, trading_hours: Mon-Fri 00:00-24:00}\n"),
            "vigil.yaml:2: instruments[0].trading_hours: expected a list of weekly UTC sessions, e.g. "
            "['Mon-Fri 00:00-24:00']");
  EXPECT_EQ(error_of("instruments:\n  - {symbol: X, digits: 5, trading_hours: []}\n"),
            "vigil.yaml:2: instruments[0].trading_hours: expected a list of weekly UTC sessions, e.g. "
            "['Mon-Fri 00:00-24:00']");
  EXPECT_EQ(error_of("instruments:\n  - {symbol: X, digits: 5, hold_when_stale: yes}\n"),
            "vigil.yaml:2: instruments[0].hold_when_stale: expected true or false");
  EXPECT_EQ(error_of("instruments:\n  - {symbol: X, digits: 5}\n  - {symbol: Y, digits: 5, hold_when_stale: true}\n"),
            "vigil.yaml:3: instruments[1].hold_when_stale: needs guards.stale_after_seconds: without it no "
            "instrument is ever stale");
}

// Found by tests/fuzz (config) in a CI run: a sequence under secrets: was
// iterated as a mapping and yaml-cpp threw InvalidNode.
TEST(Config, RefusesSecretsThatAreNotAMapping) {
  EXPECT_EQ(error_of("secrets:\n  - admin_token_file: x\n"), "vigil.yaml:2: secrets: expected a mapping");
}
