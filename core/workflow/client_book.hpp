// One client's live state — its devices, its positions not yet ended, its
// live close commands — and the indexes that let every call touch only what
// it concerns: a device's poll reads the device's waiting positions, an ack
// checks the device's tickets, a breach finds its position by engine key.
// No operation here walks positions of other devices, so the cost of an EA
// call does not grow with the size of the book.
//
// JSON-free and store-free: the workflow decides, commits to the store, and
// then tells the book what changed through the mutators below, which keep
// every index and the shared counters in step with the rows.
//
// Threading: a book is guarded by its own `mutex`, which the workflow holds
// across a store commit and the memory change that follows it. Books of
// different clients never wait for each other. The counters are atomics
// shared by all books (read by /metrics without any book's lock).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/workflow/records.hpp"

namespace vigil::core {

struct LivePosition {
  PositionRow row;
  uint64_t key = 0;                                // its engine handle while an engine watches it, else 0
  std::shared_ptr<const std::string> rules_json;   // the signal's rule choice, shared by its positions
  std::map<std::string, std::string> rule_states;  // by rule name (rule_states.hpp)
};

struct DeviceState {
  DeviceRow row;
  int64_t last_seen = 0;
  std::set<std::string> waiting;                         // positions pending or acknowledged: what a poll answers
  std::unordered_map<std::string, std::string> tickets;  // broker ticket -> position open or closing
  std::set<std::string> commands;                        // live close commands
};

// A close to (re-)issue once `at` has come and no command is live.
struct PendingClose {
  CommandRow basis;
  int64_t at = 0;
  int64_t tick_accepted_ns = 0;  // a breach's tick (CloseEvent): where its latency starts; 0 otherwise
};

// Totals over every book, kept as states change.
struct BookCounters {
  std::array<std::atomic<int64_t>, 6> positions{};  // by PositionState
  std::atomic<int64_t> live_commands{0};
  std::atomic<int64_t> engine_keys{0};  // positions an engine watches (keys held)
  std::atomic<int64_t> overdue_commands{0};
};

struct DeliveryAsk;  // workflow.hpp

class ClientBook {
 public:
  ClientBook(std::string client_id, uint32_t index, BookCounters& counters)
      : client_id_(std::move(client_id)), index_(index), counters_(counters) {}
  ClientBook(const ClientBook&) = delete;
  ClientBook& operator=(const ClientBook&) = delete;

  std::mutex mutex;
  // Close-command deliveries asked for and not yet served: whoever holds
  // `mutex` next serves them all with one commit (Workflow::close_commands).
  // Guarded by asks_mutex, never held while `mutex` is wanted.
  std::mutex asks_mutex;
  std::vector<DeliveryAsk*> delivery_asks;
  const std::string& client_id() const noexcept { return client_id_; }
  uint32_t index() const noexcept { return index_; }
  // Engine keys carry the book's index, so a breach finds its book at once.
  static uint32_t index_of_key(uint64_t key) noexcept { return static_cast<uint32_t>(key >> kKeyBits); }

  // Devices (never removed: a deactivated device keeps its row).
  DeviceState* device(const std::string& id);
  DeviceState& add_device(DeviceRow row, int64_t now);
  const std::unordered_map<std::string, DeviceState>& devices() const noexcept { return devices_; }
  // A deactivated device's live close commands are delivered to the
  // client's active devices, and any of them may close-ack them (the
  // replacement terminal of the same broker account closes the ticket).
  void deactivate(const std::string& device_id);
  const std::set<std::string>& inactive_devices() const noexcept { return inactive_devices_; }
  // Whether `caller` (an active device of this client) answers for the
  // commands of `device_id`: its own, or a deactivated device's.
  bool answers_for(const std::string& caller, const std::string& device_id) const {
    return caller == device_id || inactive_devices_.count(device_id) > 0;
  }
  // Adds to `woken` who must hear of a new command of `device_id`: itself,
  // or, deactivated, every active device of the client.
  void wake_for(const std::string& device_id, std::set<std::string>& woken) const;

  // Positions not yet ended.
  LivePosition* position(const std::string& id);
  LivePosition* position_by_key(uint64_t key);
  LivePosition& add_position(LivePosition live);
  // Adopts a committed row of the position (its state may have moved).
  void update_position(LivePosition& live, PositionRow row);
  // Gives it a new engine key (it is about to be watched) / forgets it.
  uint64_t assign_key(LivePosition& live);
  void drop_key(LivePosition& live);
  // The one way a position leaves memory (closed, rejected): every index,
  // its due close and its unsaved rule states go with it.
  void end_position(const std::string& id);
  // f(LivePosition&) for every position: for recovery only (no call walks
  // a book), and f must not add or end positions.
  template <class F>
  void each_position(F&& f) {
    for (auto& [id, live] : positions_) f(live);
  }

  // Live (pending or acknowledged) close commands.
  CommandRow* command(const std::string& id);
  const CommandRow* live_command_of(const std::string& position_id) const;
  void put_command(CommandRow command);  // adds it, or adopts a committed row
  // The one way a command leaves memory (executed, failed, expired).
  void end_command(const std::string& id);
  const std::unordered_map<std::string, CommandRow>& commands() const noexcept { return commands_; }

  // Closes waiting to be issued, by position id.
  std::map<std::string, PendingClose> pending_closes;
  // Schedules a close for the position. A full close waiting is never
  // replaced by a partial one: a partial close that fails or expires while
  // a stop waits behind it must not take the stop's place.
  void schedule_close(const std::string& position_id, PendingClose close);
  // Commands past the alert time (counted in BookCounters::overdue_commands).
  bool mark_overdue(const std::string& command_id);
  const std::set<std::string>& overdue() const noexcept { return overdue_; }

  // Rule states changed since the last save: the ids, and the same oldest
  // first (the queue may hold ids saved since).
  std::set<std::string> rule_states_unsaved;
  std::deque<std::string> rule_state_queue;
  struct LevelMove {
    std::vector<std::pair<uint32_t, int64_t>> levels;  // level id, price
    int digits = 0;
    int64_t at = 0;
  };
  // By (position id, rule): audited with the next rule-state save.
  std::map<std::pair<std::string, std::string>, LevelMove> unsaved_moves;

  // Rows whose last commit failed as unavailable (workflow_doubt.cpp).
  std::set<std::string> doubted_positions, doubted_commands, doubted_devices;
  bool in_doubt() const noexcept {
    return !doubted_positions.empty() || !doubted_commands.empty() || !doubted_devices.empty();
  }

 private:
  static constexpr int kKeyBits = 40;
  void index(LivePosition& live);
  void unindex(const LivePosition& live);
  void count(PositionState state, int64_t delta) { counters_.positions[static_cast<size_t>(state)] += delta; }

  std::string client_id_;
  uint32_t index_;
  BookCounters& counters_;
  uint64_t next_key_ = 1;
  std::unordered_map<std::string, DeviceState> devices_;
  std::set<std::string> inactive_devices_;
  std::unordered_map<std::string, LivePosition> positions_;
  std::unordered_map<uint64_t, LivePosition*> position_by_key_;  // map nodes do not move
  std::unordered_map<std::string, CommandRow> commands_;
  std::unordered_map<std::string, std::string> command_of_position_;  // live command by position id
  std::set<std::string> overdue_;
};

}  // namespace vigil::core
