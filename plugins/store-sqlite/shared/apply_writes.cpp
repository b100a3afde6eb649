#include "apply_writes.hpp"

#include <algorithm>

#include "audit_chain.hpp"
#include "constraint_failure.hpp"
#include "messages.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::store {
namespace {

using sdk::Error;

const Table* table_named(std::string_view name) {
  for (int32_t e = VIGIL_ENTITY_CLIENT; e <= VIGIL_ENTITY_META; ++e)
    if (table_of(e).name == name) return &table_of(e);
  return nullptr;
}

// An UPDATE or UPSERT that changed nothing: the row is missing, or its
// version is not the one the write expects.
[[noreturn]] void explain_unchanged(WriteTarget& target, Dialect d, const CheckedWrite& w) {
  const Table& t = *w.table;
  std::optional<int64_t> stored = target.select_integer(table_sql(t, d).version, {w.values.front()});
  if (!stored || !t.versioned) throw Error(VIGIL_NOT_FOUND, message::not_found(t, w.key()));
  throw Error(VIGIL_CONFLICT, message::version_conflict(t, w.key(), *stored, w.column("version").integer - 1));
}

// Which parent is missing: PostgreSQL names the constraint
// (<table>_<column>_fkey); SQLite does not, so each parent is looked up.
const Parent* missing_parent(WriteTarget& target, Dialect d, const CheckedWrite& w, const std::string& name) {
  const Table& t = *w.table;
  for (const Parent& p : t.parents)
    if (name == std::string(t.name) + "_" + p.column + "_fkey") return &p;
  if (!target.usable_after_failure()) return nullptr;
  for (const Parent& p : t.parents) {
    Value id = w.column(p.column);
    const Table* parent = table_named(p.table);
    if (!id.is_null() && parent && !target.select_integer(table_sql(*parent, d).version, {id})) return &p;
  }
  return nullptr;
}

Error describe(WriteTarget& target, Dialect d, const CheckedWrite& w, const ConstraintFailure& f) {
  const Table& t = *w.table;
  switch (f.kind()) {
    case ConstraintFailure::Kind::unique:
      for (const UniqueRule& rule : t.unique_rules)
        if (f.name() == rule.index || f.name() == std::string(t.name) + "." + rule.column)
          return Error(VIGIL_CONFLICT, message::unique_rule(t, rule, w.column(rule.column).text));
      return Error(VIGIL_CONFLICT, message::already_exists(t, w.key()));
    case ConstraintFailure::Kind::foreign_key:
      if (const Parent* p = missing_parent(target, d, w, f.name()))
        return Error(VIGIL_CONFLICT, message::missing_parent(t, w.key(), *p, w.column(p->column).text));
      return Error(VIGIL_CONFLICT, std::string(t.name) + ": " + t.noun + " " + std::string(w.key()) +
                                       " refers to a row that does not exist (" + f.what() + ")");
    case ConstraintFailure::Kind::check:
      return Error(VIGIL_CONFLICT, message::check_failed(t, w.key(), f.name()));
    case ConstraintFailure::Kind::not_null:
      return Error(VIGIL_INVALID_ARGUMENT, std::string(t.name) + ": " + f.name() + " is required (" + t.noun + " " +
                                               std::string(w.key()) + ")");
    case ConstraintFailure::Kind::refused:
      break;
  }
  return Error(VIGIL_CONFLICT, std::string(t.name) + ": " + f.what());
}

// The cheap UPDATE first (TableSql::update_stable): true when it changed the
// row; false leaves the decision, and any explanation, to the full UPDATE.
bool updated_keeping_stable(WriteTarget& target, const TableSql& sql, const CheckedWrite& w) {
  return w.op == VIGIL_WRITE_UPDATE && !sql.update_stable.empty() && target.execute(sql.update_stable, w.params) > 0;
}

void apply_one(WriteTarget& target, Dialect d, const CheckedWrite& w, AuditChain& audit) {
  const TableSql& sql = table_sql(*w.table, d);
  try {
    if (w.table->entity == VIGIL_ENTITY_AUDIT) {
      ChainedAudit row = audit.next(target, w);
      target.execute(sql.append, row.params(w));
    } else if (w.op == VIGIL_WRITE_INSERT) {
      target.execute(sql.insert, w.params);
    } else if (!updated_keeping_stable(target, sql, w) &&
               target.execute(w.op == VIGIL_WRITE_UPDATE ? sql.update : sql.upsert, w.params) == 0) {
      explain_unchanged(target, d, w);
    }
  } catch (const ConstraintFailure& f) {
    throw describe(target, d, w, f);
  }
}

}  // namespace

std::vector<const CheckedWrite*> in_apply_order(const std::vector<CheckedWrite>& group) {
  std::vector<const CheckedWrite*> order;
  order.reserve(group.size());
  for (const CheckedWrite& w : group) order.push_back(&w);
  std::stable_sort(order.begin(), order.end(),
                   [](const CheckedWrite* a, const CheckedWrite* b) { return a->table->entity < b->table->entity; });
  return order;
}

void apply_writes(WriteTarget& target, Dialect dialect, const std::vector<CheckedWrite>& group) {
  AuditChain audit;
  for (const CheckedWrite* w : in_apply_order(group)) apply_one(target, dialect, *w, audit);
}

}  // namespace vigil::store
