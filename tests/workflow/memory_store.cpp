#include "memory_store.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "apply_writes.hpp"
#include "audit_hash.hpp"
#include "messages.hpp"
#include "query_plan.hpp"
#include "write_check.hpp"

namespace vigil::test {

namespace {

using store::Table;
using store::Value;

struct Cell {
  Value::Kind kind = Value::Kind::null;
  std::string text;
  int64_t integer = 0;
};
using Cells = std::vector<Cell>;

Cell cell_of(const Value& v) {
  return {v.kind, std::string(v.text), v.integer};
}

int64_t integer_at(const Table& t, const Cells& row, const char* column) {
  int i = t.index_of(column);
  return i < 0 ? 0 : row[static_cast<size_t>(i)].integer;
}

std::string_view text_at(const Table& t, const Cells& row, const char* column) {
  int i = t.index_of(column);
  return i < 0 ? std::string_view() : std::string_view(row[static_cast<size_t>(i)].text);
}

// The tables' CHECKs that the shared write checks leave to the database
// (schemas/sqlite): counters and times are never negative.
constexpr const char* kNonNegative[] = {"version", "attempts", "created_at"};

bool live_command(std::string_view status) {
  return status == "pending" || status == "acknowledged";
}

// A stored row as the tables' visit functions read one.
class CellsRow final : public store::Row {
 public:
  explicit CellsRow(const Cells& cells) : cells_(cells) {}
  std::string_view text(int column) const override { return cells_[static_cast<size_t>(column)].text; }
  int64_t integer(int column) const override { return cells_[static_cast<size_t>(column)].integer; }

 private:
  const Cells& cells_;
};

std::vector<std::string> order_columns(const Table& t) {
  std::vector<std::string> out;
  for (std::string_view rest = t.order_by; !rest.empty();) {
    size_t comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    out.emplace_back(name);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return out;
}

}  // namespace

// Every table but the audit log by entity, rows by key.
using Tables = std::map<int32_t, std::map<std::string, Cells>>;

// The audit log; a group's rows are appended to a copy of its end only.
struct AuditLog {
  std::vector<Cells> rows;  // by seq
  std::string tip;          // the last row's hash
};

// What one group appends to the log until it commits.
struct AuditAppend {
  int64_t last_seq = 0;
  std::string tip;
  std::vector<Cells> rows;
};

class MemoryDatabase {
 public:
  void migrate() {
    std::lock_guard lock(mutex_);
    migrated_ = true;
  }

  void apply(const std::vector<store::CheckedWrite>& group, const std::vector<store::FenceWrite>& fences) {
    std::lock_guard lock(mutex_);
    require_migrated();
    if (fail_next_apply_) {
      fail_next_apply_ = false;
      throw sdk::Error(VIGIL_UNAVAILABLE, "store-memory: unavailable (a fault the test armed); nothing was written");
    }
    for (const store::FenceWrite& f : fences) check_fence(f);
    if (group.empty() && fences.empty()) return;
    // The tables are small (a test's rows); the log grows, so only its
    // end is staged.
    Tables next = tables_;
    AuditAppend appended{audit_.rows.empty() ? 0 : audit_.rows.back().front().integer, audit_.tip, {}};
    for (const store::CheckedWrite* w : store::in_apply_order(group)) apply_one(next, appended, *w);
    tables_ = std::move(next);
    for (Cells& row : appended.rows) audit_.rows.push_back(std::move(row));
    audit_.tip = appended.tip;
    for (const store::FenceWrite& f : fences) fences_committed_.push_back({f.shard, std::string(f.owner), f.epoch});
    ++commits_;
    if (lose_next_answer_) {
      lose_next_answer_ = false;
      throw sdk::Error(VIGIL_UNAVAILABLE, "store-memory: the answer to a COMMIT was lost (a fault the test armed)");
    }
  }

  std::vector<Cells> select(const Table& t, const vigil_store_query& q) {
    std::lock_guard lock(mutex_);
    require_migrated();
    if (fail_queries_) throw sdk::Error(VIGIL_UNAVAILABLE, "store-memory: queries fail (a fault the test armed)");
    std::string_view id = sdk::view(q.id), owner = sdk::view(q.owner_id);
    std::vector<std::string_view> states = store::split_states(sdk::view(q.states));
    std::vector<Cells> out;
    auto take = [&](const Cells& row) {
      if (!id.empty() && row.front().text != id) return;
      if (!owner.empty() && text_at(t, row, t.owner_column) != owner) return;
      if (!states.empty() && std::find(states.begin(), states.end(), text_at(t, row, t.state_column)) == states.end())
        return;
      out.push_back(row);
    };
    if (t.entity == VIGIL_ENTITY_AUDIT) {
      auto first = std::upper_bound(audit_.rows.begin(), audit_.rows.end(), q.after_seq,
                                    [](int64_t seq, const Cells& row) { return seq < row.front().integer; });
      for (auto it = first; it != audit_.rows.end(); ++it) take(*it);
    } else if (!id.empty()) {
      auto& rows = tables_[t.entity];
      if (auto it = rows.find(std::string(id)); it != rows.end()) take(it->second);
    } else {
      for (const auto& [key, row] : tables_[t.entity]) take(row);
    }
    std::vector<int> order;
    for (const std::string& column : order_columns(t)) order.push_back(t.index_of(column));
    std::stable_sort(out.begin(), out.end(), [&](const Cells& a, const Cells& b) {
      for (int i : order) {
        const Cell &x = a[static_cast<size_t>(i)], &y = b[static_cast<size_t>(i)];
        bool integer = t.columns[static_cast<size_t>(i)].integer;
        if (integer ? x.integer != y.integer : x.text != y.text)
          return integer ? x.integer < y.integer : x.text < y.text;
      }
      return false;
    });
    if (q.limit > 0 && out.size() > static_cast<size_t>(q.limit)) out.resize(static_cast<size_t>(q.limit));
    return out;
  }

  void fail_next_apply() {
    std::lock_guard lock(mutex_);
    fail_next_apply_ = true;
  }
  void lose_next_commit_answer() {
    std::lock_guard lock(mutex_);
    lose_next_answer_ = true;
  }
  void fail_queries(bool failing) {
    std::lock_guard lock(mutex_);
    fail_queries_ = failing;
  }
  uint64_t commits() const {
    std::lock_guard lock(mutex_);
    return commits_;
  }
  bool fault_armed() const {
    std::lock_guard lock(mutex_);
    return fail_next_apply_ || lose_next_answer_;
  }
  void set_lease(int32_t shard, const std::string& owner, int64_t epoch) {
    std::lock_guard lock(mutex_);
    leases_[shard] = {shard, owner, epoch};
  }
  std::vector<MemoryStore::Fence> fences_committed() const {
    std::lock_guard lock(mutex_);
    return fences_committed_;
  }

 private:
  void require_migrated() const {
    if (!migrated_)
      throw sdk::Error(VIGIL_UNAVAILABLE, "the schema is not at this plugin's version " +
                                              std::to_string(kMemoryStoreSchemaVersion) +
                                              ": run migrate (without migrate_to) first");
  }

  // As store-postgres words it (pg_group_guards.cpp), so a test reads the
  // same refusal.
  void check_fence(const store::FenceWrite& f) const {
    auto lease = leases_.find(f.shard);
    if (lease != leases_.end() && lease->second.owner == f.owner && lease->second.epoch == f.epoch) return;
    std::string holder = lease == leases_.end() ? "the database has no such shard"
                                                : "host " + lease->second.owner + " at epoch " +
                                                      std::to_string(lease->second.epoch) + " holds it";
    throw sdk::Error(VIGIL_CONFLICT, "fenced: shard " + std::to_string(f.shard) + " is no longer held by host " +
                                         std::string(f.owner) + " at epoch " + std::to_string(f.epoch) + " (" + holder +
                                         ")");
  }

  // One write, as the real stores' statements and constraints treat it, in
  // the order a database checks them: an update's version (its WHERE), the
  // CHECKs, the key and unique indexes, then the foreign keys.
  static void apply_one(Tables& tables, AuditAppend& audit, const store::CheckedWrite& w) {
    const Table& t = *w.table;
    Cells row;
    for (const Value& v : w.values) row.push_back(cell_of(v));
    if (t.entity == VIGIL_ENTITY_AUDIT) return append_audit(audit, t, std::move(row));
    std::string key(w.key());
    auto& rows = tables[t.entity];
    auto stored = rows.find(key);
    bool insert = w.op == VIGIL_WRITE_INSERT || (w.op == VIGIL_WRITE_UPSERT && stored == rows.end());
    if (!insert) {
      if (stored == rows.end()) throw sdk::Error(VIGIL_NOT_FOUND, store::message::not_found(t, key));
      int64_t expected = integer_at(t, row, "version") - 1;
      if (t.versioned && integer_at(t, stored->second, "version") != expected)
        throw sdk::Error(VIGIL_CONFLICT,
                         store::message::version_conflict(t, key, integer_at(t, stored->second, "version"), expected));
    }
    for (const char* column : kNonNegative) {
      if (t.entity == VIGIL_ENTITY_META || t.index_of(column) < 0 || integer_at(t, row, column) >= 0) continue;
      throw sdk::Error(VIGIL_CONFLICT, store::message::check_failed(t, key, std::string(t.name) + "_" + column));
    }
    if (insert && stored != rows.end()) throw sdk::Error(VIGIL_CONFLICT, store::message::already_exists(t, key));
    for (const store::UniqueRule& rule : t.unique_rules) {
      // close_commands_one_live is the only unique rule: a partial index
      // over the live commands.
      if (!live_command(text_at(t, row, "status"))) continue;
      std::string_view value = text_at(t, row, rule.column);
      for (const auto& [other_key, other] : rows)
        if (other_key != key && text_at(t, other, rule.column) == value && live_command(text_at(t, other, "status")))
          throw sdk::Error(VIGIL_CONFLICT, store::message::unique_rule(t, rule, value));
    }
    for (const store::Parent& p : t.parents) {
      std::string_view parent_id = text_at(t, row, p.column);
      const Table* parent = nullptr;
      for (int32_t e = VIGIL_ENTITY_CLIENT; e <= VIGIL_ENTITY_META; ++e)
        if (std::string_view(store::table_of(e).name) == p.table) parent = &store::table_of(e);
      if (!parent_id.empty() && parent && !tables[parent->entity].count(std::string(parent_id)))
        throw sdk::Error(VIGIL_CONFLICT, store::message::missing_parent(t, key, p, parent_id));
    }
    rows[key] = std::move(row);
  }

  static void append_audit(AuditAppend& audit, const Table& t, Cells row) {
    int64_t seq = audit.last_seq + 1;
    std::string prev = seq == 1 ? std::string(store::kAuditGenesisHash) : audit.tip;
    store::AuditFields fields{seq,
                              integer_at(t, row, "at"),
                              text_at(t, row, "entity"),
                              text_at(t, row, "entity_id"),
                              text_at(t, row, "action"),
                              text_at(t, row, "detail_json"),
                              prev};
    std::string hash = store::audit_hash(fields);
    row[0] = {Value::Kind::integer, {}, seq};
    row[static_cast<size_t>(t.index_of("prev_hash"))] = {Value::Kind::text, prev, 0};
    row[static_cast<size_t>(t.index_of("hash"))] = {Value::Kind::text, hash, 0};
    audit.last_seq = seq;
    audit.tip = hash;
    audit.rows.push_back(std::move(row));
  }

  mutable std::mutex mutex_;
  Tables tables_;
  AuditLog audit_;
  bool migrated_ = false;
  bool fail_next_apply_ = false, lose_next_answer_ = false, fail_queries_ = false;
  uint64_t commits_ = 0;
  std::map<int32_t, MemoryStore::Fence> leases_;  // by shard
  std::vector<MemoryStore::Fence> fences_committed_;
};

namespace {

std::shared_ptr<MemoryDatabase> database_for(const std::string& options_json) {
  nlohmann::json options = nlohmann::json::parse(options_json.empty() ? "{}" : options_json, nullptr, false);
  if (!options.is_object()) throw std::invalid_argument("store-memory: options must be a JSON object");
  std::string name;
  for (const auto& [key, value] : options.items()) {
    if (key != "database" || !value.is_string() || value.get<std::string>().empty())
      throw std::invalid_argument("store-memory: option " + key + ": only \"database\": \"NAME\" is known");
    name = value.get<std::string>();
  }
  if (name.empty()) return std::make_shared<MemoryDatabase>();
  // Named databases live as long as the process: a test reopening one
  // after closing every instance finds what it wrote.
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<MemoryDatabase>> named;
  std::lock_guard lock(mutex);
  auto& database = named[name];
  if (!database) database = std::make_shared<MemoryDatabase>();
  return database;
}

}  // namespace

MemoryStore::MemoryStore(const sdk::CreateArgs& args) : database_(database_for(args.options_json)) {}
MemoryStore::~MemoryStore() = default;

int64_t MemoryStore::migrate() {
  database_->migrate();
  return kMemoryStoreSchemaVersion;
}

void MemoryStore::apply(const vigil_store_write* writes, size_t count) {
  store::ClusterWrites cluster;
  std::vector<store::CheckedWrite> group = store::check_group(writes, count, &cluster);
  if (!cluster.nonces.empty())
    throw std::invalid_argument("store-memory takes no NONCE write (a test store: nothing signs requests here)");
  database_->apply(group, cluster.fences);
}

void MemoryStore::query(const vigil_store_query& q, const vigil_store_visitor& visitor) {
  store::QueryPlan plan = store::plan_query(q, store::Dialect::sqlite);  // the filters' checks
  store::check_visitor(visitor);
  for (const Cells& row : database_->select(*plan.table, q)) store::visit_row(*plan.table, CellsRow(row), visitor);
}

void MemoryStore::fail_next_apply() {
  database_->fail_next_apply();
}
void MemoryStore::lose_next_commit_answer() {
  database_->lose_next_commit_answer();
}
void MemoryStore::fail_queries(bool failing) {
  database_->fail_queries(failing);
}
uint64_t MemoryStore::commits() const {
  return database_->commits();
}
bool MemoryStore::fault_armed() const {
  return database_->fault_armed();
}
void MemoryStore::set_lease(int32_t shard, const std::string& owner, int64_t epoch) {
  database_->set_lease(shard, owner, epoch);
}
std::vector<MemoryStore::Fence> MemoryStore::fences_committed() const {
  return database_->fences_committed();
}

const vigil_store_vtable* memory_store_vtable() {
  return static_cast<const vigil_store_vtable*>(sdk::store<MemoryStore>().vtable);
}

}  // namespace vigil::test
