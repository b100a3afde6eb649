// vigil plugins [--config FILE] [--plugin PATH]...
//
// Loads every library the config names (and each --plugin) exactly as vigild
// would, and lists them. Then checks what a listing cannot show: it creates
// each rule and feed the config configures (with its options) and each rule
// and feed of a library loaded besides (with no options), and attaches each
// rule to a sample position, as vigild would when a signal arrives. So a
// constructor that throws, or a rule that fails on a position, shows here
// rather than when vigild starts or a signal is refused.
//
// Ciphers, stores and transports are loaded and listed but not created:
// creating them reads the server's key, opens its database or takes the
// application's services.
//
// Any library that cannot be loaded: exit 1 and one line naming the file and
// the reason. Any component that cannot be created or fails its sample
// position: every check is printed, then exit 1.
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/plugins/component.hpp"
#include "core/support/clock.hpp"
#include "hosts/common/args.hpp"
#include "hosts/common/component_factory.hpp"
#include "hosts/common/config.hpp"
#include "hosts/common/plugin_set.hpp"
#include "hosts/vigil/command_config.hpp"
#include "hosts/vigil/command_help.hpp"
#include "hosts/vigil/commands.hpp"
#include "vigil/feed.h"
#include "vigil/rule.h"

namespace vigil::cli {
namespace {

constexpr CommandHelp kHelp{"vigil plugins", "usage: vigil plugins [--config FILE] [--plugin PATH]...\n",
                            "Loads every plugin library the config names, and each --plugin, exactly as\n"
                            "vigild would, and lists them (name, version, ABI, kinds, file). Then creates\n"
                            "each configured rule and feed with its options, and each rule and feed of a\n"
                            "--plugin library with none, and attaches every rule to a sample position.\n"
                            "Ciphers, stores and transports are listed but not created.\n\n"
                            "options:\n"
                            "  --config FILE      the config (default: vigild's embedded default)\n"
                            "  --plugin PATH      one more plugin library, a path or a name; repeatable\n"
                            "  --help, -h         this help\n\n"
                            "exit codes: 0 all loaded and checked, 1 a library did not load or a component\n"
                            "failed its check, 64 bad usage\n"};

struct Check {
  std::string what;  // "rules[0] (rule-sltp)"
  std::string result;
  bool ok = true;
};

// A BUY of the first instrument at 1 (in its digits), stop 1 % below,
// target 1 % above, opened now, with no parameters: a rule given none
// should leave it alone, and no shipped rule refuses it.
core::NewPosition sample_position(const core::Instruments& instruments) {
  int64_t one = 1;
  for (int d = 0; d < instruments.get(0).digits; ++d) one *= 10;
  core::NewPosition p;
  p.key = 1;
  p.id = "sample";
  p.instrument = 0;
  p.side = core::Side::buy;
  p.volume = VIGIL_VOLUME_SCALE;
  p.entry_price = one;
  p.owner_sl = one - one / 100;
  p.owner_tp = one + one / 100;
  p.opened_at_unix_ms = core::wall_clock().now_ms();
  p.rules = {{0, "{}"}};
  return p;
}

// Creates the rule and attaches it to the sample position.
Check check_rule(host::ComponentFactory& factory, const host::PluginSet& plugins, const host::PluginChoice& choice,
                 const core::Instruments& instruments) {
  Check check{choice.where + " (" + plugins.get(choice.plugin).name() + ")", "created", true};
  auto rule = factory.create<vigil_rule_vtable>(choice, VIGIL_KIND_RULE);
  if (instruments.size() == 0) {
    check.result += "; no instrument in the config for a sample position";
    return check;
  }
  core::Engine engine(instruments, {{plugins.get(choice.plugin).name(), rule.vtable(), rule.instance()}});
  try {
    engine.remove(engine.add(sample_position(instruments)));
    check.result += "; a sample position accepted";
  } catch (const core::PositionRejected& e) {
    check = {check.what, std::string("created, but it refused a sample position: ") + e.what(), false};
  } catch (const core::RuleFailed& e) {
    check = {check.what, std::string("created, but it failed on a sample position: ") + e.what(), false};
  }
  return check;
}

Check check_feed(host::ComponentFactory& factory, const host::PluginSet& plugins, const host::PluginChoice& choice) {
  factory.create<vigil_feed_vtable>(choice, VIGIL_KIND_FEED);
  return {choice.where + " (" + plugins.get(choice.plugin).name() + ")", "created (not run)", true};
}

// The check, or why the component could not be created (the message
// names where it is configured and the plugin). A library loaded besides is
// created with no options: refusing them (VIGIL_INVALID_ARGUMENT) is what a
// plugin with required options should do, so it passes, said as such.
template <class F>
Check guarded(bool options_given, F&& check) {
  try {
    return check();
  } catch (const core::ComponentError& e) {
    if (!options_given && e.status() == VIGIL_INVALID_ARGUMENT)
      return {e.what(), "refuses to run without options (name it in a config with its options to check it)", true};
    return {e.what(), "not created", false};
  } catch (const std::exception& e) {
    return {e.what(), "not created", false};
  }
}

std::vector<Check> check_components(const host::Config& config, const host::PluginSet& plugins) {
  core::Instruments instruments = host::instruments_from(config);
  core::Metrics metrics;
  host::ComponentFactory factory(plugins, metrics);
  std::vector<Check> out;
  std::set<std::string> with_a_role;
  for (const auto& rule : config.rules) {
    with_a_role.insert(plugins.get(rule.plugin).name());
    out.push_back(guarded(true, [&] { return check_rule(factory, plugins, rule, instruments); }));
  }
  for (const auto& feed : config.feeds) {
    with_a_role.insert(plugins.get(feed.plugin).name());
    out.push_back(guarded(true, [&] { return check_feed(factory, plugins, feed); }));
  }
  for (const auto& plugin : plugins.plugins()) {
    if (with_a_role.count(plugin.name())) continue;
    host::PluginChoice choice{plugin.name(), "{}", "--plugin", plugin.name()};
    if (plugin.vtable(VIGIL_KIND_RULE))
      out.push_back(guarded(false, [&] { return check_rule(factory, plugins, choice, instruments); }));
    if (plugin.vtable(VIGIL_KIND_FEED))
      out.push_back(guarded(false, [&] { return check_feed(factory, plugins, choice); }));
  }
  return out;
}

}  // namespace

int plugins_command(int argc, char** argv) {
  try {
    host::Args args(argc, argv, {"config", "plugin"});
    if (args.wants_help()) return print_help(kHelp);
    if (!args.positional().empty()) throw host::UsageError("unexpected argument '" + args.positional()[0] + "'");
    host::Config config = command_config(args);
    host::PluginSet plugins(config, args.all("plugin"));
    std::printf("%-20s %-10s %-5s %-24s %s\n", "NAME", "VERSION", "ABI", "KINDS", "FILE");
    for (const auto& plugin : plugins.plugins()) {
      const vigil_plugin& d = plugin.descriptor();
      std::string abi = std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
      std::printf("%-20s %-10s %-5s %-24s %s\n", d.name, d.version, abi.c_str(), plugin.kinds().c_str(),
                  plugin.path().c_str());
    }
    bool all_ok = true;
    std::printf("\nrules and feeds, created as vigild would:\n");
    for (const Check& check : check_components(config, plugins)) {
      std::printf("  %s: %s\n", check.what.c_str(), check.result.c_str());  // what names the component
      all_ok = all_ok && check.ok;
    }
    std::fflush(stdout);
    if (!all_ok) std::fprintf(stderr, "vigil plugins: a component could not be created or failed its check\n");
    return all_ok ? 0 : 1;
  } catch (const host::UsageError& e) {
    return usage_error(kHelp, e.what(), 64);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil plugins: %s\n", e.what());
    return 1;
  }
}

}  // namespace vigil::cli
