// The operator's lists and device deactivation: the read index answers,
// the books add only what lives in memory (a device's last request).
#include "core/workflow/api_error.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {

Page<ClientRow> Workflow::list_clients(const std::optional<std::string>& cursor, size_t limit) const {
  return reads_.clients(cursor, limit);
}

Page<ListedDevice> Workflow::list_devices(const std::string& client_id, const std::optional<std::string>& cursor,
                                          size_t limit) const {
  std::optional<Page<DeviceRow>> rows = reads_.devices(client_id, cursor, limit);
  if (!rows) throw not_found("client " + client_id);
  Page<ListedDevice> page{{}, rows->next_cursor};
  ClientBook* book = nullptr;
  {
    std::shared_lock read(directory_mutex_);
    if (auto it = book_by_client_.find(client_id); it != book_by_client_.end()) book = it->second;
  }
  std::unique_lock<std::mutex> lock;
  if (book) lock = std::unique_lock(book->mutex);
  for (DeviceRow& row : rows->items) {
    const DeviceState* held = book ? book->device(row.id) : nullptr;
    page.items.push_back({std::move(row), held ? held->last_seen : 0});
  }
  return page;
}

Page<PositionRow> Workflow::list_positions(const PositionFilter& filter, const std::optional<std::string>& cursor,
                                           size_t limit) const {
  return reads_.positions(filter, cursor, limit);
}

Page<ListedCommand> Workflow::list_commands(CommandFilter filter, const std::optional<std::string>& cursor,
                                            size_t limit) const {
  filter.overdue_if_created_by = clock_() - options_.command_alert_after_ms;
  Page<CommandRow> rows = reads_.commands(filter, cursor, limit);
  Page<ListedCommand> page{{}, std::move(rows.next_cursor)};
  for (CommandRow& row : rows.items) {
    bool overdue = is_live(row.status) && row.created_at <= filter.overdue_if_created_by;
    page.items.push_back({std::move(row), overdue});
  }
  return page;
}

AuditPage Workflow::audit(int64_t after_seq, size_t limit, const std::optional<std::string>& position_id) {
  std::optional<std::set<std::string>> entities;
  if (position_id) {
    entities = reads_.audit_entities_of(*position_id);
    if (!entities) throw not_found("position " + *position_id);
  }
  return audit_.page(after_seq, limit, entities);
}

// Only the device row changes: its positions stay in the book and their
// engines keep watching them, its live commands stay live and go to the
// client's active devices (ClientBook::deactivate). The directory
// forgets its secret, so the transport's next verification fails exactly
// as for a device that never existed.
void Workflow::deactivate_device(const std::string& device_id) {
  ClientBook* book = book_of_device(device_id);
  if (!book) throw not_found("device " + device_id);
  with_book(*book, [&](int64_t now, std::set<std::string>& woken) {
    DeviceState* device = book->device(device_id);
    if (!device) throw not_found("device " + device_id);
    if (!device->row.active) return;
    DeviceRow row = device->row;
    row.active = false;
    WriteBatch batch;
    batch.update(row).audit(now, "device", device_id, "deactivated");
    commit_locked(*book, batch);
    book->deactivate(device_id);
    register_device(*book, row);
    // Its live commands are the other devices' now: a parked one hears at once.
    if (!device->commands.empty()) book->wake_for(device_id, woken);
  });
}

}  // namespace vigil::core
