// The position-management workflow (CONTRACT.md sections 2 and 3):
// clients, devices, signals -> pending positions -> EA poll -> execution ack
// -> engine watch -> breach -> close command -> EA close-ack, with every
// state change durable before it is answered or acted on.
//
// Every change is one store batch (rows + audit rows) committed before the
// in-memory state follows it, so a crash loses nothing that was answered.
// A batch that failed as unavailable may still have landed (a COMMIT cut
// off): its rows are read back before they are acted on again
// (workflow_doubt.cpp).
// A breach writes the command and the position's move to `closing` in one
// batch; a command that fails or expires is re-issued while the position
// is still breached, so a breached position is never left open silently.
//
// Rules that move levels (trailing, break-even, ladder) save their state in
// the position row (rule_state_json, by rule name) and their moves are
// audited, so a restart resumes with the moved levels, not the original
// ones. A rule's move counts when it saves state with it (the engine
// reports only those: bands a rule moves without state, like the drawdown
// guard's, are transient by its own design). A position's state is saved with its close when a batch closes
// it, the others by the maintenance tick (200 ms), at most 1000 rows a
// save, oldest first: a trending market moves a trailing stop on every
// tick, and a row write per position per tick would swamp the store. So
// moves between two saves are saved and audited as one, and a crash loses
// at most the moves not saved yet (the stop is then a little behind, never
// beyond, where it stood).
//
// Threading: `call` runs on transport threads, `on_engine_output` on engine
// shard threads, `maintain` on a timer thread. One mutex guards the state
// and the store writes (the store is the serialisation point anyway); the
// engine link is never waited on while it is held. Watches have their own
// mutex, and `wake` runs under it so unwatch() can promise it is not running.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/domain/instruments.hpp"
#include "core/engine/engine.hpp"
#include "core/support/metrics.hpp"
#include "core/workflow/catastrophe_stop.hpp"
#include "core/workflow/cipher_port.hpp"
#include "core/workflow/request_body.hpp"
#include "core/workflow/store_port.hpp"

namespace vigil::core {

struct WorkflowOptions {
  int64_t command_alert_after_ms = 30'000;    // unfinished this long: alert
  int64_t command_expire_after_ms = 300'000;  // unfinished this long: expired, re-issued
  int64_t retry_backoff_ms = 1'000;           // after a failed close; doubles, at most 60 s
  int64_t device_silent_after_ms = 60'000;    // a device with positions silent this long is flagged
  CatastropheOptions catastrophe;             // for signals asking for a catastrophe stop
};

// How the workflow reaches the engines (Application implements it).
struct EngineLink {
  // Starts watching a position (asynchronous; failures are logged).
  std::function<void(const NewPosition&)> watch;
  // Stops watching it.
  std::function<void(uint64_t key, InstrumentId instrument)> unwatch;
  // Whether the rules accept the position: empty, or why not. Blocks.
  std::function<std::string(const NewPosition&)> validate;
  // The last accepted price a position of `side` would close at (bid BUY,
  // ask SELL), if the instrument has had one: the expected price of a
  // close at market (manual, or a rule closing another position).
  std::function<std::optional<int64_t>(InstrumentId, Side)> market_price;
};

class Workflow {
 public:
  using Clock = std::function<int64_t()>;  // unix ms

  Workflow(const Instruments& instruments, StorePort store, CipherPort cipher, std::vector<std::string> rule_names,
           EngineLink engines, WorkflowOptions options, Metrics& metrics, Clock clock);

  // Loads what the store holds: devices, live positions (open ones are
  // watched again) and unfinished commands (deliverable again). Call once,
  // before serving.
  void recover();

  // True for the operations `call` answers.
  static bool handles(std::string_view operation);
  // Runs one operation; returns its JSON answer. Throws ApiError.
  std::string call(std::string_view operation, std::string_view principal, const JsonFields& params,
                   std::string_view body);

  // What an engine shard produced: rule updates are saved (and audited),
  // then each close event becomes a close command.
  void on_engine_output(const std::vector<CloseEvent>& events, const std::vector<RuleUpdate>& updates);
  // Escalation: alerts, expiry, re-issue after failure. Called periodically.
  void maintain();

  // Long-poll support (vigil_app.watch / unwatch).
  uint64_t watch(std::string device_id, void (*wake)(void*), void* user);
  void unwatch(uint64_t token);

  // For the admin: devices with positions that have gone silent, and
  // commands unfinished past the alert time.
  std::vector<std::string> silent_devices() const;
  std::vector<std::string> overdue_commands() const;
  // Their counts for /healthz, as the maintenance tick last took them:
  // read without the workflow's lock, which a slow store may hold.
  struct AlertCounts {
    uint64_t silent_devices = 0, overdue_commands = 0;
  };
  AlertCounts alert_counts() const noexcept { return {silent_count_.load(), overdue_count_.load()}; }
  void export_metrics(Metrics& metrics) const;

  // The device secret of an active device, decrypted; nullopt for an
  // unknown or inactive one. For the host's device verification only.
  std::optional<std::string> device_secret(const std::string& device_id);

 private:
  struct DeviceState {
    DeviceRow row;
    int64_t last_seen = 0;
  };
  struct LivePosition {
    PositionRow row;
    uint64_t key = 0;
    std::string rules_json;  // the signal's rule choice
    // Each rule's saved state, by rule name: what rule_state_json holds
    // unless the position is in rule_states_unsaved_.
    std::map<std::string, std::string> rule_states;
  };
  // A rule's latest move of a position's levels, to audit (formatted only
  // when saved: a storm of moves must cost little until then).
  struct LevelMove {
    std::vector<std::pair<uint32_t, int64_t>> levels;  // id, price
    int digits = 0;
    int64_t at = 0;
  };
  // A close to (re-)issue once `at` has come and no command is live.
  struct PendingClose {
    CommandRow basis;
    int64_t at = 0;
  };

  std::string dispatch(std::string_view operation, std::string_view principal, const JsonFields& params,
                       std::string_view body);
  // Health (workflow_health.cpp): the alert counts, and a commit while the
  // store is failing, so its health recovers without traffic.
  void count_alerts_locked(int64_t now);
  void probe_store_locked(int64_t now);
  // Commits in doubt (workflow_doubt.cpp): every commit goes through
  // apply_locked; the rows of one that failed as unavailable are read back
  // when the store answers, and memory adopts the store's newer rows.
  void apply_locked(const WriteBatch& batch);
  void note_doubt_locked(const WriteBatch& batch);
  void resolve_doubts_locked(int64_t now, std::set<std::string>& woken);
  void adopt_position_locked(const PositionRow& stored);
  void adopt_command_locked(const CommandRow& stored, int64_t now, std::set<std::string>& woken);

  // Admin operations (workflow_admin.cpp).
  std::string create_client(const RequestBody& body);
  std::string create_device(const std::string& client_id, const RequestBody& body);
  std::string create_signal(const RequestBody& body);
  std::string get_position(const std::string& position_id);
  std::string close_position(const std::string& position_id, const RequestBody& body);
  std::string alerts() const;
  // EA operations (workflow_client.cpp).
  std::string poll(const std::string& device_id);
  std::string ack(const std::string& device_id, const RequestBody& body);
  std::string close_commands(const std::string& device_id);
  std::string close_ack(const std::string& device_id, const RequestBody& body);
  std::string positions_snapshot(const std::string& device_id, const RequestBody& body);
  std::string late_execution_locked(const CommandRow& expired, const RequestBody& body);
  // Reports (workflow_reports.cpp).
  std::string slippage_report() const;

  // Helpers (workflow.cpp / workflow_breach.cpp). *_locked: mutex_ held.
  NewPosition engine_position(const LivePosition& live) const;
  std::vector<RuleChoice> rule_choices(const std::string& rules_json) const;
  LivePosition& device_position(const std::string& device_id, const std::string& position_id);
  const CommandRow& device_command(const std::string& device_id, const std::string& command_id);
  CommandRow new_command_locked(const LivePosition& live, const CommandRow& basis, int64_t now) const;
  bool has_live_command_locked(const std::string& position_id) const;
  // The price a close at market of `p` expects now ("" when unknown).
  std::string market_price(const PositionRow& p) const;
  void commit_locked(const WriteBatch& batch);
  void issue_due_closes_locked(int64_t now, std::set<std::string>& woken);
  void take_close_events_locked(const std::vector<CloseEvent>& events);
  void close_other_locked(const CloseEvent& e);
  // Rule states (workflow_rule_states.cpp).
  void note_rule_updates_locked(const std::vector<RuleUpdate>& updates);
  std::vector<std::string> positions_of_locked(const std::vector<CloseEvent>& events) const;
  std::vector<std::string> take_unsaved_locked(const std::vector<std::string>& first);
  void save_rule_states_locked(int64_t now, const std::vector<std::string>& first = {});
  void wake(const std::set<std::string>& devices);
  void seen(const std::string& device_id);
  int digits_of(const std::string& instrument) const;
  const Instrument& instrument(const std::string& symbol) const;

  const Instruments& instruments_;
  StorePort store_;
  CipherPort cipher_;
  std::vector<std::string> rule_names_;
  EngineLink engines_;
  WorkflowOptions options_;
  Metrics& metrics_;
  Clock clock_;

  mutable std::mutex mutex_;
  std::unordered_map<std::string, DeviceState> devices_;
  std::unordered_map<std::string, LivePosition> positions_;  // not yet closed or rejected
  std::unordered_map<uint64_t, std::string> position_by_key_;
  std::unordered_map<std::string, CommandRow> commands_;  // pending or acknowledged
  std::map<std::string, PendingClose> pending_closes_;    // by position id
  std::set<std::string> alerted_commands_;
  std::set<std::string> rule_states_unsaved_;  // position ids
  std::deque<std::string> rule_state_queue_;   // the same, oldest first (may hold ids saved since)
  // By (position id, rule): audited with the next rule-state save.
  std::map<std::pair<std::string, std::string>, LevelMove> unsaved_moves_;
  uint64_t next_key_ = 1;

  mutable std::mutex watch_mutex_;
  struct Watcher {
    std::string device_id;
    void (*wake)(void*);
    void* user;
  };
  std::unordered_map<uint64_t, Watcher> watchers_;
  uint64_t next_watch_ = 1;

  std::atomic<uint64_t> breaches_{0}, commands_issued_{0}, commands_expired_{0}, closes_failed_{0};
  std::atomic<uint64_t> silent_count_{0}, overdue_count_{0};
  int64_t probed_at_ = 0;  // mutex_
  std::set<std::string> doubted_positions_, doubted_commands_, doubted_devices_;  // ids, mutex_
  std::atomic<bool> in_doubt_{false};  // any of them non-empty: read without the lock
};

}  // namespace vigil::core
