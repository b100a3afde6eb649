// Everything vigild runs, wired from a config: the plugins loaded, each
// role's component created, the application and its engine shards, the
// feeds on their threads and the transport serving. One Clock, given at
// construction, is the time of day of all of them (the application, its
// engines and workflow, and every plugin's vigil_host); it must outlive the
// runtime.
//
// Construction does every fallible step (load, create, validate), so a bad
// config or plugin fails before anything is served. Members are declared in
// dependency order: components go before the factory and the plugin set
// that made them.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/app/application.hpp"
#include "hosts/common/component_factory.hpp"
#include "vigil/vigil.h"

namespace vigil::host {

// Command-line overrides of the config (docs/cli.md).
struct Overrides {
  std::optional<std::string> listen;    // transport options.listen
  std::optional<std::string> data_dir;  // store options.data_dir
  std::vector<std::string> extra_plugins;
};

class Runtime {
 public:
  Runtime(Config config, const Overrides& overrides, const core::Clock& clock);
  ~Runtime();

  // Starts the transport (returns once it listens) and the feeds.
  void start();
  // Stops feeds, then the transport, then drains the engines. Idempotent.
  void stop();
  // Where the transport listens, or empty when the config names none.
  std::optional<std::string> endpoint() const;
  // SIGHUP: replaces the running feeds with those of `config` (prices come
  // from the new feeds; positions, commands and the store are untouched).
  // The new feeds are loaded and created first: on any error the old ones
  // keep running and the error is thrown. Other sections of `config` take
  // effect at the next restart. Returns the names of the new feeds.
  std::vector<std::string> reload_feeds(const Config& config);

 private:
  struct RunningFeed;
  void create_components();
  std::vector<std::unique_ptr<RunningFeed>> create_feeds(const Config& config, ComponentFactory& factory,
                                                         const PluginSet& plugins);
  static void start_feeds(std::vector<std::unique_ptr<RunningFeed>>& feeds);
  static void stop_feeds(std::vector<std::unique_ptr<RunningFeed>>& feeds);
  std::vector<core::FeedStatus> feed_statuses() const;

  Config config_;
  const core::Clock& clock_;
  PluginSet plugins_;
  core::Metrics metrics_;
  ComponentFactory factory_;
  // Plugins and factories of reloaded feeds, kept for the whole run and
  // declared before the feeds so they outlive them.
  std::vector<std::unique_ptr<PluginSet>> reload_plugins_;
  std::vector<std::unique_ptr<ComponentFactory>> reload_factories_;
  std::vector<core::Component<vigil_rule_vtable>> rules_;
  std::optional<core::Component<vigil_cipher_vtable>> cipher_;
  std::optional<core::Component<vigil_store_vtable>> store_;
  std::unique_ptr<core::Application> app_;
  mutable std::mutex feeds_mutex_;  // feeds_ changes on reload; health reads it
  std::vector<std::unique_ptr<RunningFeed>> feeds_;
  std::optional<core::Component<vigil_transport_vtable>> transport_;
  bool started_ = false;
};

}  // namespace vigil::host
