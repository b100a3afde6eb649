// vigil feed-check [--config FILE] [--seconds N] [--ticks N]
//
// Runs the config's feeds offline, as vigild would run them but with no
// store, no transport and no engine: each feed on its own thread, each tick
// it publishes parsed as vigild parses it and printed as one JSON line, and
// at the end each feed's health as one more line. So an integrator sees
// what a feed publishes, and an operator checks a feed's options, before
// vigild depends on it.
//
// Exit 1 when a feed cannot be loaded or created, stops on an error,
// publishes a tick vigild would refuse, or reports an error in its health;
// every feed that could run still runs and is printed.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/app/tick_intake.hpp"
#include "core/plugins/component.hpp"
#include "hosts/common/args.hpp"
#include "hosts/common/component_factory.hpp"
#include "hosts/common/feed_health.hpp"
#include "hosts/common/plugin_set.hpp"
#include "hosts/vigil/command_config.hpp"
#include "hosts/vigil/command_help.hpp"
#include "hosts/vigil/commands.hpp"
#include "vigil/cpp/decimal.hpp"
#include "vigil/cpp/error.hpp"
#include "vigil/cpp/iso_time.hpp"

namespace vigil::cli {
namespace {

constexpr uint64_t kDefaultSeconds = 10;
constexpr CommandHelp kHelp{"vigil feed-check", "usage: vigil feed-check [--config FILE] [--seconds N] [--ticks N]\n",
                            "Runs the config's feeds offline (no store, no transport, no rules), prints\n"
                            "each tick they publish as one JSON line (feed, instrument, bid, ask, time),\n"
                            "then each feed's health as one JSON line.\n\n"
                            "options:\n"
                            "  --config FILE   the config: its feeds and instruments (default: vigild's\n"
                            "                  embedded default)\n"
                            "  --seconds N     stop the feeds after N seconds (default: 10, unless --ticks\n"
                            "                  is given)\n"
                            "  --ticks N       stop the feeds after N ticks in all\n"
                            "  --help, -h      this help\n\n"
                            "The check also ends when every feed's data has ended.\n\n"
                            "exit codes: 0 every feed ran and reported no error, 1 a feed could not be\n"
                            "loaded or created, stopped on an error, published a tick vigild would refuse,\n"
                            "or reported an error in its health, 64 bad usage\n"};

// Only the feeds and the instruments their ticks are parsed against.
host::Config feeds_only(host::Config config) {
  config.rules.clear();
  config.extra_plugins.clear();
  config.cipher.reset();
  config.store.reset();
  config.transport.reset();
  return config;
}

// What every feed's ticks go through: parsed, counted, printed one at a time.
// Threading: publish() from the feeds' threads; the rest from the main one.
class TickPrinter {
 public:
  TickPrinter(const core::Instruments& instruments, std::optional<uint64_t> max_ticks)
      : instruments_(instruments), max_ticks_(max_ticks) {}

  // Answers the feed as vigild's intake would: VIGIL_INVALID_ARGUMENT
  // naming the field for a tick it would refuse.
  vigil_status publish(const std::string& feed, const vigil_tick& tick, vigil_error* error) noexcept {
    return sdk::guard(error, [&] {
      std::lock_guard lock(mutex_);
      if (max_ticks_ && printed_ >= *max_ticks_) return;  // past the limit, while the feeds stop
      try {
        print(feed, core::parse_tick(instruments_, tick));
      } catch (const std::exception& e) {
        std::fprintf(stderr, "vigil feed-check: %s: tick refused: %s\n", feed.c_str(), e.what());
        refused_ = true;
        throw sdk::Error(VIGIL_INVALID_ARGUMENT, e.what());
      }
      if (max_ticks_ && ++printed_ >= *max_ticks_) changed_.notify_all();
    });
  }

  void feed_ended() {
    std::lock_guard lock(mutex_);
    ++ended_;
    changed_.notify_all();
  }

  // Until `deadline` (none: no time limit), the tick limit, or the end of
  // `feeds` feeds.
  void wait(std::optional<std::chrono::steady_clock::time_point> deadline, size_t feeds) {
    std::unique_lock lock(mutex_);
    auto done = [&] { return ended_ >= feeds || (max_ticks_ && printed_ >= *max_ticks_); };
    if (deadline)
      changed_.wait_until(lock, *deadline, done);
    else
      changed_.wait(lock, done);
  }

  bool refused_any() const {
    std::lock_guard lock(mutex_);
    return refused_;
  }

 private:
  void print(const std::string& feed, const core::ParsedTick& t) const {
    int digits = instruments_.get(t.instrument).digits;
    nlohmann::ordered_json line = {
        {"feed", feed},
        {"instrument", instruments_.get(t.instrument).symbol},
        {"bid", t.bid ? nlohmann::ordered_json(sdk::format_decimal(*t.bid, digits)) : nullptr},
        {"ask", t.ask ? nlohmann::ordered_json(sdk::format_decimal(*t.ask, digits)) : nullptr},
        {"time", sdk::format_iso_time(t.time_unix_ms)},
    };
    std::string text = line.dump() + '\n';
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }

  const core::Instruments& instruments_;
  const std::optional<uint64_t> max_ticks_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t printed_ = 0;
  size_t ended_ = 0;
  bool refused_ = false;
};

// One configured feed: its publishing table, its component and its thread.
struct CheckedFeed {
  std::string name;
  TickPrinter* printer = nullptr;
  vigil_app app{};
  core::Component<vigil_feed_vtable> feed;
  std::thread thread;
  std::string stopped_on;  // run()'s error; written by the thread, read after join

  explicit CheckedFeed(TickPrinter& p) : printer(&p) {
    app.struct_size = sizeof app;
    app.ctx = this;
    app.publish_tick = [](void* ctx, const vigil_tick* tick, vigil_error* error) noexcept {
      auto& self = *static_cast<CheckedFeed*>(ctx);
      return self.printer->publish(self.name, *tick, error);
    };
  }

  void run() {
    core::ErrorBuffer error;
    vigil_status status = feed.vtable()->run(feed.instance(), error.get());
    if (status != VIGIL_OK) stopped_on = core::failure_text(status, error.text);
    printer->feed_ended();
  }
};

// One JSON line of a feed's health; false when the feed reports an error.
bool print_health(const CheckedFeed& f) {
  host::FeedHealthRead read = host::read_feed_health(f.feed);
  nlohmann::ordered_json health = {{"connected", read.counts.connected != 0},
                                   {"ticks_published", read.counts.ticks_published},
                                   {"rows_skipped", read.counts.rows_skipped},
                                   {"reconnects", read.counts.reconnects}};
  if (read.counts.last_tick_unix_ms) health["last_tick_time"] = sdk::format_iso_time(read.counts.last_tick_unix_ms);
  if (!read.error.empty()) health["error"] = read.error;
  std::string text = nlohmann::ordered_json{{"feed", f.name}, {"health", health}}.dump() + '\n';
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (!read.error.empty())
    std::fprintf(stderr, "vigil feed-check: %s: failing: %s\n", f.name.c_str(), read.error.c_str());
  return read.error.empty();
}

int feed_check(const host::Args& args) {
  std::optional<uint64_t> seconds = args.number("seconds", 1, 86'400);
  std::optional<uint64_t> ticks = args.number("ticks", 1, 1'000'000'000);
  if (!seconds && !ticks) seconds = kDefaultSeconds;
  host::Config config = feeds_only(command_config(args));
  if (config.feeds.empty()) throw std::runtime_error(config.file.string() + ": the config has no feeds to check");
  core::Instruments instruments = host::instruments_from(config);
  host::PluginSet plugins(config, {});
  core::Metrics metrics;
  host::ComponentFactory factory(plugins, metrics);
  TickPrinter printer(instruments, ticks);

  bool ok = true;
  std::vector<std::unique_ptr<CheckedFeed>> feeds;
  for (const host::PluginChoice& choice : config.feeds) {
    auto checked = std::make_unique<CheckedFeed>(printer);
    try {
      checked->feed = factory.create<vigil_feed_vtable>(choice, VIGIL_KIND_FEED, &checked->app);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "vigil feed-check: not started: %s\n", e.what());  // names the feed
      ok = false;
      continue;
    }
    checked->name = checked->feed.name();
    feeds.push_back(std::move(checked));
  }

  for (auto& f : feeds) f->thread = std::thread([&f] { f->run(); });
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (seconds) deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*seconds);
  printer.wait(deadline, feeds.size());
  for (auto& f : feeds) ok = print_health(*f) && ok;  // while they still run: what vigild's /healthz would show
  for (auto& f : feeds) f->feed.vtable()->stop(f->feed.instance());
  for (auto& f : feeds) {
    f->thread.join();
    if (f->stopped_on.empty()) continue;
    std::fprintf(stderr, "vigil feed-check: %s: stopped: %s\n", f->name.c_str(), f->stopped_on.c_str());
    ok = false;
  }
  return ok && !printer.refused_any() ? 0 : 1;
}

}  // namespace

int feed_check_command(int argc, char** argv) {
  try {
    host::Args args(argc, argv, {"config", "seconds", "ticks"});
    if (args.wants_help()) return print_help(kHelp);
    return feed_check(args);
  } catch (const host::UsageError& e) {
    return usage_error(kHelp, e.what(), 64);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "vigil feed-check: %s\n", e.what());
    return 1;
  }
}

}  // namespace vigil::cli
