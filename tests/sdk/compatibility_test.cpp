// The SDK boundary from the host's side: which libraries it loads, which it
// refuses and how it says so, and the 1.0 and 1.1 layouts pinned for good.
#include <gtest/gtest.h>

#include "core/app/application.hpp"
#include "core/engine/engine.hpp"
#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "hosts/common/plugin_loader.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "vigil/cpp/error.hpp"
#include "vigil/transport.h"

extern "C" {
extern const size_t vigil_frozen_layout[];
extern const size_t vigil_frozen_layout_count;
extern const size_t vigil_current_layout[];
extern const size_t vigil_current_layout_count;
extern const size_t vigil_frozen_1_1_layout[];
extern const size_t vigil_frozen_1_1_layout_count;
extern const size_t vigil_frozen_1_1_app_size;
extern const size_t vigil_current_1_1_layout[];
extern const size_t vigil_current_1_1_layout_count;
}

using vigil::host::load_plugin;
using vigil::host::PluginLoadError;

namespace {

std::string fixture(const std::string& name) {
  return std::string(VIGIL_TEST_PLUGIN_DIR) + "/" + name + ".so";
}

std::string refusal(const std::string& file) {
  try {
    load_plugin(file);
  } catch (const PluginLoadError& e) {
    return e.what();
  }
  return "(loaded)";
}

// Creates the fixture's rule and returns the error, or "" on success.
std::string create_error(const std::string& name) {
  auto plugin = load_plugin(fixture(name));
  vigil::core::Metrics metrics;
  vigil::core::HostServices services(name, metrics, nullptr);
  try {
    vigil::core::Component<vigil_rule_vtable> rule(
        static_cast<const vigil_rule_vtable*>(plugin.vtable(VIGIL_KIND_RULE)), name, "{}", services.table());
  } catch (const vigil::core::ComponentError& e) {
    return e.what();
  }
  return "";
}

// Attaches one BUY position at 1.00000 and ticks below its declared stop.
std::vector<vigil::core::CloseEvent> run_rule(const std::string& name) {
  auto plugin = load_plugin(fixture(name));
  vigil::core::Metrics metrics;
  vigil::core::HostServices services(name, metrics, nullptr);
  vigil::core::Component<vigil_rule_vtable> rule(static_cast<const vigil_rule_vtable*>(plugin.vtable(VIGIL_KIND_RULE)),
                                                 name, "{}", services.table());
  vigil::core::Instruments instruments;
  auto id = instruments.add("EURUSD", 5);
  vigil::core::Engine engine(instruments, {{name, rule.vtable(), rule.instance()}});
  vigil::core::NewPosition p;
  p.id = "p1";
  p.instrument = id;
  p.entry_price = 100000;
  p.volume = 1;
  p.rules = {{0, "{}"}};
  engine.add(p);
  std::vector<vigil::core::CloseEvent> events;
  engine.on_tick(id, 99900, 99902, 1, 0, events);
  return events;
}

}  // namespace

TEST(SdkCompatibility, APluginBuiltAgainstTheFrozen10HeadersLoadsAndWorks) {
  auto events = run_rule("compat-1-0");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, "fixture_stop");
  EXPECT_EQ(events[0].level, 99999);
}

TEST(SdkCompatibility, TheFrozen10LayoutIsUnchanged) {
  ASSERT_EQ(vigil_frozen_layout_count, vigil_current_layout_count);
  for (size_t i = 0; i < vigil_frozen_layout_count; ++i)
    EXPECT_EQ(vigil_frozen_layout[i], vigil_current_layout[i]) << "layout entry " << i << " of tests/sdk/layout_list.h";
}

TEST(SdkCompatibility, APluginBuiltAgainstTheFrozen11HeadersLoadsAndWorks) {
  auto events = run_rule("compat-1-1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, "fixture_stop");
  EXPECT_EQ(events[0].level, 99999);
}

TEST(SdkCompatibility, TheFrozen11LayoutIsUnchanged) {
  ASSERT_EQ(vigil_frozen_1_1_layout_count, vigil_current_1_1_layout_count);
  for (size_t i = 0; i < vigil_frozen_1_1_layout_count; ++i)
    EXPECT_EQ(vigil_frozen_1_1_layout[i], vigil_current_1_1_layout[i])
        << "layout entry " << i << " of tests/sdk/layout_list.h then layout_list_1_1.h";
}

TEST(SdkCompatibility, The11ApplicationTableEndsWhereVerifyDeviceBegins) {
  EXPECT_EQ(vigil_frozen_1_1_app_size, offsetof(vigil_app, verify_device));
}

// The host's table is longer than the 1.1 transport's view of it; the
// transport calls through its part and is answered.
TEST(SdkCompatibility, ATransportBuiltAgainstTheFrozen11HeadersIsServedByTodaysApplication) {
  auto plugin = load_plugin(fixture("compat-1-1-transport"));
  vigil::core::Metrics metrics;
  vigil::core::Instruments instruments;
  instruments.add("EURUSD", 5);
  vigil::core::Application app(instruments, {}, 1, metrics);
  vigil::core::HostServices services("compat-1-1-transport", metrics, app.transport_port());
  vigil::core::Component<vigil_transport_vtable> transport(
      static_cast<const vigil_transport_vtable*>(plugin.vtable(VIGIL_KIND_TRANSPORT)), "compat-1-1-transport", "{}",
      services.table());
  vigil::core::ErrorBuffer error;
  error.check(transport.vtable()->start(transport.instance(), error.get()), "start");
  std::string answer;
  vigil::sdk::StringSink sink(answer);
  error.check(transport.vtable()->endpoint(transport.instance(), sink.get(), error.get()), "endpoint");
  EXPECT_NE(answer.find(R"("status":"ok")"), std::string::npos) << answer;
  transport.vtable()->stop(transport.instance());
}

TEST(SdkCompatibility, APluginUsingTheOldLibstdcxxStringAbiWorks) {
  auto events = run_rule("old-cxx-abi");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, "old_abi_stop");
}

struct Refusal {
  const char* fixture;
  const char* reason;
};

class LoaderRefuses : public ::testing::TestWithParam<Refusal> {};

TEST_P(LoaderRefuses, NamingTheFileAndTheReason) {
  const Refusal& r = GetParam();
  EXPECT_EQ(refusal(fixture(r.fixture)), fixture(r.fixture) + ": " + r.reason);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, LoaderRefuses,
    ::testing::Values(Refusal{"abi-major-2", "ABI major version mismatch: host has 1, plugin has 2"},
                      Refusal{"abi-minor-newer", "built against a newer SDK: host has ABI 1.3, plugin needs 1.4"},
                      Refusal{"no-entry", "not a Vigil plugin: no entry symbol vigil_plugin_v1"},
                      Refusal{"duplicate-kind", "declares the rule kind twice"},
                      Refusal{"bad-magic", "not a Vigil plugin descriptor (bad magic number)"},
                      Refusal{"short-vtable", "the rule vtable is 32 bytes, ABI 1.0 needs 40"},
                      Refusal{"null-function", "the rule vtable lacks its required function on_trigger"}),
    [](const auto& info) {
      std::string name = info.param.fixture;
      for (char& c : name)
        if (c == '-') c = '_';
      return name;
    });

TEST(LoaderRefuses, AFileThatIsNotASharedLibrary) {
  vigil::test::TempDir dir;
  std::string text = dir.write("plugin.so", std::string(4096, 'x'));  // long enough to have a header
  EXPECT_EQ(refusal(text), text + ": not a shared library (invalid ELF header)");
}

TEST(LoaderRefuses, AMissingFile) {
  EXPECT_EQ(refusal("/nonexistent/x.so"), "/nonexistent/x.so: no such file");
}

TEST(ComponentCreation, AFactoryReturningAnErrorGivesItsMessage) {
  EXPECT_EQ(create_error("create-fails"), "create-fails: fixture refuses its options");
}

// A refusal of the options reads as a sentence; anything else is the
// plugin's own failure, and says which status it came back as.
TEST(ComponentCreation, AFactoryThrowingGivesItsMessageAndStatusNotACrash) {
  EXPECT_EQ(create_error("create-throws"), "create-throws: fixture constructor throws (VIGIL_INTERNAL)");
}

TEST(VigilPlugins, ListsAGoodPluginGivenOnTheCommandLine) {
  auto result = vigil::test::run_process({vigil::test::built_binary("vigil"), "plugins", "--config",
                                          std::string(VIGIL_SOURCE_DIR) + "/examples/configs/default.yaml", "--plugin",
                                          fixture("compat-1-0")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("compat-1-0           1.0.0      1.0   rule"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("rule-sltp"), std::string::npos);
}

TEST(VigilPlugins, CreatesEachRuleSoAConstructorThatThrowsFailsTheCheck) {
  auto result = vigil::test::run_process({vigil::test::built_binary("vigil"), "plugins", "--config",
                                          std::string(VIGIL_SOURCE_DIR) + "/examples/configs/default.yaml", "--plugin",
                                          fixture("create-throws")});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("  rules[0] (rule-sltp): created; a sample position accepted\n"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("  --plugin (create-throws): fixture constructor throws (VIGIL_INTERNAL): not created\n"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.err, "vigil plugins: a component could not be created or failed its check\n");
}

TEST(VigilPlugins, RefusesABadPluginWithExactlyOneLine) {
  for (const char* bad : {"abi-major-2", "no-entry", "duplicate-kind"}) {
    auto result = vigil::test::run_process({vigil::test::built_binary("vigil"), "plugins", "--config",
                                            std::string(VIGIL_SOURCE_DIR) + "/examples/configs/default.yaml",
                                            "--plugin", fixture(bad)});
    EXPECT_EQ(result.exit_code, 1) << bad;
    EXPECT_EQ(result.out, "") << bad;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_EQ(result.err.rfind("vigil plugins: " + fixture(bad) + ": ", 0), 0u) << result.err;
  }
}
