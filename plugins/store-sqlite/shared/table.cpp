#include <array>
#include <stdexcept>
#include <string>

#include "fields.hpp"
#include "vigil/rule.h"

namespace vigil::store {

int Table::index_of(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == column) return static_cast<int>(i);
  return -1;
}

const Table& table_of(int32_t entity) {
  static const std::array<Table, 7> tables = {client_table(),  device_table(), signal_table(), position_table(),
                                              command_table(), audit_table(),  meta_table()};
  if (entity < VIGIL_ENTITY_CLIENT || entity > VIGIL_ENTITY_META)
    throw std::invalid_argument("entity " + std::to_string(entity) + " is not a store entity (1..7)");
  return tables[static_cast<size_t>(entity - VIGIL_ENTITY_CLIENT)];
}

void require_one_of(const Table& t, const char* column, std::string_view value,
                    const std::vector<std::string_view>& allowed) {
  for (std::string_view a : allowed)
    if (value == a) return;
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw std::invalid_argument(std::string(t.name) + ": " + column + " '" + std::string(value) + "' is not one of " +
                              list);
}

void require_side(const Table& t, int32_t side) {
  if (side != VIGIL_SIDE_BUY && side != VIGIL_SIDE_SELL)
    throw std::invalid_argument(std::string(t.name) + ": side must be 1 (buy) or 2 (sell), not " +
                                std::to_string(side));
}

}  // namespace vigil::store
