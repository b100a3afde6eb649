// Recovery: the books rebuilt from what the store holds, before serving.
#include "core/support/log.hpp"
#include "core/workflow/rule_states.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {

// Every row is read once: the read index takes them all, the books the
// live ones (a second read of a million positions for the books alone
// cost as much again).
void Workflow::recover() {
  int64_t now = clock_();
  size_t devices = 0, positions = 0, commands = 0;
  store_.for_each<ClientRow>([this](ClientRow&& c) { reads_.put(c); });
  for (DeviceRow& d : store_.query<DeviceRow>()) {
    reads_.put(d);
    ClientBook& b = book_for_client(d.client_id);
    register_device(b, d);
    b.add_device(std::move(d), now);
    ++devices;
  }
  // Positions go into their books as the store reads them: a vector of a
  // million rows first would leave the heap fragmented for good. Their
  // rules, and then their watch, follow once the signals are read.
  std::unordered_map<std::string, std::shared_ptr<const std::string>> signal_rules;
  store_.for_each<PositionRow>([&](PositionRow&& p) {
    reads_.put(p);
    if (p.state == PositionState::closed || p.state == PositionState::rejected) return;
    signal_rules.emplace(p.signal_id, nullptr);
    ClientBook& b = book_for_client(p.client_id);
    std::lock_guard lock(b.mutex);
    std::map<std::string, std::string> states = rule_states_of(p);
    b.add_position({std::move(p), 0, nullptr, std::move(states)});
    ++positions;
  });
  // A signal's rule choice is shared by its positions. The signals are read
  // in one pass, not one query each: a book of a million positions may have
  // as many signals, and a query each took most of a minute.
  if (!signal_rules.empty())
    store_.for_each<SignalRow>([&](SignalRow&& s) {
      if (auto it = signal_rules.find(s.id); it != signal_rules.end()) it->second = rules_of(std::move(s.rules_json));
    });
  for (ClientBook* b : books()) {
    std::lock_guard lock(b->mutex);
    b->each_position([&](LivePosition& live) {
      const std::shared_ptr<const std::string>& rules = signal_rules[live.row.signal_id];
      live.rules_json = rules ? rules : rules_of("{}");
      if (live.row.state == PositionState::open) watch_locked(*b, live);
    });
  }
  store_.for_each<CommandRow>([&](CommandRow&& c) {
    reads_.put(c);
    if (!is_live(c.status)) return;
    ClientBook* b = book_of_device(c.device_id);
    if (!b) return;  // the store's foreign keys make this impossible
    std::lock_guard lock(b->mutex);
    b->put_command(std::move(c));
    ++commands;
  });
  // A position left closing without a live command (its command failed or
  // expired just before a stop) gets a new one now.
  for (ClientBook* b : books()) {
    std::lock_guard lock(b->mutex);
    for (const auto& [device_id, device] : b->devices())
      for (const auto& [ticket, position_id] : device.tickets) {
        LivePosition* live = b->position(position_id);
        if (!live || live->row.state != PositionState::closing || b->live_command_of(position_id)) continue;
        CommandRow basis;
        for (CommandRow& c : store_.query<CommandRow>({}, device_id))
          if (c.position_id == position_id) basis = c;
        if (basis.id.empty()) basis.reason = "recovery";
        b->schedule_close(position_id, {basis, 0});
      }
  }
  log(LogLevel::info, "workflow",
      "recovered " + std::to_string(devices) + " devices, " + std::to_string(positions) + " live positions, " +
          std::to_string(commands) + " unfinished close commands");
}

}  // namespace vigil::core
