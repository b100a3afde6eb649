#include "core/app/health.hpp"

#include <nlohmann/json.hpp>

#include "core/support/log.hpp"
#include "core/support/version.hpp"

namespace vigil::core {
namespace {

nlohmann::json feed_json(const FeedStatus& f) {
  nlohmann::json feed = {{"name", f.name},
                         {"running", f.running},
                         {"connected", f.connected},
                         {"ticks_published", f.ticks_published},
                         {"rows_skipped", f.rows_skipped}};
  if (f.last_tick_unix_ms) feed["last_tick_unix_ms"] = f.last_tick_unix_ms;
  if (!f.error.empty()) feed["error"] = f.error;
  if (!f.health_error.empty()) feed["health_error"] = f.health_error;
  return feed;
}

bool failing(const FeedStatus& f) {
  return !f.error.empty() || !f.health_error.empty();
}

// The store as its last commits found it. The error text (hosts, sockets,
// files) is for the admin view only.
nlohmann::json store_json(const std::string& name, const StoreHealthView& health, bool detail) {
  nlohmann::json out = {{"name", name}, {"ok", health.ok}};
  if (health.last_ok_ms) out["last_ok_unix_ms"] = health.last_ok_ms;
  if (!health.ok) {
    out["failing_since_unix_ms"] = health.failing_since_ms;
    out["failed_attempts"] = health.failures;
    out["error"] = detail ? health.last_error : "unavailable";
  }
  return out;
}

// EAs that went silent with positions open, and close commands unfinished
// past the alert time: flagged for ops (counts here, ids for the admin),
// but not a fault of this server, so they do not turn the status degraded
// (a load balancer would drop a healthy node for an EA's outage).
nlohmann::json alerts_json(const Workflow& workflow, bool detail) {
  if (detail) return {{"silent_devices", workflow.silent_devices()}, {"overdue_commands", workflow.overdue_commands()}};
  Workflow::AlertCounts counts = workflow.alert_counts();
  return {{"silent_devices", counts.silent_devices}, {"overdue_commands", counts.overdue_commands}};
}

}  // namespace

Health::Report Health::report(bool detail) const {
  Report out;
  nlohmann::json feeds = nlohmann::json::array();
  for (const FeedStatus& f : read_feeds()) {
    if (failing(f)) out.healthy = false;
    feeds.push_back(feed_json(f));
  }
  std::vector<std::string> stale = intake_.stale_instruments();
  if (!stale.empty()) out.healthy = false;
  nlohmann::json body = {
      {"version", kVersion}, {"instruments", instruments_.size()}, {"stale_instruments", stale}, {"feeds", feeds}};
  nlohmann::json sources = nlohmann::json::object();
  for (const auto& [symbol, active] : intake_.active_sources())
    sources[symbol] = active ? nlohmann::json(*active) : nlohmann::json();
  if (!sources.empty()) body["active_sources"] = sources;
  if (store_) {
    StoreHealthView store = store_->view();
    if (!store.ok) out.healthy = false;
    body["store"] = store_json(store_->store_name(), store, detail);
  }
  if (workflow_) body["alerts"] = alerts_json(*workflow_, detail);
  if (rule_failures_) {
    RuleFailures failures = rule_failures_();
    if (!failures.failing.empty()) out.healthy = false;
    nlohmann::json rules = {{"failing_positions", failures.failing.size()}};
    if (detail) {
      nlohmann::json ids = nlohmann::json::array();
      for (const FailingRule& f : failures.failing) ids.push_back(f.position);
      rules["failing_position_ids"] = ids;
    }
    body["rules"] = rules;
  }
  if (cluster_) body["cluster"] = nlohmann::json::parse(cluster_(out.healthy));
  body["status"] = out.healthy ? "ok" : "degraded";
  out.json = body.dump();
  return out;
}

void Health::export_metrics(Metrics& metrics) const {
  for (const FeedStatus& f : read_feeds())
    metrics.set("vigil_feed_failing{feed=\"" + f.name + "\"}", failing(f) ? 1 : 0);
}

std::vector<FeedStatus> Health::read_feeds() const {
  if (!feeds_) return {};
  std::vector<FeedStatus> feeds = feeds_();
  std::lock_guard lock(logged_mutex_);
  for (const FeedStatus& f : feeds) {
    std::string& logged = logged_health_errors_[f.name];
    if (f.health_error == logged) continue;
    if (f.health_error.empty())
      log(LogLevel::info, f.name, "feed health recovered");
    else
      log(LogLevel::warn, f.name, "feed failing: " + f.health_error);
    logged = f.health_error;
  }
  return feeds;
}

}  // namespace vigil::core
