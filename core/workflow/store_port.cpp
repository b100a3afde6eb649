#include "core/workflow/store_port.hpp"

#include "vigil/cpp/error.hpp"

namespace vigil::core {

WriteBatch& WriteBatch::audit(int64_t at, std::string entity, std::string entity_id, std::string action,
                              std::string detail_json) {
  AuditRow row;
  row.at = at;
  row.entity = std::move(entity);
  row.entity_id = std::move(entity_id);
  row.action = std::move(action);
  row.detail_json = std::move(detail_json);
  return add(VIGIL_WRITE_INSERT, std::move(row));
}

void StorePort::apply(const WriteBatch& batch) const {
  if (batch.empty()) return;
  // The ABI records borrow from the rows; a deque keeps their addresses.
  using Record = std::variant<vigil_store_client, vigil_store_device, vigil_store_signal, vigil_store_position,
                              vigil_store_command, vigil_store_audit, vigil_store_meta>;
  std::deque<Record> records;
  std::vector<vigil_store_write> writes;
  writes.reserve(batch.size());
  for (const WriteBatch::Entry& e : batch.entries_) {
    std::visit(
        [&](const auto& row) {
          auto& record = records.emplace_back(to_store(row));
          using Row = std::decay_t<decltype(row)>;
          writes.push_back({sizeof(vigil_store_write), EntityOf<Row>::value, e.op,
                            std::get_if<typename EntityOf<Row>::Record>(&record)});
        },
        e.row);
  }
  ErrorBuffer error;
  vigil_status status = store_.vtable()->apply(store_.instance(), writes.data(), writes.size(), error.get());
  if (status != VIGIL_OK) fail(status, error.text[0] ? error.text : "apply failed without a message");
  if (health_) health_->committed();
}

void StorePort::fail(vigil_status status, const std::string& message) const {
  std::string text = store_.name() + ": " + message;
  if (health_) health_->failed(status, text);
  throw StoreError(status, text);
}

namespace {

struct QueryContext {
  void (*take)(void* out, const void* record);
  void* out;
  std::string failure;
};

}  // namespace

void StorePort::run_query(int32_t entity, const std::string& id, const std::string& owner_id, const std::string& states,
                          void (*take)(void*, const void*), void* out) const {
  vigil_store_query query{sizeof(vigil_store_query), entity, sdk::str(id), sdk::str(owner_id), sdk::str(states), 0, 0};
  QueryContext context{take, out, {}};
  vigil_store_visitor visitor{sizeof(vigil_store_visitor), &context,
                              [](void* ctx, int32_t, const void* record) noexcept -> vigil_status {
                                auto& c = *static_cast<QueryContext*>(ctx);
                                try {
                                  c.take(c.out, record);
                                  return VIGIL_OK;
                                } catch (const std::exception& e) {
                                  c.failure = e.what();
                                  return VIGIL_INTERNAL;
                                }
                              }};
  ErrorBuffer error;
  vigil_status status = store_.vtable()->query(store_.instance(), &query, &visitor, error.get());
  if (!context.failure.empty()) throw StoreError(VIGIL_INTERNAL, store_.name() + ": " + context.failure);
  if (status != VIGIL_OK) fail(status, error.text[0] ? error.text : "query failed without a message");
}

}  // namespace vigil::core
