// Core's side of the store ABI: batches of writes committed in one
// transaction, and typed queries. Errors become StoreError (with the
// store's status, so a CONFLICT can be told from a failure). Given a
// StoreHealth, every outcome is recorded there as it happens.
//
// Group commit: batches applied at the same time from several threads (the
// books of different clients commit independently) share one store
// transaction, so a fan-out of thousands of deliveries pays a few durable
// commits, not one each. Each caller still returns only once its own batch
// is durable, with its own outcome: a shared transaction that fails for a
// reason other than the store being unavailable is retried batch by batch,
// so one batch's conflict is never another's.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/plugins/component.hpp"
#include "core/support/histogram.hpp"
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
  // Hosts sharing the store: the batch commits only while this lease holds
  // (a conflict otherwise), or claims a nonce (a conflict when used).
  WriteBatch& fence(FenceRow fence) { return add(VIGIL_WRITE_INSERT, std::move(fence)); }
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
  using Row =
      std::variant<ClientRow, DeviceRow, SignalRow, PositionRow, CommandRow, AuditRow, MetaRow, FenceRow, NonceRow>;
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

// Where each commit's time goes, by outcome (null: not timed), measured
// around the call so that no store plugin has to report it.
struct StoreCommitTimings {
  Histogram* ok = nullptr;
  Histogram* failed = nullptr;
};

class StorePort {
 public:
  // `health` (optional) and the histograms must outlive the port and its copies.
  explicit StorePort(const Component<vigil_store_vtable>& store, StoreHealth* health = nullptr,
                     StoreCommitTimings timings = {})
      : store_(store), health_(health), timings_(timings) {}

  // One durable transaction (perhaps shared with batches applied at the
  // same time, see above). Throws StoreError. With a fence (hosts sharing
  // the store), the batch commits only while that lease holds: a
  // conflict otherwise.
  void apply(const WriteBatch& batch, const FenceRow* fence = nullptr) const;
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
  // Audit rows with seq > after_seq, by seq, at most `limit` (0: all).
  std::vector<AuditRow> audit_after(int64_t after_seq, int64_t limit) const;

 private:
  void run_query(int32_t entity, const std::string& id, const std::string& owner_id, const std::string& states,
                 void (*take)(void* out, const void* record), void* out, int64_t after_seq = 0,
                 int64_t limit = 0) const;
  [[noreturn]] void fail(vigil_status status, const std::string& message) const;
  // One store transaction of every batch given, its outcome recorded.
  struct Fenced {
    const WriteBatch* batch;
    const FenceRow* fence;  // null: none
  };
  void write(const std::vector<Fenced>& batches) const;
  // Commits batches queued together: each one's outcome (null: committed).
  struct Queued;
  std::vector<std::exception_ptr> commit_group(const std::vector<Fenced>& batches) const;

  const Component<vigil_store_vtable>& store_;
  StoreHealth* health_;
  StoreCommitTimings timings_;
  // The batches waiting for the transaction under way; shared by copies.
  struct Queue {
    std::mutex mutex;
    std::condition_variable settled;
    std::deque<Queued*> waiting;
    bool committing = false;
  };
  std::shared_ptr<Queue> queue_ = std::make_shared<Queue>();
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

template <>
struct EntityOf<FenceRow> {
  static constexpr int32_t value = VIGIL_ENTITY_FENCE;
  using Record = vigil_store_fence;
};
template <>
struct EntityOf<NonceRow> {
  static constexpr int32_t value = VIGIL_ENTITY_NONCE;
  using Record = vigil_store_nonce;
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
