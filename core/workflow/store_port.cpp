#include "core/workflow/store_port.hpp"

#include <algorithm>
#include <exception>

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

// At most this many batches share a transaction: a bound on how long the
// first of them waits for the rest to be written.
constexpr size_t kMaxBatchesPerTransaction = 512;

// A batch waiting in the queue. `settled` and `error` are written and read
// under the queue's mutex only.
struct StorePort::Queued {
  Fenced batch;
  bool settled = false;
  std::exception_ptr error;
};

// The first caller to find no transaction under way commits every batch
// queued by then (its own among them) while later callers queue for the
// next one; each returns once its own batch is settled.
void StorePort::apply(const WriteBatch& batch, const FenceRow* fence) const {
  if (batch.empty()) return;
  Queued mine{{&batch, fence}, false, nullptr};
  std::unique_lock lock(queue_->mutex);
  queue_->waiting.push_back(&mine);
  while (!mine.settled) {
    if (queue_->committing) {
      queue_->settled.wait(lock);
      continue;
    }
    queue_->committing = true;
    size_t n = std::min(queue_->waiting.size(), kMaxBatchesPerTransaction);
    std::vector<Queued*> group(queue_->waiting.begin(), queue_->waiting.begin() + static_cast<ptrdiff_t>(n));
    queue_->waiting.erase(queue_->waiting.begin(), queue_->waiting.begin() + static_cast<ptrdiff_t>(n));
    std::vector<Fenced> batches;
    for (const Queued* q : group) batches.push_back(q->batch);
    lock.unlock();
    std::vector<std::exception_ptr> outcomes = commit_group(batches);
    lock.lock();
    for (size_t i = 0; i < group.size(); ++i) {
      group[i]->error = std::move(outcomes[i]);
      group[i]->settled = true;
    }
    queue_->committing = false;
    queue_->settled.notify_all();
  }
  if (mine.error) std::rethrow_exception(mine.error);
}

std::vector<std::exception_ptr> StorePort::commit_group(const std::vector<Fenced>& batches) const {
  std::vector<std::exception_ptr> outcomes(batches.size());  // null: committed
  try {
    write(batches);
    return outcomes;
  } catch (const StoreError& e) {
    // Unavailable: the shared transaction may or may not have landed, for
    // all of them alike (each caller reads its rows back). A single batch's
    // error is its own. Each caller rethrows an exception of its own, its
    // message a new string: one object (or one reference-counted message)
    // shared by threads is freed by the last of them, which
    // ThreadSanitizer reported while PostgreSQL restarted under nonce
    // claims (libstdc++ counts references where it cannot see).
    if (batches.size() == 1 || e.status() == VIGIL_UNAVAILABLE) {
      for (std::exception_ptr& outcome : outcomes)
        outcome = std::make_exception_ptr(StoreError(e.status(), std::string(e.what())));
      return outcomes;
    }
  } catch (const std::exception& e) {
    for (std::exception_ptr& outcome : outcomes)
      outcome = std::make_exception_ptr(StoreError(VIGIL_INTERNAL, e.what()));
    return outcomes;
  }
  // Nothing was written; whose batch failed is found by writing them one
  // by one.
  for (size_t i = 0; i < batches.size(); ++i) {
    try {
      write({batches[i]});
    } catch (...) {
      outcomes[i] = std::current_exception();
    }
  }
  return outcomes;
}

void StorePort::write(const std::vector<Fenced>& batches) const {
  // The ABI records borrow from the rows; a deque keeps their addresses.
  using Record =
      std::variant<vigil_store_client, vigil_store_device, vigil_store_signal, vigil_store_position,
                   vigil_store_command, vigil_store_audit, vigil_store_meta, vigil_store_fence, vigil_store_nonce>;
  std::deque<Record> records;
  std::vector<vigil_store_write> writes;
  auto add = [&](int32_t op, const auto& row) {
    auto& record = records.emplace_back(to_store(row));
    using Row = std::decay_t<decltype(row)>;
    writes.push_back(
        {sizeof(vigil_store_write), EntityOf<Row>::value, op, std::get_if<typename EntityOf<Row>::Record>(&record)});
  };
  for (const Fenced& fenced : batches) {
    if (fenced.fence) add(VIGIL_WRITE_INSERT, *fenced.fence);
    for (const WriteBatch::Entry& e : fenced.batch->entries_)
      std::visit([&](const auto& row) { add(e.op, row); }, e.row);
  }
  ErrorBuffer error;
  int64_t started = monotonic_ns();
  vigil_status status = store_.vtable()->apply(store_.instance(), writes.data(), writes.size(), error.get());
  if (Histogram* timing = status == VIGIL_OK ? timings_.ok : timings_.failed) timing->observe_since(started);
  if (status != VIGIL_OK) fail(status, error.text[0] ? error.text : "apply " + failure_text(status, nullptr));
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

std::vector<AuditRow> StorePort::audit_after(int64_t after_seq, int64_t limit) const {
  std::vector<AuditRow> out;
  auto take = [](void* sink, const void* record) {
    static_cast<std::vector<AuditRow>*>(sink)->push_back(from_store(*static_cast<const vigil_store_audit*>(record)));
  };
  run_query(VIGIL_ENTITY_AUDIT, {}, {}, {}, take, &out, after_seq, limit);
  return out;
}

void StorePort::run_query(int32_t entity, const std::string& id, const std::string& owner_id, const std::string& states,
                          void (*take)(void*, const void*), void* out, int64_t after_seq, int64_t limit) const {
  vigil_store_query query{sizeof(vigil_store_query), entity,    sdk::str(id), sdk::str(owner_id),
                          sdk::str(states),          after_seq, limit};
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
  if (status != VIGIL_OK) fail(status, error.text[0] ? error.text : "query " + failure_text(status, nullptr));
}

}  // namespace vigil::core
