#include "query_plan.hpp"

#include <stdexcept>

#include "fields.hpp"

namespace vigil::store {

std::vector<std::string_view> split_states(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.push_back(item);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return out;
}

namespace {

[[noreturn]] void refuse(const Table& t, const std::string& why) {
  throw std::invalid_argument(std::string(t.name) + " query: " + why);
}

class Builder {
 public:
  Builder(const Table& t, Dialect d) : table_(t), dialect_(d) {}

  void where(const std::string& condition_head, const std::vector<Value>& values, bool list) {
    std::string condition = condition_head + (list ? " IN (" : " ");
    for (size_t i = 0; i < values.size(); ++i) {
      params_.push_back(values[i]);
      condition += (i ? ", " : "") + placeholder(dialect_, static_cast<int>(params_.size()));
    }
    where_ += (where_.empty() ? " WHERE " : " AND ") + condition + (list ? ")" : "");
  }

  QueryPlan finish(int64_t limit) {
    std::string columns;
    for (const Column& c : table_.columns) columns += (columns.empty() ? "" : ", ") + std::string(c.name);
    std::string sql = "SELECT " + columns + " FROM " + table_.name + where_ + " ORDER BY " + table_.order_by;
    if (limit > 0) {
      params_.push_back(Value::of_integer(limit));
      sql += " LIMIT " + placeholder(dialect_, static_cast<int>(params_.size()));
    }
    return {&table_, std::move(sql), std::move(params_)};
  }

 private:
  const Table& table_;
  Dialect dialect_;
  std::string where_;
  std::vector<Value> params_;
};

}  // namespace

QueryPlan plan_query(const vigil_store_query& q, Dialect dialect) {
  if (q.struct_size < sizeof(vigil_store_query))
    throw std::invalid_argument("vigil_store_query from an incompatible host");
  const Table& t = table_of(q.entity);
  Builder b(t, dialect);
  std::string_view id = sdk::view(q.id), owner = sdk::view(q.owner_id), states = sdk::view(q.states);
  if (!id.empty()) {
    if (t.has_generated_key()) refuse(t, "id: audit rows are selected by after_seq");
    b.where(std::string(t.columns.front().name) + " =", {Value::of_text(id)}, false);
  }
  if (!owner.empty()) {
    if (!t.owner_column) refuse(t, "owner_id: this entity has no owner to filter on");
    b.where(std::string(t.owner_column) + " =", {Value::of_text(owner)}, false);
  }
  if (!states.empty()) {
    if (!t.state_column) refuse(t, "states: this entity has no state to filter on");
    std::vector<Value> values;
    for (std::string_view s : split_states(states)) {
      require_one_of(t, t.state_column, s, t.states);
      values.push_back(Value::of_text(s));
    }
    if (values.empty()) refuse(t, "states: no state in '" + std::string(states) + "'");
    b.where(t.state_column, values, true);
  }
  if (t.has_generated_key()) {
    b.where(std::string(t.columns.front().name) + " >", {Value::of_integer(q.after_seq)}, false);
  } else if (q.after_seq != 0) {
    refuse(t, "after_seq: only audit queries take it");
  }
  if (q.limit < 0) refuse(t, "limit: must be 0 (no limit) or more, not " + std::to_string(q.limit));
  return b.finish(q.limit);
}

void check_visitor(const vigil_store_visitor& visitor) {
  if (visitor.struct_size < sizeof(vigil_store_visitor) || !visitor.on_record)
    throw std::invalid_argument("the visitor is from an incompatible host or has no on_record");
}

void visit_row(const Table& table, const Row& row, const vigil_store_visitor& visitor) {
  vigil_status status = table.visit(row, table.entity, visitor);
  if (status != VIGIL_OK)
    throw sdk::Error(
        status, std::string(table.name) + " query: stopped by the visitor (status " + std::to_string(status) + ")");
}

}  // namespace vigil::store
