// The texts of the store's errors, the same from both dialects: each names
// the table, the row and, where the database enforced it, the constraint.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "table.hpp"

namespace vigil::store::message {

std::string required(const Table& t, const Column& c, std::string_view key);
std::string already_exists(const Table& t, std::string_view key);
std::string unique_rule(const Table& t, const UniqueRule& rule, std::string_view value);
std::string missing_parent(const Table& t, std::string_view key, const Parent& parent, std::string_view parent_id);
std::string check_failed(const Table& t, std::string_view key, std::string_view constraint);
std::string version_conflict(const Table& t, std::string_view key, int64_t stored, int64_t expected);
std::string not_found(const Table& t, std::string_view key);

}  // namespace vigil::store::message
