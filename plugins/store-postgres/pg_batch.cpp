#include "pg_batch.hpp"

#include <map>

#include "audit_chain.hpp"
#include "pg_array.hpp"

namespace vigil::store::postgres {
namespace {

// Consecutive writes (after ordering) to one table with one operation.
struct Run {
  const Table* table;
  int32_t op;
  std::vector<const CheckedWrite*> writes;
};

std::vector<Run> runs_of(const std::vector<CheckedWrite>& group) {
  std::vector<Run> runs;
  for (const CheckedWrite* w : in_apply_order(group)) {
    if (runs.empty() || runs.back().table != w->table || runs.back().op != w->op) runs.push_back({w->table, w->op, {}});
    runs.back().writes.push_back(w);
  }
  return runs;
}

// The columns a batch writes: every one for audit_log (the store assigns
// its key), else the non-generated ones, as CheckedWrite::params holds them.
std::vector<const Column*> written_columns(const Table& t) {
  std::vector<const Column*> out;
  for (const Column& c : t.columns)
    if (!c.generated || t.has_generated_key()) out.push_back(&c);
  return out;
}

std::string batch_sql(const Table& t, int32_t op) {
  std::vector<const Column*> columns = written_columns(t);
  std::string names, arrays, assignments;
  for (size_t i = 0; i < columns.size(); ++i) {
    std::string comma = i ? ", " : "";
    names += comma + columns[i]->name;
    arrays += comma + "$" + std::to_string(i + 1) + (columns[i]->integer ? "::bigint[]" : "::text[]");
    if (i > 0) {
      std::string source = op == VIGIL_WRITE_UPDATE ? "v." : "excluded.";
      assignments += (i > 1 ? ", " : "") + std::string(columns[i]->name) + " = " + source + columns[i]->name;
    }
  }
  std::string rows = "unnest(" + arrays + ") WITH ORDINALITY AS v(" + names + ", batch_order)";
  std::string key = columns.front()->name;
  if (op == VIGIL_WRITE_UPDATE) {
    std::string sql = "UPDATE " + std::string(t.name) + " AS t SET " + assignments + " FROM " + rows + " WHERE t." +
                      key + " = v." + key;
    return t.versioned ? sql + " AND t.version = v.version - 1" : sql;
  }
  std::string sql = "INSERT INTO " + std::string(t.name) + " (" + names + ") SELECT " + names + " FROM " + rows +
                    " ORDER BY batch_order";
  if (op == VIGIL_WRITE_INSERT) return sql;
  sql += " ON CONFLICT (" + key + ") DO UPDATE SET " + assignments;
  return t.versioned ? sql + " WHERE " + t.name + ".version = excluded.version - 1" : sql;
}

const std::string& cached_sql(const Table& t, int32_t op) {
  static const auto all = [] {
    std::map<std::pair<int32_t, int32_t>, std::string> out;
    for (int32_t e = VIGIL_ENTITY_CLIENT; e <= VIGIL_ENTITY_META; ++e)
      for (int32_t o : {VIGIL_WRITE_INSERT, VIGIL_WRITE_UPDATE, VIGIL_WRITE_UPSERT})
        out[{e, o}] = batch_sql(table_of(e), o);
    return out;
  }();
  return all.at({t.entity, op});
}

bool apply_run(Connection& c, pqxx::transaction_base& txn, WriteTarget& target, AuditChain& chain, const Run& run) {
  size_t width = written_columns(*run.table).size();
  std::vector<std::string> arrays(width, "{");
  for (std::string& a : arrays) a.reserve(16 * run.writes.size());
  std::vector<ChainedAudit> chained;
  chained.reserve(run.writes.size());
  std::vector<Value> audit_row;
  for (const CheckedWrite* w : run.writes) {
    const std::vector<Value>* row = &w->params;
    if (run.table->has_generated_key()) {
      chained.push_back(chain.next(target, *w));
      audit_row = chained.back().params(*w);
      row = &audit_row;
    }
    for (size_t i = 0; i < width; ++i) append_array_element(arrays[i], (*row)[i]);
  }
  std::vector<Value> params;
  for (std::string& a : arrays) {
    a += '}';
    params.push_back(Value{Value::Kind::text, a, 0});
  }
  pqxx::result r = c.exec(txn, cached_sql(*run.table, run.op), params);
  return r.affected_rows() == run.writes.size();
}

}  // namespace

bool apply_batched(Connection& connection, pqxx::transaction_base& txn, WriteTarget& target,
                   const std::vector<CheckedWrite>& group) {
  AuditChain chain;
  try {
    for (const Run& run : runs_of(group))
      if (!apply_run(connection, txn, target, chain, run)) return false;
  } catch (const pqxx::sql_error&) {
    return false;
  }
  return true;
}

}  // namespace vigil::store::postgres
