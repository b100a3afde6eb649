#include "write_check.hpp"

#include <stdexcept>
#include <string>

#include "messages.hpp"

namespace vigil::store {
namespace {

[[noreturn]] void refuse(size_t index, const std::string& why) {
  throw std::invalid_argument("write " + std::to_string(index) + ": " + why);
}

CheckedWrite check_write(const vigil_store_write& w, size_t index) {
  if (w.struct_size < sizeof(vigil_store_write)) refuse(index, "vigil_store_write from an incompatible host");
  CheckedWrite out;
  try {
    out.table = &table_of(w.entity);
  } catch (const std::invalid_argument& e) {
    refuse(index, e.what());
  }
  const Table& t = *out.table;
  if (w.op != VIGIL_WRITE_INSERT && w.op != VIGIL_WRITE_UPDATE && w.op != VIGIL_WRITE_UPSERT)
    refuse(index, std::string(t.name) + ": op " + std::to_string(w.op) + " is not INSERT, UPDATE or UPSERT");
  if (t.append_only && w.op != VIGIL_WRITE_INSERT)
    refuse(index, std::string(t.name) + ": rows are append-only, only INSERT is accepted");
  if (!w.record || *static_cast<const size_t*>(w.record) < t.record_size)
    refuse(index, std::string(t.name) + ": the record is missing or from an incompatible host");
  out.op = w.op;
  // Sized once: a group commit checks hundreds of writes of ~20 columns.
  out.values.reserve(t.columns.size());
  out.params.reserve(t.columns.size());
  t.values(w.record, out.values);
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const Column& c = t.columns[i];
    if (c.generated) continue;
    const Value& v = out.values[i];
    if (c.required && v.is_null()) refuse(index, message::required(t, c, out.values.front().text));
    if (v.kind == Value::Kind::text && !is_storable_text(v.text))
      refuse(index, std::string(t.name) + ": " + c.name + " is not valid UTF-8 text without NUL bytes");
    out.params.push_back(v);
  }
  if (t.check) {
    try {
      t.check(t, w.record);
    } catch (const std::invalid_argument& e) {
      refuse(index, std::string(e.what()) + " (" + t.noun + " " + std::string(out.key()) + ")");
    }
  }
  return out;
}

}  // namespace

// Both databases must hold the same text: PostgreSQL refuses NUL bytes and
// invalid UTF-8, so SQLite is held to the same rule.
bool is_storable_text(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c - 1u < 0x7Fu) {  // ASCII but NUL, nearly every byte: the short way
      ++i;
      continue;
    }
    if (c == 0) return false;
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    uint32_t code = n == 1 ? c : c & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) {
      auto next = static_cast<unsigned char>(s[i + k]);
      if ((next >> 6) != 0x2) return false;
      code = (code << 6) | (next & 0x3F);
    }
    bool overlong = (n == 2 && code < 0x80) || (n == 3 && code < 0x800) || (n == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

std::vector<CheckedWrite> check_group(const vigil_store_write* writes, size_t count, ClusterWrites* cluster) {
  if (count > 0 && !writes) throw std::invalid_argument("writes is null with a count of " + std::to_string(count));
  std::vector<CheckedWrite> group;
  group.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const vigil_store_write& w = writes[i];
    if (!is_cluster_entity(w.entity) || w.struct_size < sizeof(vigil_store_write)) {
      group.push_back(check_write(w, i));
    } else if (cluster) {
      take_cluster_write(w, i, *cluster);
    } else {
      refuse(i, std::string(cluster_entity_name(w.entity)) + " writes need a store that serves several hosts");
    }
  }
  return group;
}

}  // namespace vigil::store
