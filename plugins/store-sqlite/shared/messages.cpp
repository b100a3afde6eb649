#include "messages.hpp"

namespace vigil::store::message {
namespace {

std::string row(const Table& t, std::string_view key) {
  return std::string(t.name) + ": " + t.noun + " " + std::string(key);
}

}  // namespace

std::string required(const Table& t, const Column& c, std::string_view key) {
  std::string out = std::string(t.name) + ": " + c.name + " is required";
  if (!key.empty()) out += " (" + std::string(t.noun) + " " + std::string(key) + ")";
  return out;
}

std::string already_exists(const Table& t, std::string_view key) {
  return row(t, key) + " already exists (" + t.name + "_pkey)";
}

std::string unique_rule(const Table& t, const UniqueRule& rule, std::string_view value) {
  return std::string(t.name) + ": " + rule.noun + " " + std::string(value) + " " + rule.what + " (" + rule.index +
         ")";
}

std::string missing_parent(const Table& t, std::string_view key, const Parent& parent, std::string_view parent_id) {
  return row(t, key) + " refers to " + parent.noun + " " + std::string(parent_id) + ", which does not exist (" +
         t.name + "." + parent.column + ")";
}

std::string check_failed(const Table& t, std::string_view key, std::string_view constraint) {
  return row(t, key) + " violates check " + std::string(constraint);
}

std::string version_conflict(const Table& t, std::string_view key, int64_t stored, int64_t expected) {
  return row(t, key) + ": version conflict: stored version is " + std::to_string(stored) +
         ", the update expects " + std::to_string(expected) + " (someone else changed it)";
}

std::string not_found(const Table& t, std::string_view key) { return row(t, key) + " does not exist"; }

}  // namespace vigil::store::message
