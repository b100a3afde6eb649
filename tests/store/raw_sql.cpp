#include "raw_sql.hpp"

#include <sqlite3.h>

#include <pqxx/pqxx>
#include <stdexcept>

namespace vigil::test::store {
namespace {

class RawSqlite final : public RawSql {
 public:
  explicit RawSqlite(const std::string& file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + file);
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA foreign_keys = ON");
  }
  ~RawSqlite() override { sqlite3_close(db_); }
  std::string exec(const std::string& sql) override {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) return "";
    std::string text = error ? error : "failed";
    sqlite3_free(error);
    return text;
  }
  std::vector<std::string> column(const std::string& sql) override {
    std::vector<std::string> out;
    auto take = [](void* ctx, int, char** values, char**) {
      static_cast<std::vector<std::string>*>(ctx)->push_back(values[0] ? values[0] : "");
      return 0;
    };
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), take, &out, &error) != SQLITE_OK) {
      std::string text = error ? error : "failed";
      sqlite3_free(error);
      throw std::runtime_error(sql + ": " + text);
    }
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class RawPostgres final : public RawSql {
 public:
  explicit RawPostgres(const std::string& dsn) : connection_(dsn) {}
  std::string exec(const std::string& sql) override {
    try {
      pqxx::nontransaction n(connection_);
      n.exec(sql);
      return "";
    } catch (const std::exception& e) {
      return e.what();
    }
  }
  std::vector<std::string> column(const std::string& sql) override {
    pqxx::nontransaction n(connection_);
    std::vector<std::string> out;
    for (const auto& row : n.exec(sql)) out.push_back(row[0].is_null() ? "" : row[0].c_str());
    return out;
  }

 private:
  pqxx::connection connection_;
};

}  // namespace

std::unique_ptr<RawSql> raw_sqlite(const std::string& file) { return std::make_unique<RawSqlite>(file); }
std::unique_ptr<RawSql> raw_postgres(const std::string& dsn) { return std::make_unique<RawPostgres>(dsn); }

}  // namespace vigil::test::store
