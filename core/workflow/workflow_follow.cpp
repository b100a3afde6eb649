// Hosts sharing one store: what other hosts committed is adopted here, and
// the clients of a shard are taken over or given up (ownership.hpp).
//
// The audit log is the change feed: every commit that changes a client,
// device, position or command appends an audit row naming it, and the
// store serialises appends, so rows after a seq are exactly what landed
// since. Each named row is read back and memory takes it where the store
// is ahead (versions make it order-proof: the adopt_* functions of
// workflow_doubt.cpp, which do the same for a commit in doubt). A host's
// own commits come back too and are skipped by their versions.
//
// What no audit row names: rule states saved without a level move. The
// host holding the shard is the only writer of those, and a host taking a
// shard over reads its clients' live rows back first (take_over).
#include <atomic>
#include <set>

#include "core/support/log.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {
namespace {

// The ids the rows name, by entity, each once.
struct Named {
  std::set<std::string> clients, devices, positions, commands;
};

Named named_by(const std::vector<AuditRow>& rows) {
  Named out;
  for (const AuditRow& row : rows) {
    if (row.entity == "client") out.clients.insert(row.entity_id);
    if (row.entity == "device") out.devices.insert(row.entity_id);
    if (row.entity == "position") out.positions.insert(row.entity_id);
    if (row.entity == "command") out.commands.insert(row.entity_id);
  }
  return out;
}

bool live_state(PositionState s) {
  return s != PositionState::closed && s != PositionState::rejected;
}

}  // namespace

void Workflow::follow(const std::vector<AuditRow>& rows) {
  Named named = named_by(rows);
  for (const std::string& id : named.clients)
    for (ClientRow& c : store_.query<ClientRow>(id)) reads_.put(c);
  // Devices before what they own: a command is filed under its device's book.
  for (const std::string& id : named.devices)
    for (DeviceRow& d : store_.query<DeviceRow>(id)) {
      reads_.put(d);
      ClientBook& b = book_for_client(d.client_id);
      with_book(b, [&](int64_t now, std::set<std::string>& woken) { adopt_device_locked(b, d, now, woken); });
    }
  for (const std::string& id : named.positions)
    for (PositionRow& p : store_.query<PositionRow>(id)) {
      reads_.put(p);
      ClientBook& b = book_for_client(p.client_id);
      with_book(b, [&](int64_t, std::set<std::string>&) { adopt_position_locked(b, p, true); });
    }
  for (const std::string& id : named.commands)
    for (CommandRow& c : store_.query<CommandRow>(id)) {
      reads_.put(c);
      ClientBook* b = book_of_device(c.device_id);
      if (!b) continue;  // the store's foreign keys make this impossible
      with_book(*b, [&](int64_t now, std::set<std::string>& woken) { adopt_command_locked(*b, c, now, woken, true); });
    }
}

void Workflow::adopt_device_locked(ClientBook& b, const DeviceRow& stored, int64_t now, std::set<std::string>& woken) {
  DeviceState* known = b.device(stored.id);
  if (!known) {
    b.add_device(stored, now);
    register_device(b, stored);
    return;
  }
  if (stored.active || !known->row.active) return;
  // Deactivated on another host: as deactivate_device does after its commit.
  known->row.active = false;
  b.deactivate(stored.id);
  register_device(b, stored);
  if (!known->commands.empty()) b.wake_for(stored.id, woken);
}

std::vector<ClientBook*> Workflow::books_where(
    const std::function<bool(const std::string& client_id)>& in_shard) const {
  std::vector<ClientBook*> out;
  for (ClientBook* b : books())
    if (in_shard(b->client_id())) out.push_back(b);
  return out;
}

// The books side by side on the commit pool: each reads its devices' live
// rows back (a store round trip per device), so a shard of thousands of
// clients is read over the store's whole connection pool, not one query
// after another.
void Workflow::take_over(const std::function<bool(const std::string& client_id)>& in_shard) {
  std::atomic<size_t> watched = 0;
  std::vector<std::function<void()>> tasks;
  for (ClientBook* book : books_where(in_shard)) tasks.emplace_back([&, book] { take_over_book(*book, watched); });
  commit_pool_.run_all(tasks);
  log(LogLevel::info, "workflow", "took over " + std::to_string(watched.load()) + " open positions");
}

void Workflow::take_over_book(ClientBook& book, std::atomic<size_t>& watched) {
  with_book(book, [&, b = &book](int64_t now, std::set<std::string>& woken) {
    std::vector<std::string> device_ids;
    for (const auto& [id, device] : b->devices()) device_ids.push_back(id);
    for (const std::string& device_id : device_ids) {
      for (PositionRow& p : store_.query<PositionRow>({}, device_id, "pending,acknowledged,open,closing"))
        adopt_position_locked(*b, p, true);
      for (CommandRow& c : store_.query<CommandRow>({}, device_id, "pending,acknowledged"))
        adopt_command_locked(*b, c, now, woken, true);
    }
    std::vector<std::string> unclosed;
    b->each_position([&](LivePosition& live) {
      if (live.row.state == PositionState::open && !live.key) {
        watch_locked(*b, live);
        watched += live.key != 0;
      }
      if (live.row.state == PositionState::closing && !b->live_command_of(live.row.id) &&
          !b->pending_closes.count(live.row.id))
        unclosed.push_back(live.row.id);
    });
    // Its last owner moved it to closing and stopped before a command
    // was stored, or its command failed or expired just before.
    for (const std::string& id : unclosed) {
      CommandRow basis;
      for (CommandRow& c : store_.query<CommandRow>({}, b->position(id)->row.device_id))
        if (c.position_id == id) basis = c;  // the last one: its reason and levels
      if (basis.id.empty()) basis.reason = "takeover";
      b->schedule_close(id, {basis, 0});
    }
    issue_due_closes_locked(*b, now, woken);
  });
}

void Workflow::give_up(const std::function<bool(const std::string& client_id)>& in_shard) {
  for (ClientBook* book : books_where(in_shard))
    with_book(*book, [&, b = book](int64_t, std::set<std::string>&) {
      b->each_position([&](LivePosition& live) {
        if (live.key && live_state(live.row.state)) unwatch_locked(*b, live);
      });
    });
}

}  // namespace vigil::core
