#include "core/workflow/read_index.hpp"

#include <array>
#include <mutex>
#include <stdexcept>
#include <type_traits>

namespace vigil::core {
namespace {

constexpr std::array kPositionStates = {PositionState::pending, PositionState::acknowledged, PositionState::open,
                                        PositionState::closing, PositionState::closed,       PositionState::rejected};
constexpr std::array kCommandStatuses = {CommandStatus::pending, CommandStatus::acknowledged, CommandStatus::executed,
                                         CommandStatus::failed, CommandStatus::expired};

// The set a position is filed in: one dimension ('s' all, 'c' client, 'd'
// device, 'i' instrument), its value and the state. '\n' cannot occur in
// an id or a symbol, so keys never collide.
std::string position_key(char dimension, const std::string& value, PositionState state) {
  std::string key(1, dimension);
  key += value;
  key += '\n';
  key += name(state);
  return key;
}

// Merges the sets from ordinal `first` on, in ordinal order, until `take` has
// accepted `limit` rows; returns whether rows remain past the last taken.
template <class Accept>
bool merge(const std::vector<const std::set<uint32_t>*>& sets, uint32_t first, size_t limit, Accept&& take) {
  std::vector<std::set<uint32_t>::const_iterator> at, end;
  for (const auto* s : sets) {
    at.push_back(s->lower_bound(first));
    end.push_back(s->end());
  }
  size_t taken = 0;
  for (;;) {
    size_t best = at.size();
    for (size_t i = 0; i < at.size(); ++i)
      if (at[i] != end[i] && (best == at.size() || *at[i] < *at[best])) best = i;
    if (best == at.size()) return false;
    if (taken == limit) return true;
    if (take(*at[best])) ++taken;
    ++at[best];
  }
}

template <class Row, class Id>
Page<Row> page_of(std::vector<Row> items, bool more, Id id_of) {
  Page<Row> page{std::move(items), std::nullopt};
  if (more && !page.items.empty()) page.next_cursor = id_of(page.items.back());
  return page;
}

}  // namespace

void ReadIndex::load(const StorePort& store) {
  store.for_each<ClientRow>([this](ClientRow&& r) { put(r); });
  store.for_each<DeviceRow>([this](DeviceRow&& r) { put(r); });
  store.for_each<PositionRow>([this](PositionRow&& r) { put(r); });
  store.for_each<CommandRow>([this](CommandRow&& r) { put(r); });
}

void ReadIndex::take(const WriteBatch& batch) {
  std::unique_lock lock(mutex_);
  batch.each_row([this](const auto& row) {
    using Row = std::decay_t<decltype(row)>;
    if constexpr (std::is_same_v<Row, ClientRow> || std::is_same_v<Row, DeviceRow> ||
                  std::is_same_v<Row, PositionRow> || std::is_same_v<Row, CommandRow>)
      put_locked(row);
  });
}

void ReadIndex::put(const ClientRow& row) {
  std::unique_lock lock(mutex_);
  put_locked(row);
}
void ReadIndex::put(const DeviceRow& row) {
  std::unique_lock lock(mutex_);
  put_locked(row);
}
void ReadIndex::put(const PositionRow& row) {
  std::unique_lock lock(mutex_);
  put_locked(row);
}
void ReadIndex::put(const CommandRow& row) {
  std::unique_lock lock(mutex_);
  put_locked(row);
}

void ReadIndex::put_locked(const ClientRow& row) {
  clients_[row.id] = row;
}

void ReadIndex::put_locked(const DeviceRow& row) {
  DeviceRow kept = row;
  kept.secret_token.clear();  // never answered, so never kept here
  client_of_device_[row.id] = row.client_id;
  devices_[row.client_id][row.id] = std::move(kept);
}

void ReadIndex::put_locked(const PositionRow& row) {
  PositionRow kept = row;
  kept.rule_state_json.clear();  // answered by GET /positions/{id}, not by lists
  auto [it, added] = positions_.ordinal_of.try_emplace(row.id, static_cast<uint32_t>(positions_.rows.size()));
  if (added) {
    positions_.rows.push_back(std::move(kept));
    file_position(it->second, positions_.rows.back(), true);
    return;
  }
  PositionRow& held = positions_.rows[it->second];
  if (row.version < held.version) return;
  file_position(it->second, held, false);
  held = std::move(kept);
  file_position(it->second, held, true);
}

void ReadIndex::put_locked(const CommandRow& row) {
  auto [it, added] = commands_.ordinal_of.try_emplace(row.id, static_cast<uint32_t>(commands_.rows.size()));
  if (added) {
    commands_.rows.push_back(row);
    command_sets_[std::string(name(row.status))].insert(it->second);
    commands_of_position_[row.position_id].push_back(it->second);
    return;
  }
  CommandRow& held = commands_.rows[it->second];
  if (row.version < held.version) return;
  command_sets_[std::string(name(held.status))].erase(it->second);
  held = row;
  command_sets_[std::string(name(row.status))].insert(it->second);
}

void ReadIndex::file_position(uint32_t ordinal, const PositionRow& row, bool add) {
  for (std::string key : {position_key('s', "", row.state), position_key('c', row.client_id, row.state),
                          position_key('d', row.device_id, row.state), position_key('i', row.instrument, row.state)}) {
    if (add) {
      position_sets_[key].insert(ordinal);
    } else if (auto it = position_sets_.find(key); it != position_sets_.end()) {
      it->second.erase(ordinal);
      if (it->second.empty()) position_sets_.erase(it);
    }
  }
}

uint32_t ReadIndex::first_after(const std::unordered_map<std::string, uint32_t>& ordinal_of,
                                const std::optional<std::string>& cursor) {
  if (!cursor) return 0;
  auto it = ordinal_of.find(*cursor);
  if (it == ordinal_of.end()) throw std::invalid_argument("not a cursor this server handed out");
  return it->second + 1;
}

Page<ClientRow> ReadIndex::clients(const std::optional<std::string>& cursor, size_t limit) const {
  std::shared_lock lock(mutex_);
  auto it = cursor ? clients_.upper_bound(*cursor) : clients_.begin();
  std::vector<ClientRow> items;
  for (; it != clients_.end() && items.size() < limit; ++it) items.push_back(it->second);
  return page_of(std::move(items), it != clients_.end(), [](const ClientRow& r) { return r.id; });
}

std::optional<Page<DeviceRow>> ReadIndex::devices(const std::string& client_id,
                                                  const std::optional<std::string>& cursor, size_t limit) const {
  std::shared_lock lock(mutex_);
  if (!clients_.count(client_id)) return std::nullopt;
  std::vector<DeviceRow> items;
  auto of = devices_.find(client_id);
  if (of == devices_.end()) return Page<DeviceRow>{};
  auto it = cursor ? of->second.upper_bound(*cursor) : of->second.begin();
  for (; it != of->second.end() && items.size() < limit; ++it) items.push_back(it->second);
  return page_of(std::move(items), it != of->second.end(), [](const DeviceRow& r) { return r.id; });
}

std::optional<DeviceRow> ReadIndex::device(const std::string& device_id) const {
  std::shared_lock lock(mutex_);
  auto client = client_of_device_.find(device_id);
  if (client == client_of_device_.end()) return std::nullopt;
  return devices_.at(client->second).at(device_id);
}

std::optional<std::set<std::string>> ReadIndex::audit_entities_of(const std::string& position_id) const {
  std::shared_lock lock(mutex_);
  if (!positions_.ordinal_of.count(position_id)) return std::nullopt;
  std::set<std::string> ids{position_id};
  if (auto it = commands_of_position_.find(position_id); it != commands_of_position_.end())
    for (uint32_t ordinal : it->second) ids.insert(commands_.rows[ordinal].id);
  return ids;
}

Page<PositionRow> ReadIndex::positions(const PositionFilter& filter, const std::optional<std::string>& cursor,
                                       size_t limit) const {
  std::shared_lock lock(mutex_);
  uint32_t first = first_after(positions_.ordinal_of, cursor);
  // The narrowest dimension the filter names; the others are checked per row.
  char dimension = filter.device_id ? 'd' : filter.client_id ? 'c' : filter.instrument ? 'i' : 's';
  const std::string& value = filter.device_id    ? *filter.device_id
                             : filter.client_id  ? *filter.client_id
                             : filter.instrument ? *filter.instrument
                                                 : std::string();
  static const Ordinals kNone;
  std::vector<const Ordinals*> sets;
  for (PositionState s : kPositionStates) {
    if (filter.state && *filter.state != s) continue;
    auto it = position_sets_.find(position_key(dimension, value, s));
    sets.push_back(it == position_sets_.end() ? &kNone : &it->second);
  }
  std::vector<PositionRow> items;
  bool more = merge(sets, first, limit, [&](uint32_t ordinal) {
    const PositionRow& p = positions_.rows[ordinal];
    if ((filter.client_id && p.client_id != *filter.client_id) ||
        (filter.instrument && p.instrument != *filter.instrument))
      return false;
    items.push_back(p);
    return true;
  });
  return page_of(std::move(items), more, [](const PositionRow& r) { return r.id; });
}

Page<CommandRow> ReadIndex::commands(const CommandFilter& filter, const std::optional<std::string>& cursor,
                                     size_t limit) const {
  std::shared_lock lock(mutex_);
  uint32_t first = first_after(commands_.ordinal_of, cursor);
  static const Ordinals kNone;
  std::vector<const Ordinals*> sets;
  for (CommandStatus s : kCommandStatuses) {
    if (filter.status && *filter.status != s) continue;
    if (filter.overdue.value_or(false) && !is_live(s)) continue;  // only a live command is overdue
    auto it = command_sets_.find(std::string(name(s)));
    sets.push_back(it == command_sets_.end() ? &kNone : &it->second);
  }
  std::vector<CommandRow> items;
  bool more = merge(sets, first, limit, [&](uint32_t ordinal) {
    const CommandRow& c = commands_.rows[ordinal];
    if (filter.overdue) {
      bool overdue = is_live(c.status) && c.created_at <= filter.overdue_if_created_by;
      if (overdue != *filter.overdue) return false;
    }
    items.push_back(c);
    return true;
  });
  return page_of(std::move(items), more, [](const CommandRow& r) { return r.id; });
}

}  // namespace vigil::core
