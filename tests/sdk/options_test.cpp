// vigil/cpp/options.hpp: the options reader plugins use, each getter, each
// refusal's message, unknown keys and the options-plus-parameters merge.
#include "vigil/cpp/options.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "vigil/cpp/error.hpp"

using vigil::sdk::Options;

namespace {

// The message of the std::invalid_argument `body` throws; "" if none.
std::string refusal(const std::function<void()>& body) {
  try {
    body();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

std::string refusal_of(const std::string& json) {
  return refusal([&] { Options(json, "feed-x"); });
}

}  // namespace

TEST(Options, EmptyTextIsAnEmptyObject) {
  Options o("", "feed-x");
  EXPECT_FALSE(o.has("anything"));
  EXPECT_EQ(o.integer("n", 7), 7);
  o.finish();
}

TEST(Options, RefusesTextThatIsNotAJsonObject) {
  EXPECT_EQ(refusal_of("[1]"), "feed-x: options: must be a JSON object, got a list");
  EXPECT_EQ(refusal_of("null"), "feed-x: options: must be a JSON object, got null");
  EXPECT_EQ(refusal_of("{\"a\":1,}"), "feed-x: options: not valid JSON: expected a key at offset 7");
  EXPECT_EQ(refusal_of("{\"a\":1} x"), "feed-x: options: not valid JSON: unexpected text at offset 8");
  EXPECT_EQ(refusal_of("{\"a\":01}"), "feed-x: options: not valid JSON: expected ',' or '}' at offset 6");
  EXPECT_EQ(refusal_of("{\"a\":\"\xff\"}"), "feed-x: options: not valid JSON: not UTF-8 at offset 6");
  EXPECT_EQ(refusal_of("{\"a\":\"\\ud800\"}"), "feed-x: options: not valid JSON: lone UTF-16 surrogate at offset 12");
  EXPECT_EQ(refusal_of(std::string(65, '[') + std::string(65, ']')).substr(0, 46),
            "feed-x: options: not valid JSON: nested too de");
}

TEST(Options, RefusesAKeyGivenTwice) {
  EXPECT_EQ(refusal_of(R"({"b":1,"a":2,"b":3})"),
            "feed-x: options: not valid JSON: key 'b' given twice in the object ending at offset 18");
}

TEST(Options, ReadsEscapedStringsAsUtf8) {
  Options o(R"({"s":"a\"b\\c\/d\n\u00e9\ud83d\ude00"})");
  EXPECT_EQ(o.required_string("s"), "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(Options, ALeadingPluginNameIsLeftOutWhenEmpty) {
  EXPECT_EQ(refusal([] { Options(R"({"n":"x"})").integer("n", 0); }), "option n: expected an integer, got \"x\"");
}

TEST(Options, ReadsStrings) {
  Options o(R"({"host":"example.org"})", "feed-x");
  EXPECT_EQ(o.required_string("host"), "example.org");
  EXPECT_EQ(o.string("user", "vigil"), "vigil");
}

TEST(Options, RefusesAMissingOrEmptyOrNonStringString) {
  EXPECT_EQ(refusal([] { Options("{}", "feed-x").required_string("host"); }), "feed-x: option host: missing");
  EXPECT_EQ(refusal([] { Options(R"({"host":""})", "feed-x").string("host", "h"); }),
            "feed-x: option host: expected a non-empty string, got \"\"");
  EXPECT_EQ(refusal([] { Options(R"({"host":7})", "feed-x").string("host", "h"); }),
            "feed-x: option host: expected a non-empty string, got 7");
  EXPECT_EQ(refusal([] { Options(R"({"host":null})", "feed-x").string("host", "h"); }),
            "feed-x: option host: expected a non-empty string, got null");
}

TEST(Options, RefusesAStringInThePluginsWordsWhenItGivesThem) {
  Options o(R"({"listen":"h:1"})", "transport-x");
  EXPECT_EQ(o.string("listen", "127.0.0.1:8080", "\"HOST:PORT\""), "h:1");
  EXPECT_EQ(o.string("dir", "d", "the path of a directory"), "d");
  EXPECT_EQ(refusal([] { Options(R"({"listen":8080})", "transport-x").string("listen", "", "\"HOST:PORT\""); }),
            "transport-x: option listen: expected \"HOST:PORT\", got 8080");
  EXPECT_EQ(refusal([] { Options(R"({"listen":""})", "transport-x").string("listen", "", "\"HOST:PORT\""); }),
            "transport-x: option listen: expected \"HOST:PORT\", got \"\"");
}

TEST(Options, ShortensALongValueInTheMessage) {
  std::string error = refusal([] { Options(R"({"n":")" + std::string(100, 'a') + R"("})").integer("n", 0); });
  EXPECT_EQ(error, "option n: expected an integer, got \"" + std::string(37, 'a') + "...\"");
}

TEST(Options, ReadsOneOfAFixedSetOfStrings) {
  Options o(R"({"format":"mt5"})", "feed-x");
  EXPECT_EQ(o.one_of("format", {"csv", "mt5"}, "csv"), "mt5");
  EXPECT_EQ(o.one_of("on_error", {"fail", "skip"}, "fail"), "fail");
  EXPECT_EQ(refusal([] {
              Options(R"({"close":"some"})").one_of("close", {"all", "worst"}, "all");
            }),
            "option close: expected all or worst, got \"some\"");
  EXPECT_EQ(refusal([] {
              Options(R"({"f":1})").one_of("f", {"a", "b", "c"}, "a");
            }),
            "option f: expected a, b or c, got 1");
}

TEST(Options, ReadsBooleans) {
  Options o(R"({"reset":true,"loop":false})");
  EXPECT_TRUE(o.boolean("reset", false));
  EXPECT_FALSE(o.boolean("loop", true));
  EXPECT_TRUE(o.boolean("absent", true));
  EXPECT_EQ(refusal([] { Options(R"({"reset":"yes"})", "feed-x").boolean("reset", false); }),
            "feed-x: option reset: expected true or false, got \"yes\"");
  EXPECT_EQ(refusal([] { Options(R"({"reset":1})").boolean("reset", false); }),
            "option reset: expected true or false, got 1");
}

TEST(Options, ReadsIntegersWithinTheirRange) {
  Options o(R"({"port":9876,"low":-9223372036854775808,"high":9223372036854775807})");
  EXPECT_EQ(o.required_integer("port", 1, 65535), 9876);
  EXPECT_EQ(o.integer("threads", 4, 1, 64), 4);
  EXPECT_EQ(o.required_integer("low"), INT64_MIN);
  EXPECT_EQ(o.required_integer("high"), INT64_MAX);
}

TEST(Options, RefusesIntegersOutOfRangeOrWrittenOtherwise) {
  auto port = [](const std::string& value) {
    return refusal([&] { Options(R"({"port":)" + value + "}", "feed-fix").integer("port", 1, 1, 65535); });
  };
  EXPECT_EQ(port("70000"), "feed-fix: option port: expected an integer from 1 to 65535, got 70000");
  EXPECT_EQ(port("\"9876\""), "feed-fix: option port: expected an integer from 1 to 65535, got \"9876\"");
  EXPECT_EQ(port("98.0"), "feed-fix: option port: expected an integer from 1 to 65535, got 98.0");
  EXPECT_EQ(port("1e3"), "feed-fix: option port: expected an integer from 1 to 65535, got 1e3");
  EXPECT_EQ(refusal([] { Options(R"({"n":9223372036854775808})").integer("n", 0); }),
            "option n: expected an integer, got 9223372036854775808");
  EXPECT_EQ(refusal([] { Options(R"({"n":-1})").integer("n", 0, 0); }),
            "option n: expected an integer of at least 0, got -1");
  EXPECT_EQ(refusal([] { Options(R"({"n":11})").integer("n", 0, INT64_MIN, 10); }),
            "option n: expected an integer of at most 10, got 11");
  EXPECT_EQ(refusal([] { Options("{}").required_integer("n", 1, 2); }), "option n: missing");
}

TEST(Options, ReadsNumbersFromNumbersOrText) {
  Options o(R"({"speed":2.5,"balance":"10000.25","tiny":1e-3})");
  EXPECT_EQ(o.required_number("speed", 0), 2.5);
  EXPECT_EQ(o.number("balance", 0), 10000.25);
  EXPECT_EQ(o.number("tiny", 0), 0.001);
  EXPECT_EQ(o.number("absent", 10), 10);
}

TEST(Options, RefusesNumbersOutOfRangeOrNotNumbers) {
  EXPECT_EQ(refusal([] { Options(R"({"speed":-1})", "feed-replay").number("speed", 0, 0); }),
            "feed-replay: option speed: expected a number of at least 0, got -1");
  EXPECT_EQ(refusal([] { Options(R"({"p":1.5})").number("p", 0, 0, 1); }),
            "option p: expected a number from 0 to 1, got 1.5");
  EXPECT_EQ(refusal([] { Options(R"({"p":2})").number("p", 0, -std::numeric_limits<double>::infinity(), 0.5); }),
            "option p: expected a number of at most 0.5, got 2");
  EXPECT_EQ(refusal([] { Options(R"({"p":"lots"})").number("p", 0); }), "option p: expected a number, got \"lots\"");
  EXPECT_EQ(refusal([] { Options(R"({"p":" 5"})").number("p", 0); }), "option p: expected a number, got \" 5\"");
  EXPECT_EQ(refusal([] { Options(R"({"p":1e999})").number("p", 0); }), "option p: expected a number, got 1e999");
  EXPECT_EQ(refusal([] { Options(R"({"p":true})").number("p", 0); }), "option p: expected a number, got true");
}

TEST(Options, ReadsDurationsWithAUnitOrAsSeconds) {
  Options o(R"({"a":"250ms","b":"90s","c":"15m","d":"4h","e":"2d","f":30,"g":"0s"})");
  EXPECT_EQ(o.duration_ms("a", 0), 250);
  EXPECT_EQ(o.duration_ms("b", 0), 90000);
  EXPECT_EQ(o.duration_ms("c", 0), 900000);
  EXPECT_EQ(o.duration_ms("d", 0), 14400000);
  EXPECT_EQ(o.required_duration_ms("e"), 172800000);
  EXPECT_EQ(o.duration_ms("f", 0), 30000);
  EXPECT_EQ(o.duration_ms("g", 5, 0), 0);
  EXPECT_EQ(o.duration_ms("absent", 1234), 1234);
}

TEST(Options, RefusesDurationsWithoutAUnitOrOutOfRange) {
  auto after = [](const std::string& value, int64_t min = 1, int64_t max = INT64_MAX) {
    return refusal([&] { Options(R"({"after":)" + value + "}").duration_ms("after", 0, min, max); });
  };
  const std::string like = " (\"250ms\", \"90s\", \"15m\", \"4h\", \"2d\" or a number of seconds)";
  EXPECT_EQ(after("\"soon\""), "option after: expected a positive duration" + like + ", got \"soon\"");
  EXPECT_EQ(after("\"90\""), "option after: expected a positive duration" + like + ", got \"90\"");
  EXPECT_EQ(after("\"1.5h\""), "option after: expected a positive duration" + like + ", got \"1.5h\"");
  EXPECT_EQ(after("\"-5s\""), "option after: expected a positive duration" + like + ", got \"-5s\"");
  EXPECT_EQ(after("0"), "option after: expected a positive duration" + like + ", got 0");
  EXPECT_EQ(after("1.5"), "option after: expected a positive duration" + like + ", got 1.5");
  EXPECT_EQ(after("\"99999999999999999d\""),
            "option after: expected a positive duration" + like + ", got \"99999999999999999d\"");
  EXPECT_EQ(after("\"2h\"", 1000, 3600000), "option after: expected a duration from 1s to 1h" + like + ", got \"2h\"");
  EXPECT_EQ(after("\"1s\"", 60000), "option after: expected a duration of at least 1m" + like + ", got \"1s\"");
  EXPECT_EQ(after("-1", 0), "option after: expected a duration" + like + ", got -1");
}

TEST(Options, ReadsTimesAsIsoOrUnixMilliseconds) {
  Options o(R"({"at":"2024-01-02T21:00:00Z","ms":1704229200000})");
  EXPECT_EQ(o.required_time_ms("at"), 1704229200000);
  EXPECT_EQ(o.time_ms("ms", 0), 1704229200000);
  EXPECT_EQ(o.time_ms("absent", 5), 5);
  EXPECT_EQ(refusal([] { Options(R"({"at":"tomorrow"})").time_ms("at", 0); }),
            "option at: expected ISO-8601 UTC (\"2024-01-02T21:00:00Z\") or unix milliseconds, got \"tomorrow\"");
}

TEST(Options, ReadsPricesAsWrittenInTextOrNumbers) {
  Options o(R"({"text":"1.10500","number":1.105,"exponent":1e-05,"big":2.5E2,"trailing":"1.1000000"})");
  EXPECT_EQ(o.required_price("text", 5), 110500);
  EXPECT_EQ(o.price("number", 5, 0), 110500);
  EXPECT_EQ(o.price("exponent", 5, 0), 1);
  EXPECT_EQ(o.price("big", 2, 0), 25000);
  EXPECT_EQ(o.price("trailing", 5, 0), 110000);
  EXPECT_EQ(o.price("absent", 5, 42), 42);
}

TEST(Options, RefusesPricesItCannotReadExactly) {
  auto price = [](const std::string& value) {
    return refusal([&] { Options(R"({"start":)" + value + "}", "feed-x").price("start", 5, 0); });
  };
  EXPECT_EQ(price("\"1.123456\""), "feed-x: option start: '1.123456' has more decimals than the instrument's digits");
  EXPECT_EQ(price("1.123456"), "feed-x: option start: '1.123456' has more decimals than the instrument's digits");
  EXPECT_EQ(price("\"abc\""), "feed-x: option start: 'abc' is not a decimal number");
  EXPECT_EQ(price("\"\""), "feed-x: option start: '' is empty");
  EXPECT_EQ(price("1e100"), "feed-x: option start: '1e100' is out of range");
  EXPECT_EQ(price("99999999999999999999"), "feed-x: option start: '99999999999999999999' is out of range");
  EXPECT_EQ(price("0"), "feed-x: option start: expected a positive price, got 0");
  EXPECT_EQ(price("\"-1.1\""), "feed-x: option start: expected a positive price, got \"-1.1\"");
  EXPECT_EQ(price("true"), "feed-x: option start: expected a price (\"1.10500\"), got true");
  EXPECT_EQ(refusal([] { Options("{}").required_price("start", 5); }), "option start: missing");
}

TEST(Options, ReadsDistancesAsPricesOrPoints) {
  Options o(R"({"a":"0.00050","b":{"points":7},"c":0.001,"d":"0"})");
  EXPECT_EQ(o.required_distance("a", 5), 50);
  EXPECT_EQ(o.distance("b", 5, 0), 7);
  EXPECT_EQ(o.distance("c", 5, 0), 100);
  EXPECT_EQ(o.distance("d", 5, 9), 0);
  EXPECT_EQ(o.distance("absent", 5, 9), 9);
}

TEST(Options, RefusesDistancesItCannotRead) {
  auto distance = [](const std::string& value) {
    return refusal([&] { Options(R"({"distance":)" + value + "}").distance("distance", 5, 0); });
  };
  const std::string expected = "option distance: expected a price (\"0.00050\") or {\"points\": N}, got ";
  EXPECT_EQ(distance("\"-0.1\""), "option distance: must not be negative, got \"-0.1\"");
  EXPECT_EQ(distance("\"0.000001\""), "option distance: '0.000001' has more decimals than the instrument's digits");
  EXPECT_EQ(distance("{\"points\":-1}"), "option distance.points: expected an integer of at least 0, got -1");
  EXPECT_EQ(distance("{\"points\":1.5}"), "option distance.points: expected an integer of at least 0, got 1.5");
  EXPECT_EQ(distance("{\"pips\":1}"), expected + "a mapping");
  EXPECT_EQ(distance("{\"points\":1,\"x\":2}"), expected + "a mapping");
  EXPECT_EQ(distance("[1]"), expected + "a list");
  EXPECT_EQ(distance("null"), expected + "null");
}

TEST(Options, FinishRefusesEveryKeyNothingAskedFor) {
  Options o(R"({"host":"h","hostname":"x","prot":1})", "feed-fix");
  o.required_string("host");
  o.integer("port", 1, 1, 65535);
  o.has("store_dir");
  EXPECT_EQ(refusal([&] { o.finish(); }),
            "feed-fix: options hostname, prot: unknown options (known: host, port, store_dir)");
}

TEST(Options, FinishNamesASingleUnknownKey) {
  Options o(R"({"hostname":"x"})", "feed-fix");
  o.string("host", "h");
  EXPECT_EQ(refusal([&] { o.finish(); }), "feed-fix: option hostname: unknown option (known: host)");
  EXPECT_EQ(refusal([] { Options(R"({"x":1})", "rule-sltp").finish(); }),
            "rule-sltp: option x: unknown option (known: none)");
}

TEST(Options, FinishAcceptsWhatWasAskedFor) {
  Options o(R"({"host":"h","port":1})");
  o.string("host", "");
  o.integer("port", 0);
  EXPECT_NO_THROW(o.finish());
}

TEST(Options, AllowRefusesUnknownKeysBeforeAnyValueIsRead) {
  Options o(R"({"hostname":"x"})", "feed-fix");
  EXPECT_EQ(refusal([&] {
              o.allow({"host", "port"});
            }),
            "feed-fix: option hostname: unknown option (known: host, port)");
  Options ok(R"({"host":"x"})");
  EXPECT_NO_THROW(ok.allow({"host", "port"}));
}

TEST(Options, AllowTakesKeysKnownOnlyAtRunTime) {
  std::vector<std::string> shared = {"key_env", "key_file"};
  shared.push_back("ttl_seconds");
  EXPECT_EQ(refusal([&] { Options(R"({"key_fil":"/k"})", "cipher-x").allow(shared); }),
            "cipher-x: option key_fil: unknown option (known: key_env, key_file, ttl_seconds)");
  EXPECT_NO_THROW(Options(R"({"ttl_seconds":1})").allow(shared));
}

TEST(Options, FailNamesTheKeyInTheReadersWords) {
  Options o("{}", "feed-fix");
  EXPECT_EQ(refusal([&] { o.fail("instrument", "required for the mt5 format"); }),
            "feed-fix: option instrument: required for the mt5 format");
}

TEST(Options, ReadsANestedMapping) {
  Options o(R"({"retry":{"every":"5s","times":3}})", "feed-x");
  Options retry = o.object("retry");
  EXPECT_EQ(retry.duration_ms("every", 0), 5000);
  EXPECT_EQ(refusal([&] { retry.finish(); }), "feed-x: option retry.times: unknown option (known: every)");
  EXPECT_EQ(refusal([&] { retry.fail("every", "too often"); }), "feed-x: option retry.every: too often");
  EXPECT_EQ(o.object("absent").integer("n", 3), 3);
  EXPECT_EQ(refusal([] { Options(R"({"retry":1})").object("retry"); }), "option retry: expected a mapping, got 1");
}

TEST(Options, ReadsAListOfMappingsNamingEachByItsIndex) {
  Options o(R"({"symbols":[{"symbol":"EURUSD"},{"symbol":"GBPUSD","fix":"GBP/USD"}]})", "feed-fix");
  std::vector<Options> symbols = o.objects("symbols");
  ASSERT_EQ(symbols.size(), 2u);
  EXPECT_EQ(symbols[0].required_string("symbol"), "EURUSD");
  EXPECT_EQ(symbols[1].required_string("symbol"), "GBPUSD");
  EXPECT_EQ(refusal([&] { symbols[1].finish(); }), "feed-fix: option symbols[1].fix: unknown option (known: symbol)");
  EXPECT_EQ(refusal([&] { symbols[0].required_string("fix_symbol"); }),
            "feed-fix: option symbols[0].fix_symbol: missing");
  EXPECT_TRUE(o.objects("absent").empty());
}

TEST(Options, RefusesAnEmptyListOrAnItemThatIsNotAMapping) {
  EXPECT_EQ(refusal([] { Options(R"({"symbols":[]})", "feed-fix").objects("symbols"); }),
            "feed-fix: option symbols: expected a non-empty list of mappings, got a list");
  EXPECT_EQ(refusal([] { Options(R"({"symbols":{}})").objects("symbols"); }),
            "option symbols: expected a non-empty list of mappings, got a mapping");
  EXPECT_EQ(refusal([] { Options(R"({"symbols":[{},"EURUSD"]})").objects("symbols"); }),
            "option symbols[1]: expected a mapping, got \"EURUSD\"");
}

TEST(Options, ChildrenOutliveTheTextAndTheirParent) {
  std::vector<Options> steps;
  {
    std::string text = R"({"steps":[{"price":"1.1"}]})";
    steps = Options(text).objects("steps");
  }
  EXPECT_EQ(steps[0].required_price("price", 5), 110000);
}

TEST(OptionsMerge, LaysTheParametersOverTheOptionsKeyByKey) {
  Options p = Options::merge(R"({"distance":"0.00100","step":{"points":5}})", R"({"distance":"0.00050"})",
                             {"distance", "activation", "step"});
  EXPECT_EQ(p.required_distance("distance", 5), 50);
  EXPECT_EQ(p.distance("step", 5, 1), 5);
  EXPECT_FALSE(p.has("activation"));
  EXPECT_NO_THROW(p.finish());
}

TEST(OptionsMerge, EitherSideMayBeEmpty) {
  EXPECT_EQ(Options::merge("", R"({"a":1})", {"a"}).integer("a", 0), 1);
  EXPECT_EQ(Options::merge(R"({"a":2})", "", {"a"}).integer("a", 0), 2);
  EXPECT_FALSE(Options::merge("", "", {"a"}).has("a"));
}

TEST(OptionsMerge, ReplacesANestedObjectWholeAndKeepsANull) {
  Options p = Options::merge(R"({"retry":{"every":"5s","times":3},"limit":4})", R"({"retry":{"times":1},"limit":null})",
                             {"retry", "limit"});
  Options retry = p.object("retry");
  EXPECT_FALSE(retry.has("every"));
  EXPECT_EQ(retry.integer("times", 0), 1);
  EXPECT_TRUE(p.has("limit"));
  EXPECT_EQ(refusal([&] { p.integer("limit", 0); }), "parameter limit: expected an integer, got null");
}

TEST(OptionsMerge, NamesWhereEachValueCameFrom) {
  Options p = Options::merge(R"({"trigger":"x","offset":"-1"})", R"({"offset":"y"})", {"trigger", "offset"}, "rule-be");
  EXPECT_EQ(refusal([&] { p.distance("trigger", 5, 0); }), "rule-be: option trigger: 'x' is not a decimal number");
  EXPECT_EQ(refusal([&] { p.distance("offset", 5, 0); }), "rule-be: parameter offset: 'y' is not a decimal number");
  EXPECT_EQ(refusal([&] { p.required_distance("other", 5); }), "rule-be: parameter other: missing");
}

TEST(OptionsMerge, RefusesASideThatIsNotAnObject) {
  EXPECT_EQ(refusal([] { Options::merge("[]", "{}", {"a"}); }), "options: must be a JSON object, got a list");
  EXPECT_EQ(refusal([] { Options::merge("{}", "7", {"a"}); }), "parameters: must be a JSON object, got 7");
  EXPECT_EQ(refusal([] { Options::merge("{}", "{", {"a"}); }),
            "parameters: not valid JSON: expected a key at offset 1");
}

TEST(OptionsMerge, RefusesUnknownKeysOptionsFirst) {
  EXPECT_EQ(refusal([] { Options::merge(R"({"x":1,"a":1})", R"({"y":1})", {"a"}); }),
            "option x: unknown option (known: a)");
  EXPECT_EQ(refusal([] {
              Options::merge(R"({"a":1})", R"({"distnce":1,"y":2})", {"a", "b"});
            }),
            "parameters distnce, y: unknown parameters (known: a, b)");
}

TEST(Options, AnInvalidArgumentBecomesTheInvalidArgumentStatus) {
  vigil_status status = vigil::sdk::guard(nullptr, [] { Options(R"({"a":1})").finish(); });
  EXPECT_EQ(status, VIGIL_INVALID_ARGUMENT);
}
