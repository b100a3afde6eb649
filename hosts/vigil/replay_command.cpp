// vigil replay [--config FILE] --positions FILE --ticks FILE [--format csv|mt5]
//              [--instrument SYM] [--digits SYM=N]...
//
// The configured rules over recorded ticks, through the real plugins (the
// rules and feed-replay), with no store and no network. One JSON line per
// close event, in tick order (docs/breach-semantics.md). Bad input: exit 2 and
// a message naming the file, line and field.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <unordered_map>

#include "core/app/tick_intake.hpp"
#include "core/engine/engine.hpp"
#include "hosts/common/args.hpp"
#include "hosts/common/component_factory.hpp"
#include "hosts/common/input_error.hpp"
#include "hosts/common/positions_file.hpp"
#include "hosts/vigil/command_config.hpp"
#include "hosts/vigil/command_help.hpp"
#include "hosts/vigil/commands.hpp"
#include "vigil/cpp/decimal.hpp"
#include "vigil/cpp/error.hpp"
#include "vigil/cpp/iso_time.hpp"
#include "vigil/feed.h"

namespace vigil::cli {
namespace {

constexpr int kBadInput = 2;
constexpr CommandHelp kHelp{"vigil replay",
                            "usage: vigil replay [--config FILE] --positions FILE --ticks FILE [--format csv|mt5]\n"
                            "                    [--instrument SYM] [--digits SYM=N]... [--plugin PATH]...\n",
                            "Runs the configured rules over recorded ticks, through the real rule plugins\n"
                            "and feed-replay, with no store and no network, and prints one JSON line per\n"
                            "close, in tick order.\n\n"
                            "options:\n"
                            "  --config FILE      the config: its rules and instruments (default: vigild's\n"
                            "                     embedded default)\n"
                            "  --positions FILE   the positions, one JSON object per line\n"
                            "  --ticks FILE       the ticks, CSV (time,bid,ask) or MT5's tick export\n"
                            "  --format csv|mt5   the tick file's format (default: from its first line)\n"
                            "  --instrument SYM   the instrument of an mt5 file, or the one to replay from\n"
                            "                     a CSV file\n"
                            "  --digits SYM=N     an instrument the config lacks, with N digits; repeatable\n"
                            "  --plugin PATH      one more plugin library, a path or a name; each rule in it\n"
                            "                     the config does not name runs too, with empty options;\n"
                            "                     repeatable\n"
                            "  --help, -h         this help\n\n"
                            "exit codes: 0 replayed, 1 a rule failed or a plugin did not load, 2 bad\n"
                            "usage or bad input (the message names the file, line and field)\n"};
constexpr const char* kReplayFeed = "feed-replay";

// Without --format: an MT5 export starts with its "<DATE>" header.
std::string detect_format(const std::string& ticks_file) {
  std::ifstream in(ticks_file);
  std::string first;
  std::getline(in, first);
  return first.find("<DATE>") != std::string::npos ? "mt5" : "csv";
}

// Only what replay needs: the rules (rule-sltp if the config names none)
// and the replay feed. The config's store, transport and feeds stay unloaded.
host::Config replay_config(host::Config config) {
  if (config.rules.empty()) config.rules.push_back({"rule-sltp", "{}", "rules[default]", "rules[default]"});
  config.extra_plugins = {kReplayFeed};
  config.feeds.clear();
  config.cipher.reset();
  config.store.reset();
  config.transport.reset();
  return config;
}

// Every configured rule watches every position, with the parameters the
// position's "rules" field gives it (or none).
std::vector<core::RuleChoice> rule_choices(const std::vector<core::EngineRule>& rules, const host::PositionLine& line,
                                           const std::string& file) {
  std::vector<core::RuleChoice> out;
  for (size_t i = 0; i < rules.size(); ++i) {
    auto params = line.rule_params.find(rules[i].name);
    out.push_back({static_cast<uint16_t>(i), params == line.rule_params.end() ? "{}" : params->second});
  }
  for (const auto& [name, params] : line.rule_params) {
    bool configured = std::any_of(rules.begin(), rules.end(), [&](const auto& r) { return r.name == name; });
    if (!configured)
      throw host::InputError(file + ":" + std::to_string(line.line) + ": field 'rules." + name +
                             "': the config names no such rule");
  }
  return out;
}

// Receives the feed's ticks and prints the closes they cause.
class ReplaySession {
 public:
  ReplaySession(const core::Instruments& instruments, core::Engine& engine,
                const std::vector<host::PositionLine>& positions, std::vector<core::PositionHandle> handles)
      : instruments_(instruments),
        engine_(engine),
        positions_(positions),
        handles_(std::move(handles)),
        quotes_(instruments.size()) {
    for (const auto& line : positions_) key_of_[line.position.id] = line.position.key;
    app_.struct_size = sizeof app_;
    app_.ctx = this;
    app_.publish_tick = &ReplaySession::publish;
  }
  const vigil_app* app() const { return &app_; }

 private:
  static vigil_status publish(void* ctx, const vigil_tick* tick, vigil_error* error) noexcept {
    auto& self = *static_cast<ReplaySession*>(ctx);
    return sdk::guard(error, [&] {
      core::ParsedTick t = core::parse_tick(self.instruments_, *tick);
      Quote& quote = self.quotes_[t.instrument];
      quote.bid = t.bid.value_or(quote.bid);
      quote.ask = t.ask.value_or(quote.ask);
      self.events_.clear();
      self.engine_.on_tick(t.instrument, t.bid, t.ask, t.time_unix_ms, t.sequence, self.events_);
      for (auto& event : self.events_)
        if (event.target_id.empty() || self.close_other(event)) self.print(event);
    });
  }

  // A rule closed another position of its group: it closes at market (its
  // current trigger price, which is also its level) and leaves the engine.
  // False when it is not an open position of the caller's group (one that
  // closed on its own this tick has left the engine already).
  bool close_other(core::CloseEvent& e) {
    auto target = key_of_.find(e.target_id);
    if (target == key_of_.end()) return false;
    const core::NewPosition& caller = positions_[e.key].position;
    const core::NewPosition& other = positions_[target->second].position;
    if (other.group.empty() || other.group != caller.group) return false;
    if (!engine_.remove(handles_[other.key])) return false;
    const Quote& quote = quotes_[other.instrument];
    e.key = other.key;
    e.instrument = other.instrument;
    e.price = e.level = other.side == core::Side::buy ? quote.bid : quote.ask;
    return true;
  }

  void print(const core::CloseEvent& e) const {
    const auto& position = positions_[e.key].position;
    int digits = instruments_.get(e.instrument).digits;
    nlohmann::ordered_json line = {
        {"position_id", position.id},
        {"reason", e.reason},
        {"tick_index", e.tick_sequence},
        {"time", sdk::format_iso_time(e.time_unix_ms)},
        {"price", sdk::format_decimal(e.price, digits)},
        {"level", sdk::format_decimal(e.level, digits)},
        {"instrument", instruments_.get(e.instrument).symbol},
        {"side", position.side == core::Side::buy ? "buy" : "sell"},
        {"time_ms", e.time_unix_ms},
    };
    if (e.volume != 0) line["volume"] = sdk::format_decimal(e.volume, 8);  // a partial close
    std::string text = line.dump();
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), stdout);
  }

  const core::Instruments& instruments_;
  core::Engine& engine_;
  const std::vector<host::PositionLine>& positions_;
  std::vector<core::PositionHandle> handles_;  // by key
  struct Quote {
    int64_t bid = 0, ask = 0;
  };
  std::vector<Quote> quotes_;  // by instrument
  std::unordered_map<std::string, uint64_t> key_of_;
  std::vector<core::CloseEvent> events_;
  vigil_app app_{};
};

// A rule that failed left a level unfired: the replay's closes are not
// what the rules meant, so the run fails, saying which rule and where.
// True when any rule failed.
// Each position still failing is named by its line in the positions file
// (its engine key is its index there), so the integrator finds it at once.
bool report_rule_failures(const core::Engine& engine, const std::vector<core::EngineRule>& rules,
                          const std::vector<host::PositionLine>& positions, const std::string& positions_file) {
  core::RuleFailures failures = engine.rule_failures().snapshot();
  bool any = false;
  for (size_t r = 0; r < failures.by_rule.size(); ++r) {
    if (failures.by_rule[r] == 0) continue;
    any = true;
    std::fprintf(stderr, "vigil replay: rule %s failed %llu times\n", rules[r].name.c_str(),
                 static_cast<unsigned long long>(failures.by_rule[r]));
  }
  for (const core::FailingRule& f : failures.failing) {
    std::string where =
        f.key < positions.size() ? positions_file + ":" + std::to_string(positions[f.key].line) + ": " : std::string();
    std::fprintf(stderr, "vigil replay: %srule %s still failing on position %s after %llu failures: %s\n",
                 where.c_str(), f.rule.c_str(), f.position.c_str(), static_cast<unsigned long long>(f.failures),
                 f.error.c_str());
  }
  return any;
}

// A --plugin library's rule runs beside the configured ones, with empty
// options (per position, its "rules" field gives it parameters), so an
// integrator can replay a rule without writing a config for it.
void add_plugin_rules(const host::PluginSet& plugins, host::Config& config) {
  std::set<std::string> configured;
  for (const auto& rule : config.rules) configured.insert(plugins.get(rule.plugin).name());
  for (const auto& plugin : plugins.plugins())
    if (plugin.vtable(VIGIL_KIND_RULE) && configured.insert(plugin.name()).second)
      config.rules.push_back({plugin.name(), "{}", "--plugin", plugin.name()});
}

int replay(const host::Args& args) {
  host::Config config = replay_config(command_config(args));
  core::Instruments instruments = host::instruments_from(config, args.all("digits"));
  std::string ticks = args.require("ticks");
  std::string format = args.get("format").value_or(detect_format(ticks));
  if (format != "csv" && format != "mt5") throw host::InputError("--format " + format + ": expected csv or mt5");
  nlohmann::json feed_options = {{"file", ticks}, {"format", format}, {"speed", 0}};
  if (auto symbol = args.get("instrument")) {
    if (!instruments.find(*symbol))
      throw host::InputError("--instrument " + *symbol +
                             ": unknown instrument (add it to the config or pass --digits " + *symbol + "=N)");
    feed_options["instrument"] = *symbol;
  } else if (format == "mt5") {
    throw host::InputError(ticks + ": an mt5 tick file holds one instrument: name it with --instrument");
  }
  std::string positions_file = args.require("positions");
  auto positions = host::read_positions_file(positions_file, instruments);

  host::PluginSet plugins(config, args.all("plugin"));
  add_plugin_rules(plugins, config);
  core::Metrics metrics;
  host::ComponentFactory factory(plugins, metrics);
  std::vector<core::Component<vigil_rule_vtable>> rules;
  std::vector<core::EngineRule> engine_rules;
  for (const auto& choice : config.rules) {
    rules.push_back(factory.create<vigil_rule_vtable>(choice, VIGIL_KIND_RULE));
    engine_rules.push_back({plugins.get(choice.plugin).name(), rules.back().vtable(), rules.back().instance()});
    engine_rules.back().fallback_to_owner_stop = choice.fallback_to_owner_stop;
  }
  core::Engine engine(instruments, engine_rules, [&](uint64_t key) { return positions[key].position.id; });
  std::vector<core::PositionHandle> handles;
  for (auto& line : positions) {
    line.position.rules = rule_choices(engine_rules, line, positions_file);
    try {
      handles.push_back(engine.add(line.position));
    } catch (const core::PositionRejected& e) {
      throw host::InputError(positions_file + ":" + std::to_string(line.line) + ": " + e.what());
    }
  }

  ReplaySession session(instruments, engine, positions, std::move(handles));
  host::PluginChoice feed_choice{kReplayFeed, feed_options.dump(), "replay feed", "replay feed"};
  auto feed = factory.create<vigil_feed_vtable>(feed_choice, VIGIL_KIND_FEED, session.app());
  core::ErrorBuffer error;
  vigil_status status = feed.vtable()->run(feed.instance(), error.get());
  std::fflush(stdout);
  if (status == VIGIL_INVALID_ARGUMENT) throw host::InputError(error.text);
  error.check(status, "replay feed");
  return report_rule_failures(engine, engine_rules, positions, positions_file) ? 1 : 0;
}

}  // namespace

int replay_command(int argc, char** argv) {
  try {
    host::Args args(argc, argv, {"config", "positions", "ticks", "format", "instrument", "digits", "plugin"});
    if (args.wants_help()) return print_help(kHelp);
    return replay(args);
  } catch (const host::UsageError& e) {
    return usage_error(kHelp, e.what(), kBadInput);
  } catch (const host::InputError& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "vigil replay: %s\n", e.what());
    return kBadInput;
  } catch (const core::ComponentError& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "vigil replay: %s\n", e.what());
    return e.status() == VIGIL_INVALID_ARGUMENT ? kBadInput : 1;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "vigil replay: %s\n", e.what());
    return 1;
  }
}

}  // namespace vigil::cli
