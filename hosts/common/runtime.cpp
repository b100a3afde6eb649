#include "hosts/common/runtime.hpp"

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/support/log.hpp"
#include "hosts/common/audit_row_hash.hpp"
#include "hosts/common/device_hmac.hpp"
#include "hosts/common/feed_health.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::host {
namespace {

// Sets options.<key> of a role to `value`; the role must be configured.
void override_option(std::optional<PluginChoice>& role, const char* role_name, const char* flag, const char* key,
                     const std::string& value) {
  if (!role) throw ConfigError(std::string(flag) + ": the config has no " + role_name + " to apply it to");
  nlohmann::json options = nlohmann::json::parse(role->options_json);
  options[key] = value;
  role->options_json = options.dump();
}

// The admin token from secrets.admin_token_file, else VIGIL_ADMIN_TOKEN;
// empty when neither is set. Trailing whitespace (a newline) is dropped.
std::string admin_token(const SecretsConfig& secrets) {
  std::string token;
  if (secrets.admin_token_file) {
    std::ifstream in(*secrets.admin_token_file);
    if (!in) throw ConfigError(secrets.admin_token_file->string() + ": cannot read the admin token file");
    std::getline(in, token);
  } else if (const char* env = std::getenv("VIGIL_ADMIN_TOKEN")) {
    token = env;
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (!token.empty() && token.size() < 16) throw ConfigError("the admin token must be at least 16 characters");
  return token;
}

core::GuardOptions guard_options(const GuardsConfig& g) {
  core::GuardOptions out;
  out.spike_mode = g.spike == "off"      ? core::GuardOptions::SpikeMode::off
                   : g.spike == "reject" ? core::GuardOptions::SpikeMode::reject
                                         : core::GuardOptions::SpikeMode::hold;
  out.spike_factor = g.spike_factor;
  out.warmup_ticks = static_cast<uint32_t>(g.warmup_ticks);
  out.stale_after_ms = int64_t{g.stale_after_seconds} * 1000;
  return out;
}

Config with_overrides(Config config, const Overrides& o) {
  if (o.listen) override_option(config.transport, "transport", "--listen", "listen", *o.listen);
  if (o.data_dir) override_option(config.store, "store", "--data-dir", "data_dir", *o.data_dir);
  return config;
}

// The cluster section as core takes it; refused, naming the section, when
// there is no store or the store serves one host only.
std::optional<core::ClusterOptions> cluster_options(const Config& config,
                                                    const core::Component<vigil_store_vtable>* store) {
  if (!config.cluster) return std::nullopt;
  const ClusterConfig& c = *config.cluster;
  if (!store) throw ConfigError(c.where + ": cluster: several hosts share a store: add a store section");
  if (!core::ClusterStore::offered_by(*store))
    throw ConfigError(c.where + ": cluster: " + store->name() +
                      " serves one host only; several hosts need a store that serves them, such as store-postgres");
  return core::ClusterOptions{c.host_id, c.address, c.shards, c.lease_ms, c.heartbeat_ms};
}

}  // namespace

struct Runtime::RunningFeed {
  std::string name;
  core::Component<vigil_feed_vtable> feed;
  std::thread thread;
  std::atomic<bool> running{false};
  mutable std::mutex mutex;
  std::string error;

  void run() {
    core::ErrorBuffer error_buffer;
    vigil_status status = feed.vtable()->run(feed.instance(), error_buffer.get());
    running = false;
    if (status == VIGIL_OK) {
      core::log(core::LogLevel::info, name, "feed finished");
      return;
    }
    std::lock_guard lock(mutex);
    error = core::failure_text(status, error_buffer.text);
    core::log(core::LogLevel::error, name, "feed stopped: " + error);
  }
};

Runtime::Runtime(Config config, const Overrides& overrides, const core::Clock& clock)
    : config_(with_overrides(std::move(config), overrides)),
      clock_(clock),
      plugins_(config_, overrides.extra_plugins),
      factory_(plugins_, metrics_, clock_) {
  create_components();
}

Runtime::~Runtime() {
  stop();
}

void Runtime::create_components() {
  if (config_.cipher) cipher_ = factory_.create<vigil_cipher_vtable>(*config_.cipher, VIGIL_KIND_CIPHER);
  if (config_.store) {
    store_ = factory_.create<vigil_store_vtable>(*config_.store, VIGIL_KIND_STORE);
    core::ErrorBuffer error;
    int64_t version = 0;
    error.check(store_->vtable()->migrate(store_->instance(), &version, error.get()), store_->name());
    core::log(core::LogLevel::info, "vigild", "store ready at schema version " + std::to_string(version));
  }
  std::vector<core::EngineRule> engine_rules;
  for (const auto& choice : config_.rules) {
    rules_.push_back(factory_.create<vigil_rule_vtable>(choice, VIGIL_KIND_RULE));
    engine_rules.push_back({plugins_.get(choice.plugin).name(), rules_.back().vtable(), rules_.back().instance()});
    engine_rules.back().fallback_to_owner_stop = choice.fallback_to_owner_stop;
  }
  size_t shards = std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), 4));
  app_ = std::make_unique<core::Application>(instruments_from(config_), engine_rules, shards, metrics_,
                                             guard_options(config_.guards), clock_);
  for (const InstrumentConfig& i : config_.instruments) {
    core::InstrumentId id = *app_->instruments().find(i.symbol);
    if (!i.sources.empty()) app_->set_sources(id, i.sources, int64_t{i.failover_after_seconds} * 1000);
    if (!i.trading_hours.empty() || i.hold_when_stale)
      app_->set_staleness(id, i.trading_hours.empty() ? core::TradingHours() : core::TradingHours(i.trading_hours),
                          i.hold_when_stale);
  }
  feeds_ = create_feeds(config_, factory_, plugins_);
  if (!store_) cluster_options(config_, nullptr);  // refuses a cluster without a store
  if (store_ && !cipher_)
    throw ConfigError(
        "store: the position workflow needs a cipher as well (device secrets and signal payloads are "
        "stored encrypted): add a cipher section");
  if (store_) {
    std::vector<std::string> rule_names;
    for (const auto& rule : engine_rules) rule_names.push_back(rule.name);
    const EscalationConfig& e = config_.escalation;
    core::WorkflowOptions options;
    options.command_alert_after_ms = int64_t{e.command_alert_after_seconds} * 1000;
    options.command_expire_after_ms = int64_t{e.command_expire_after_seconds} * 1000;
    options.retry_backoff_ms = e.retry_backoff_ms;
    options.device_silent_after_ms = int64_t{e.device_silent_after_seconds} * 1000;
    options.catastrophe = {config_.catastrophe_stop.multiple_percent, config_.catastrophe_stop.random_percent};
    app_->enable_workflow(*store_, *cipher_, rule_names, options, cluster_options(config_, &*store_));
  }
  app_->set_device_hmac(hmac_sha256_hex);  // the transport's verify_device; core links no crypto
  app_->set_audit_hasher(audit_row_hash);  // GET /audit checks each row's hash, as `vigil audit verify`
  app_->set_feed_status_source([this] { return feed_statuses(); });
  app_->set_admin_token(admin_token(config_.secrets));
  core::log(core::LogLevel::info, "vigild",
            app_->admin_api_open() ? "admin API open (bearer token configured)"
                                   : "admin API closed: no admin token (set VIGIL_ADMIN_TOKEN or "
                                     "secrets.admin_token_file)");
  if (config_.transport)
    transport_ =
        factory_.create<vigil_transport_vtable>(*config_.transport, VIGIL_KIND_TRANSPORT, app_->transport_port());
}

std::vector<std::unique_ptr<Runtime::RunningFeed>> Runtime::create_feeds(const Config& config,
                                                                         ComponentFactory& factory,
                                                                         const PluginSet& plugins) {
  std::vector<std::unique_ptr<RunningFeed>> out;
  for (const auto& choice : config.feeds) {
    auto running = std::make_unique<RunningFeed>();
    running->name = choice.where + " (" + plugins.get(choice.plugin).name() + ")";
    running->feed =
        factory.create<vigil_feed_vtable>(choice, VIGIL_KIND_FEED, app_->feed_port(running->name, choice.name));
    out.push_back(std::move(running));
  }
  return out;
}

void Runtime::start_feeds(std::vector<std::unique_ptr<RunningFeed>>& feeds) {
  for (auto& feed : feeds) {
    feed->running = true;
    feed->thread = std::thread([f = feed.get()] { f->run(); });
  }
}

void Runtime::stop_feeds(std::vector<std::unique_ptr<RunningFeed>>& feeds) {
  for (auto& feed : feeds) feed->feed.vtable()->stop(feed->feed.instance());
  for (auto& feed : feeds)
    if (feed->thread.joinable()) feed->thread.join();
}

std::vector<std::string> Runtime::reload_feeds(const Config& config) {
  auto plugins = std::make_unique<PluginSet>(config, std::vector<std::string>{});
  auto factory = std::make_unique<ComponentFactory>(*plugins, metrics_, clock_);
  std::vector<std::unique_ptr<RunningFeed>> fresh = create_feeds(config, *factory, *plugins);
  std::vector<std::unique_ptr<RunningFeed>> old;
  {
    std::lock_guard lock(feeds_mutex_);
    old.swap(feeds_);
  }
  if (started_) stop_feeds(old);
  if (started_) start_feeds(fresh);
  std::vector<std::string> names;
  for (const auto& feed : fresh) names.push_back(feed->name);
  {
    std::lock_guard lock(feeds_mutex_);
    feeds_ = std::move(fresh);
  }
  reload_plugins_.push_back(std::move(plugins));
  reload_factories_.push_back(std::move(factory));
  return names;
}

void Runtime::start() {
  if (started_) return;
  started_ = true;
  if (transport_) {
    core::ErrorBuffer error;
    error.check(transport_->vtable()->start(transport_->instance(), error.get()), transport_->name());
  }
  std::lock_guard lock(feeds_mutex_);
  start_feeds(feeds_);
}

void Runtime::stop() {
  if (!started_) return;
  started_ = false;
  {
    std::lock_guard lock(feeds_mutex_);
    stop_feeds(feeds_);
  }
  if (transport_) transport_->vtable()->stop(transport_->instance());
  if (app_) app_->drain();
}

std::optional<std::string> Runtime::endpoint() const {
  if (!transport_) return std::nullopt;
  std::string out;
  sdk::StringSink sink(out);
  core::ErrorBuffer error;
  error.check(transport_->vtable()->endpoint(transport_->instance(), sink.get(), error.get()), transport_->name());
  return out;
}

std::vector<core::FeedStatus> Runtime::feed_statuses() const {
  std::vector<core::FeedStatus> out;
  std::lock_guard lock(feeds_mutex_);
  for (const auto& f : feeds_) {
    FeedHealthRead read = read_feed_health(f->feed);
    const vigil_feed_health& health = read.counts;
    core::FeedStatus status{f->name,
                            f->running.load(),
                            health.connected != 0,
                            health.last_tick_unix_ms,
                            health.ticks_published,
                            health.rows_skipped,
                            {},
                            std::move(read.error)};
    std::lock_guard lock(f->mutex);
    status.error = f->error;
    out.push_back(std::move(status));
  }
  return out;
}

}  // namespace vigil::host
