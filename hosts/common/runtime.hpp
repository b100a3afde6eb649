// Everything vigild runs, wired from a config: the plugins loaded, each
// role's component created, the application and its engine shards, the
// feeds on their threads and the transport serving.
//
// Construction does every fallible step (load, create, validate), so a bad
// config or plugin fails before anything is served. Members are declared in
// dependency order: components go before the factory and the plugin set
// that made them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/app/application.hpp"
#include "hosts/common/component_factory.hpp"
#include "vigil/vigil.h"

namespace vigil::host {

// Command-line overrides of the config (CONTRACT.md section 4).
struct Overrides {
  std::optional<std::string> listen;    // transport options.listen
  std::optional<std::string> data_dir;  // store options.data_dir
  std::vector<std::string> extra_plugins;
};

class Runtime {
 public:
  Runtime(Config config, const Overrides& overrides);
  ~Runtime();

  // Starts the transport (returns once it listens) and the feeds.
  void start();
  // Stops feeds, then the transport, then drains the engines. Idempotent.
  void stop();
  // Where the transport listens, or empty when the config names none.
  std::optional<std::string> endpoint() const;

 private:
  struct RunningFeed;
  void create_components();
  std::vector<core::FeedStatus> feed_statuses() const;

  Config config_;
  PluginSet plugins_;
  core::Metrics metrics_;
  ComponentFactory factory_;
  std::vector<core::Component<vigil_rule_vtable>> rules_;
  std::optional<core::Component<vigil_cipher_vtable>> cipher_;
  std::optional<core::Component<vigil_store_vtable>> store_;
  std::unique_ptr<core::Application> app_;
  std::vector<std::unique_ptr<RunningFeed>> feeds_;
  std::optional<core::Component<vigil_transport_vtable>> transport_;
  bool started_ = false;
};

}  // namespace vigil::host
