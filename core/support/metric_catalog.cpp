#include "core/support/metric_catalog.hpp"

#include <algorithm>
#include <array>

namespace vigil::core {
namespace {

struct Family {
  std::string_view name;
  std::string_view help;
};

// Sorted by name (looked up by binary search).
constexpr std::array kFamilies = std::to_array<Family>({
    {"vigil_breach_latency_seconds",
     "Time from accepting the tick that crossed a level to its close command committed to the store."},
    {"vigil_breaches_total", "Crossed levels that became close commands (a position's first breach)."},
    {"vigil_build_info", "Always 1; the labels name the running build and its plugin ABI."},
    {"vigil_cipher_decrypt_failures_total", "Ciphertexts a cipher plugin could not decrypt."},
    {"vigil_cluster_changes_behind", "Audit rows other hosts committed that this host has not followed yet."},
    {"vigil_cluster_hosts_alive", "Hosts of the cluster seen within one lease, this one included."},
    {"vigil_cluster_lease_renewed_seconds_ago", "Time since this host's last successful heartbeat (-1: none yet)."},
    {"vigil_cluster_owned_shards", "Shards this host holds a valid lease on now."},
    {"vigil_cluster_takeovers_total", "Shards this host has taken over (gained) since it started."},
    {"vigil_close_command_delivery_seconds", "Time from a close command's creation to its first delivery to its EA."},
    {"vigil_close_commands_expired_total", "Close commands expired unfinished and issued again."},
    {"vigil_close_commands_failed_total", "Close commands the EA reported as failed."},
    {"vigil_close_commands_issued_total", "Close commands issued, re-issues included."},
    {"vigil_close_commands_live", "Close commands waiting for their EA's result now."},
    {"vigil_close_commands_overdue", "Close commands unfinished past the alert time now."},
    {"vigil_close_events_total", "Close events the engines produced (levels crossed, deadlines due)."},
    {"vigil_devices_silent", "Devices holding positions that have not called within the silence limit."},
    {"vigil_feed_failing", "1 while a feed has stopped on an error or its health reports one, else 0."},
    {"vigil_feed_fix_rejects_total", "FIX messages feed-fix rejected."},
    {"vigil_feed_rows_skipped_total", "Tick rows a feed skipped as malformed."},
    {"vigil_instrument_stale",
     "1 while an instrument trades and has had no tick for guards.stale_after_seconds, else 0."},
    {"vigil_instrument_tick_age_seconds", "Seconds since the instrument's last accepted tick."},
    {"vigil_position_rules_failing", "Positions whose rule is failing now."},
    {"vigil_positions", "Positions by state now."},
    {"vigil_positions_watched", "Positions the engines watch now."},
    {"vigil_rule_callback_duration_seconds", "Time a rule plugin spent in one callback, by rule and callback."},
    {"vigil_rule_failures_total", "Rule callbacks that failed, by rule."},
    {"vigil_store_commit_duration_seconds",
     "Time one store transaction took, by store and outcome (ok or failed), measured by the host around the call."},
    {"vigil_ticks_accepted_total", "Ticks accepted and handed to the engines."},
    {"vigil_ticks_guarded_total", "Ticks the price guards held back or refused."},
    {"vigil_ticks_rejected_total", "Ticks refused as malformed or of an unknown instrument."},
    {"vigil_ticks_stale_dropped_total", "First ticks after a stale gap dropped for want of confirmation."},
    {"vigil_ticks_stale_held_total", "First ticks after a stale gap held for confirmation."},
    {"vigil_ticks_stale_released_total", "Held ticks released once the next tick confirmed them."},
    {"vigil_ticks_standby_total", "Ticks from a standby source, not counted while the primary quotes."},
});

// Fast callbacks (a rule's work is microseconds) and waits on an EA (seconds
// to minutes) need their own scales; everything else is a store or engine
// latency.
constexpr std::array kRuleCallbackBuckets = std::to_array<double>(
    {0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.1});
constexpr std::array kDeliveryBuckets =
    std::to_array<double>({0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300});
constexpr std::array kLatencyBuckets = std::to_array<double>(
    {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});

}  // namespace

std::string_view metric_family(std::string_view name) {
  return name.substr(0, name.find('{'));
}

std::string_view metric_help(std::string_view family) {
  auto it = std::lower_bound(kFamilies.begin(), kFamilies.end(), family,
                             [](const Family& f, std::string_view name) { return f.name < name; });
  if (it != kFamilies.end() && it->name == family) return it->help;
  return "Reported by a plugin through the host's metrics.";
}

std::span<const double> metric_buckets(std::string_view family) {
  if (family == "vigil_rule_callback_duration_seconds") return kRuleCallbackBuckets;
  if (family == "vigil_close_command_delivery_seconds") return kDeliveryBuckets;
  return kLatencyBuckets;
}

}  // namespace vigil::core
