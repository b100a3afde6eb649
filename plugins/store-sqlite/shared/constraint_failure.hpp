// A constraint the database refused, as a dialect reports it. apply_writes
// turns it into the store's error, adding the context of the write (which
// table, which row, which value) that the database's own text lacks.
#pragma once

#include <stdexcept>
#include <string>

namespace vigil::store {

class ConstraintFailure : public std::runtime_error {
 public:
  enum class Kind { unique, foreign_key, check, not_null, refused };
  // `name`: for not-null, the column; otherwise what the database reports:
  // PostgreSQL the constraint's name; SQLite "table.column" for unique, the
  // CHECK's name, and nothing for a foreign key.
  ConstraintFailure(Kind kind, std::string name, const std::string& database_message)
      : std::runtime_error(database_message), kind_(kind), name_(std::move(name)) {}
  Kind kind() const noexcept { return kind_; }
  const std::string& name() const noexcept { return name_; }

 private:
  Kind kind_;
  std::string name_;
};

}  // namespace vigil::store
