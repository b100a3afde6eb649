// Core's side of the store ABI: batches of writes committed in one
// transaction, and typed queries. Errors become StoreError (with the
// store's status, so a CONFLICT can be told from a failure). Given a
// StoreHealth, every outcome is recorded there as it happens.
#pragma once

#include <deque>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/plugins/component.hpp"
#include "core/workflow/records.hpp"
#include "core/workflow/store_health.hpp"

namespace vigil::core {

class StoreError : public ComponentError {
 public:
  using ComponentError::ComponentError;
  bool conflict() const noexcept { return status() == VIGIL_CONFLICT; }
};

// Writes that commit together or not at all. Rows are copied in.
class WriteBatch {
 public:
  template <class Row>
  WriteBatch& insert(Row row) {
    return add(VIGIL_WRITE_INSERT, std::move(row));
  }
  // Positions and commands: the stored version must be row.version - 1.
  template <class Row>
  WriteBatch& update(Row row) {
    return add(VIGIL_WRITE_UPDATE, std::move(row));
  }
  // Meta rows: written whether or not the key exists.
  WriteBatch& upsert(MetaRow row) { return add(VIGIL_WRITE_UPSERT, std::move(row)); }
  // An audit row: what happened to which entity (the store chains them).
  WriteBatch& audit(int64_t at, std::string entity, std::string entity_id, std::string action,
                    std::string detail_json = "{}");
  // Calls f(row) for every row, whatever its type.
  template <class F>
  void each_row(F&& f) const {
    for (const Entry& e : entries_) std::visit(f, e.row);
  }
  bool empty() const noexcept { return entries_.empty(); }
  size_t size() const noexcept { return entries_.size(); }

 private:
  friend class StorePort;
  using Row = std::variant<ClientRow, DeviceRow, SignalRow, PositionRow, CommandRow, AuditRow, MetaRow>;
  struct Entry {
    int32_t op;
    Row row;
  };
  template <class R>
  WriteBatch& add(int32_t op, R row) {
    entries_.push_back({op, Row(std::move(row))});
    return *this;
  }
  std::deque<Entry> entries_;
};

class StorePort {
 public:
  // `health` (optional) must outlive the port and its copies.
  explicit StorePort(const Component<vigil_store_vtable>& store, StoreHealth* health = nullptr)
      : store_(store), health_(health) {}

  // One durable transaction. Throws StoreError.
  void apply(const WriteBatch& batch) const;
  // True unless the last commits found the store unavailable (always true
  // without a StoreHealth).
  bool healthy() const { return !health_ || health_->ok(); }

  // Every record of Row's entity that the filters select (empty = any).
  template <class Row>
  std::vector<Row> query(const std::string& id = {}, const std::string& owner_id = {},
                         const std::string& states = {}) const;
  // The same, handing each record to f(Row&&) as it is read, so a large
  // read (recovery) never holds every row at once.
  template <class Row, class F>
  void for_each(F&& f, const std::string& id = {}, const std::string& owner_id = {},
                const std::string& states = {}) const;

 private:
  void run_query(int32_t entity, const std::string& id, const std::string& owner_id, const std::string& states,
                 void (*take)(void* out, const void* record), void* out) const;
  [[noreturn]] void fail(vigil_status status, const std::string& message) const;
  const Component<vigil_store_vtable>& store_;
  StoreHealth* health_;
};

template <class Row>
struct EntityOf;
template <>
struct EntityOf<ClientRow> {
  static constexpr int32_t value = VIGIL_ENTITY_CLIENT;
  using Record = vigil_store_client;
};
template <>
struct EntityOf<DeviceRow> {
  static constexpr int32_t value = VIGIL_ENTITY_DEVICE;
  using Record = vigil_store_device;
};
template <>
struct EntityOf<SignalRow> {
  static constexpr int32_t value = VIGIL_ENTITY_SIGNAL;
  using Record = vigil_store_signal;
};
template <>
struct EntityOf<PositionRow> {
  static constexpr int32_t value = VIGIL_ENTITY_POSITION;
  using Record = vigil_store_position;
};
template <>
struct EntityOf<CommandRow> {
  static constexpr int32_t value = VIGIL_ENTITY_COMMAND;
  using Record = vigil_store_command;
};
template <>
struct EntityOf<AuditRow> {
  static constexpr int32_t value = VIGIL_ENTITY_AUDIT;
  using Record = vigil_store_audit;
};
template <>
struct EntityOf<MetaRow> {
  static constexpr int32_t value = VIGIL_ENTITY_META;
  using Record = vigil_store_meta;
};

template <class Row>
std::vector<Row> StorePort::query(const std::string& id, const std::string& owner_id, const std::string& states) const {
  std::vector<Row> out;
  for_each<Row>([&out](Row&& row) { out.push_back(std::move(row)); }, id, owner_id, states);
  return out;
}

template <class Row, class F>
void StorePort::for_each(F&& f, const std::string& id, const std::string& owner_id, const std::string& states) const {
  using Take = std::remove_reference_t<F>;
  run_query(
      EntityOf<Row>::value, id, owner_id, states,
      [](void* sink, const void* record) {
        (*static_cast<Take*>(sink))(from_store(*static_cast<const typename EntityOf<Row>::Record*>(record)));
      },
      &f);
}

}  // namespace vigil::core
