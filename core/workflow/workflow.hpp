// The position-management workflow (docs/http-api.md):
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
// guard's, are transient by its own design). A position's state is saved
// with its close when a batch closes it, the others by the maintenance tick
// (200 ms), at most 1000 rows a save per client, oldest first: a trending market moves a trailing stop on every
// tick, and a row write per position per tick would swamp the store. So
// moves between two saves are saved and audited as one, and a crash loses
// at most the moves not saved yet (the stop is then a little behind, never
// beyond, where it stood).
//
// State is partitioned by client (client_book.hpp): each client's devices,
// positions and commands live in a ClientBook with its own lock and the
// indexes that keep every EA call to what it concerns. States are typed
// (core/domain/lifecycle.hpp) and every change goes through
// transitions.hpp; memory follows a batch only after it committed.
//
// Threading: `call` runs on transport threads, `on_engine_output` on engine
// shard threads, `maintain` on a timer thread. A book's mutex guards its
// state and its store commits (the store serialises what it must); calls
// for different clients never wait for each other. The directory (which
// book holds a client, a device, an engine key) has a shared mutex, taken
// only briefly and never while a book's lock is wanted. The engine link is
// never waited on under a book's lock. Devices are woken after the book's
// lock is released. Watches have their own mutex, and `wake` runs under it
// so unwatch() can promise it is not running.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/domain/instruments.hpp"
#include "core/engine/engine.hpp"
#include "core/support/fork_join.hpp"
#include "core/support/metrics.hpp"
#include "core/workflow/audit_reader.hpp"
#include "core/workflow/catastrophe_stop.hpp"
#include "core/workflow/cipher_port.hpp"
#include "core/workflow/client_book.hpp"
#include "core/workflow/operations.hpp"
#include "core/workflow/ownership.hpp"
#include "core/workflow/read_index.hpp"
#include "core/workflow/store_port.hpp"
#include "core/workflow/workflow_timings.hpp"

namespace vigil::core {

struct WorkflowOptions {
  int64_t command_alert_after_ms = 30'000;    // unfinished this long: alert
  int64_t command_expire_after_ms = 300'000;  // unfinished this long: expired, re-issued
  int64_t retry_backoff_ms = 1'000;           // after a failed close; doubles, at most 60 s
  int64_t device_silent_after_ms = 60'000;    // a device with positions silent this long is flagged
  CatastropheOptions catastrophe;             // for signals asking for a catastrophe stop
  WorkflowTimings timings;                    // where latencies are recorded (none by default)
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
  // Positions whose rules are failing now (for the operator's alerts);
  // unset: none known.
  std::function<std::vector<FailingRule>()> failing_rules;
};

// One device's request for its close commands, waiting in its book to be
// served (Workflow::close_commands).
struct DeliveryAsk {
  std::string device_id;
  std::vector<EaCommand> commands;  // the answer, once served
  std::exception_ptr error;         // or why there is none
  bool served = false;
};

class Workflow {
 public:
  using Clock = std::function<int64_t()>;  // unix ms

  Workflow(const Instruments& instruments, StorePort store, CipherPort cipher, std::vector<std::string> rule_names,
           EngineLink engines, WorkflowOptions options, Clock clock);

  // Hosts sharing the store (workflow_follow.cpp): which clients this host
  // acts for. Call before recover(); `ownership` must outlive the workflow.
  void set_ownership(const Ownership* ownership) { ownership_ = ownership; }

  // Loads what the store holds: devices, live positions (open ones are
  // watched again, of the clients this host acts for) and unfinished
  // commands (deliverable again). Call once, before serving.
  void recover();

  // ---- Hosts sharing the store (workflow_follow.cpp).
  // Adopts what other hosts committed, as the audit log names it (rows
  // after the last followed): clients, devices, positions and commands are
  // read back and memory takes each where the store is ahead. A new
  // command wakes its device's long-polls here as on its own host.
  void follow(const std::vector<AuditRow>& rows);
  // This host now holds the clients of which `in_shard` is true: their
  // live rows are read back (rule states saved by the last owner among
  // them), open positions go to the engines, closing ones without a live
  // command get one.
  void take_over(const std::function<bool(const std::string& client_id)>& in_shard);
  // It no longer does: their positions leave the engines (the new owner
  // watches them). Memory keeps the rest, followed as any other client's.
  void give_up(const std::function<bool(const std::string& client_id)>& in_shard);

  // ---- EA operations (workflow_client.cpp, workflow_close_ack.cpp), for
  // the authenticated device `device_id`. Each throws ApiError when it
  // cannot be answered as asked, StoreError when the store cannot serve.
  // The device's waiting positions; delivering one moves it to acknowledged.
  std::vector<EaPosition> poll(const std::string& device_id);
  AckAnswer ack(const std::string& device_id, const AckRequest& request);
  // The device's live close commands; delivering one moves it to acknowledged.
  // Deliveries asked for at the same time in one book share a commit.
  std::vector<EaCommand> close_commands(const std::string& device_id);
  CloseAckAnswer close_ack(const std::string& device_id, const CloseAckRequest& request);
  // `tickets`: every ticket open at the device's broker.
  SnapshotAnswer positions_snapshot(const std::string& device_id, const std::vector<std::string>& tickets);

  // ---- Admin operations (workflow_admin.cpp, workflow_reports.cpp).
  // Each returns the new object's id.
  std::string create_client(const std::string& name);
  DeviceAnswer create_device(const std::string& client_id, const std::string& name);
  SignalAnswer create_signal(const SignalRequest& request);
  PositionView get_position(const std::string& position_id);
  // Issues a manual close command of an open position; returns its id.
  std::string close_position(const std::string& position_id);
  Alerts alerts() const;
  std::vector<SlippageRow> slippage_report() const;

  // ---- The operator's lists (workflow_reads.cpp), cursor-paged: served
  // from the read index and the store's audit query, never by walking the
  // books. Throw std::invalid_argument for a cursor not handed out here.
  Page<ClientRow> list_clients(const std::optional<std::string>& cursor, size_t limit) const;
  // Throws ApiError not_found for an unknown client.
  Page<ListedDevice> list_devices(const std::string& client_id, const std::optional<std::string>& cursor,
                                  size_t limit) const;
  Page<PositionRow> list_positions(const PositionFilter& filter, const std::optional<std::string>& cursor,
                                   size_t limit) const;
  // A filter on `overdue` counts from now and the alert time.
  Page<ListedCommand> list_commands(CommandFilter filter, const std::optional<std::string>& cursor, size_t limit) const;
  // Throws ApiError not_found for an unknown position.
  AuditPage audit(int64_t after_seq, size_t limit, const std::optional<std::string>& position_id);
  // The device's next request is refused as an unknown device's; its
  // positions stay watched and its commands live. Idempotent. Throws
  // ApiError not_found for an unknown device.
  void deactivate_device(const std::string& device_id);
  // The stores' audit hash, so the audit list recomputes contents (the
  // host gives it: core has no crypto). Call before serving.
  void set_audit_hasher(AuditReader::Hasher hasher) { audit_.set_hasher(std::move(hasher)); }

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
  AlertCounts alert_counts() const noexcept {
    return {silent_count_.load(), static_cast<uint64_t>(counters_.overdue_commands.load())};
  }
  void export_metrics(Metrics& metrics) const;

  // The device secret of an active device, decrypted; nullopt for an
  // unknown or inactive one. For the host's device verification only.
  // Thread-safe; waits for no book.
  std::optional<std::string> device_secret(const std::string& device_id) const;

 private:
  // Runs f(now, woken) under the book's lock, after reading back its commits
  // in doubt; wakes the devices f put in `woken` once the lock is released.
  template <class F>
  auto with_book(ClientBook& book, F&& f);

  // The directory (workflow.cpp): which book holds what.
  ClientBook& book_for_client(const std::string& client_id);  // created on first use
  ClientBook* book_of_device(const std::string& device_id) const;
  // The book of the device calling; unauthenticated when there is none.
  ClientBook& book_of_caller(const std::string& device_id) const;
  // Records the book of `device`, and its secret (decrypted here unless
  // given) when it is active.
  void register_device(ClientBook& book, const DeviceRow& device, std::optional<std::string> secret = std::nullopt);
  std::vector<ClientBook*> books() const;

  // Store writes (workflow_doubt.cpp). Every commit goes through apply_locked;
  // the rows of one that failed as unavailable are read back when the store
  // answers, and memory adopts the store's newer rows.
  void apply_locked(ClientBook& b, const WriteBatch& batch);
  // apply_locked for a caller's request: a conflict is the caller's 409.
  void commit_locked(ClientBook& b, const WriteBatch& batch);
  void resolve_doubts_locked(ClientBook& b, int64_t now, std::set<std::string>& woken);
  // `followed`: another host's commit (workflow_follow.cpp), not a doubt:
  // adopted without a warning.
  void adopt_position_locked(ClientBook& b, const PositionRow& stored, bool followed = false);
  void adopt_command_locked(ClientBook& b, const CommandRow& stored, int64_t now, std::set<std::string>& woken,
                            bool followed = false);
  void adopt_device_locked(ClientBook& b, const DeviceRow& stored, int64_t now, std::set<std::string>& woken);
  // Whether this host acts for the book's client (ownership.hpp), and the
  // fence its writes for it carry.
  bool acts_for(const ClientBook& b) const { return !ownership_ || ownership_->fence_of(b.client_id()); }
  // The books of the clients `in_shard` selects.
  std::vector<ClientBook*> books_where(const std::function<bool(const std::string& client_id)>& in_shard) const;
  // One book of take_over: its live rows read back, adopted and watched.
  void take_over_book(ClientBook& book, std::atomic<size_t>& watched);

  // Serves every delivery in `asks` with one commit; never throws (each ask
  // holds its answer or its error).
  void deliver_locked(ClientBook& b, int64_t now, const std::vector<DeliveryAsk*>& asks);

  // The EA operations' refusals and repeats.
  AckAnswer repeated_ack(const std::string& device_id, const AckRequest& request);
  CloseAckAnswer finished_close_ack_locked(ClientBook& b, const std::string& device_id, const CloseAckRequest& request);
  CloseAckAnswer late_execution_locked(ClientBook& b, const CommandRow& expired, const CloseAckRequest& request);
  DeviceState& active_device_locked(ClientBook& b, const std::string& device_id, int64_t now);

  // Ending a position (workflow_ending.cpp), the one path for every way a
  // position ends. In two halves around the commit: `end_rows` adds the
  // final row and the expiry of any other live command of the position to
  // the batch; `forget_locked` then takes it off its engine and out of
  // memory with its live command.
  void end_rows_locked(ClientBook& b, const PositionRow& final_row, const std::string& audit_action,
                       const std::string& audit_detail, const std::string& kept_command, const std::string& why,
                       int64_t now, WriteBatch& batch);
  void forget_locked(ClientBook& b, const std::string& position_id);

  // Breaches and escalation (workflow_breach.cpp). *_locked: the book's mutex held.
  NewPosition engine_position(const LivePosition& live) const;
  std::vector<RuleChoice> rule_choices(const std::string& rules_json) const;
  CommandRow new_command(const PositionRow& position, const CommandRow& basis, int64_t now) const;
  // When a failed close is issued again: its failure time plus a backoff
  // doubling with its attempts, at most 60 s.
  int64_t retry_at(const CommandRow& failed) const {
    int64_t backoff = options_.retry_backoff_ms << std::min(failed.attempts, 6);
    return failed.updated_at + std::min<int64_t>(backoff, 60'000);
  }
  // The price a close at market of `p` expects now ("" when unknown).
  std::string market_price(const PositionRow& p) const;
  void watch_locked(ClientBook& b, LivePosition& live);
  void unwatch_locked(ClientBook& b, LivePosition& live);
  void issue_due_closes_locked(ClientBook& b, int64_t now, std::set<std::string>& woken);
  void take_close_events_locked(ClientBook& b, const std::vector<CloseEvent>& events);
  void close_other_locked(ClientBook& b, const CloseEvent& e);
  void expire_commands_locked(ClientBook& b, int64_t now);
  // Rule states (workflow_rule_states.cpp).
  void note_rule_updates_locked(ClientBook& b, const std::vector<RuleUpdate>& updates);
  std::vector<std::string> positions_of_locked(ClientBook& b, const std::vector<CloseEvent>& events) const;
  std::vector<std::string> take_unsaved_locked(ClientBook& b, const std::vector<std::string>& first);
  void save_rule_states_locked(ClientBook& b, int64_t now, const std::vector<std::string>& first = {});
  // Health (workflow_health.cpp).
  size_t silent_devices_locked(ClientBook& b, int64_t now, std::vector<std::string>* ids) const;
  void probe_store(int64_t now);

  // A signal's rule choice as positions share it; the usual "no choice"
  // is one string for all.
  std::shared_ptr<const std::string> rules_of(std::string rules_json) const;
  void wake(const std::set<std::string>& devices);
  int digits_of(const std::string& instrument) const;
  const Instrument& instrument(const std::string& symbol) const;

  const Instruments& instruments_;
  StorePort store_;
  CipherPort cipher_;
  std::vector<std::string> rule_names_;
  EngineLink engines_;
  const Ownership* ownership_ = nullptr;
  WorkflowOptions options_;
  Clock clock_;

  mutable std::shared_mutex directory_mutex_;
  std::vector<std::unique_ptr<ClientBook>> books_;  // by index; never removed
  std::unordered_map<std::string, ClientBook*> book_by_client_;
  // A device's book, and its secret, decrypted once when the device is
  // created or loaded: the store holds it encrypted (what `vigil rekey`
  // rotates), memory in plaintext, as it holds the hidden levels.
  struct DeviceEntry {
    ClientBook* book = nullptr;
    std::optional<std::string> secret;  // nullopt: inactive
  };
  std::unordered_map<std::string, DeviceEntry> device_entries_;
  BookCounters counters_;

  mutable std::mutex watch_mutex_;
  struct Watcher {
    std::string device_id;
    void (*wake)(void*);
    void* user;
  };
  std::unordered_map<uint64_t, Watcher> watchers_;
  std::unordered_multimap<std::string, uint64_t> watch_tokens_;  // by device id
  uint64_t next_watch_ = 1;

  std::atomic<uint64_t> breaches_{0}, commands_issued_{0}, commands_expired_{0}, closes_failed_{0};
  std::atomic<uint64_t> silent_count_{0};
  std::atomic<int64_t> probed_at_{0};
  const std::shared_ptr<const std::string> no_rules_ = std::make_shared<const std::string>("{}");
  ReadIndex reads_;  // the operator's lists: told of every commit
  AuditReader audit_{store_};

  // Threads on which one engine output's books commit side by side (their
  // commits then share store transactions, store_port.hpp). Fixed, whatever
  // the number of books; last, so it is joined before anything it uses goes.
  static constexpr size_t kCommitThreads = 16;
  ForkJoinPool commit_pool_{kCommitThreads};
};

template <class F>
auto Workflow::with_book(ClientBook& book, F&& f) {
  std::set<std::string> woken;
  auto locked = [&] {
    std::lock_guard lock(book.mutex);
    int64_t now = clock_();
    resolve_doubts_locked(book, now, woken);
    return f(now, woken);
  };
  if constexpr (std::is_void_v<decltype(locked())>) {
    locked();
    wake(woken);
  } else {
    auto answer = locked();
    wake(woken);
    return answer;
  }
}

}  // namespace vigil::core
