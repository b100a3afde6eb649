#include "core/workflow/client_book.hpp"

namespace vigil::core {
namespace {

bool waiting(PositionState s) {
  return s == PositionState::pending || s == PositionState::acknowledged;
}

bool held(PositionState s) {
  return s == PositionState::open || s == PositionState::closing;
}

}  // namespace

DeviceState* ClientBook::device(const std::string& id) {
  auto it = devices_.find(id);
  return it == devices_.end() ? nullptr : &it->second;
}

DeviceState& ClientBook::add_device(DeviceRow row, int64_t now) {
  std::string id = row.id;
  DeviceState& device = devices_[id];
  device.row = std::move(row);
  device.last_seen = now;
  if (!device.row.active) inactive_devices_.insert(id);
  return device;
}

void ClientBook::deactivate(const std::string& device_id) {
  auto it = devices_.find(device_id);
  if (it == devices_.end()) return;
  it->second.row.active = false;
  inactive_devices_.insert(device_id);
}

void ClientBook::wake_for(const std::string& device_id, std::set<std::string>& woken) const {
  woken.insert(device_id);
  if (!inactive_devices_.count(device_id)) return;
  for (const auto& [id, device] : devices_)
    if (device.row.active) woken.insert(id);
}

LivePosition* ClientBook::position(const std::string& id) {
  auto it = positions_.find(id);
  return it == positions_.end() ? nullptr : &it->second;
}

LivePosition* ClientBook::position_by_key(uint64_t key) {
  auto it = position_by_key_.find(key);
  return it == position_by_key_.end() ? nullptr : it->second;
}

LivePosition& ClientBook::add_position(LivePosition live) {
  std::string id = live.row.id;
  auto [it, inserted] = positions_.try_emplace(id, std::move(live));
  if (inserted) index(it->second);
  return it->second;
}

void ClientBook::update_position(LivePosition& live, PositionRow row) {
  unindex(live);
  live.row = std::move(row);
  index(live);
}

uint64_t ClientBook::assign_key(LivePosition& live) {
  drop_key(live);
  live.key = (static_cast<uint64_t>(index_) << kKeyBits) | next_key_++;
  position_by_key_[live.key] = &live;
  ++counters_.engine_keys;
  return live.key;
}

void ClientBook::drop_key(LivePosition& live) {
  if (live.key && position_by_key_.erase(live.key)) --counters_.engine_keys;
  live.key = 0;
}

void ClientBook::end_position(const std::string& id) {
  auto it = positions_.find(id);
  if (it == positions_.end()) return;
  drop_key(it->second);
  unindex(it->second);
  positions_.erase(it);
  pending_closes.erase(id);
  rule_states_unsaved.erase(id);
  unsaved_moves.erase(unsaved_moves.lower_bound({id, ""}), unsaved_moves.lower_bound({id + '\0', ""}));
}

CommandRow* ClientBook::command(const std::string& id) {
  auto it = commands_.find(id);
  return it == commands_.end() ? nullptr : &it->second;
}

const CommandRow* ClientBook::live_command_of(const std::string& position_id) const {
  auto it = command_of_position_.find(position_id);
  if (it == command_of_position_.end()) return nullptr;
  auto command = commands_.find(it->second);
  return command == commands_.end() ? nullptr : &command->second;
}

void ClientBook::put_command(CommandRow command) {
  std::string id = command.id;
  auto [it, inserted] = commands_.insert_or_assign(id, std::move(command));
  if (!inserted) return;
  command_of_position_[it->second.position_id] = id;
  if (DeviceState* d = device(it->second.device_id)) d->commands.insert(id);
  ++counters_.live_commands;
}

void ClientBook::end_command(const std::string& id) {
  auto it = commands_.find(id);
  if (it == commands_.end()) return;
  if (auto of = command_of_position_.find(it->second.position_id); of != command_of_position_.end() && of->second == id)
    command_of_position_.erase(of);
  if (DeviceState* d = device(it->second.device_id)) d->commands.erase(id);
  if (overdue_.erase(id)) --counters_.overdue_commands;
  commands_.erase(it);
  --counters_.live_commands;
}

void ClientBook::schedule_close(const std::string& position_id, PendingClose close) {
  auto [it, added] = pending_closes.try_emplace(position_id, close);
  if (added || (it->second.basis.volume.empty() && !close.basis.volume.empty())) return;
  it->second = std::move(close);
}

bool ClientBook::mark_overdue(const std::string& command_id) {
  if (!overdue_.insert(command_id).second) return false;
  ++counters_.overdue_commands;
  return true;
}

void ClientBook::index(LivePosition& live) {
  const PositionRow& p = live.row;
  count(p.state, +1);
  DeviceState* d = device(p.device_id);
  if (!d) return;
  if (waiting(p.state)) d->waiting.insert(p.id);
  if (held(p.state) && !p.broker_ticket.empty()) d->tickets[p.broker_ticket] = p.id;
}

void ClientBook::unindex(const LivePosition& live) {
  const PositionRow& p = live.row;
  count(p.state, -1);
  DeviceState* d = device(p.device_id);
  if (!d) return;
  d->waiting.erase(p.id);
  if (auto it = d->tickets.find(p.broker_ticket); it != d->tickets.end() && it->second == p.id) d->tickets.erase(it);
}

}  // namespace vigil::core
