#include "throwaway_postgres.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace vigil::bench {
namespace {

const std::string kBin = "/usr/lib/postgresql/15/bin";

// Runs a shell command (as postgres when root); throws with its output.
void run(const std::string& command, const std::string& log) {
  std::string line = geteuid() == 0 ? "runuser -u postgres -- " + command : command;
  if (std::system((line + " >>" + log + " 2>&1").c_str()) != 0)
    throw std::runtime_error("failed: " + line + " (see " + log + ")");
}

}  // namespace

ThrowawayPostgres::ThrowawayPostgres() {
  char pattern[] = "/tmp/vigil-bench-pg-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("postgres");
    if (!pw || chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw std::runtime_error("running as root but cannot hand " + dir_ + " to the postgres user");
  }
  std::string log = dir_ + "/setup.log";
  run(kBin + "/initdb -D " + dir_ + "/data -A trust -U vigil -E UTF8 --locale=C", log);
  run(kBin + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/pg.log -w -o \"-k " + dir_ +
          " -c listen_addresses='' -c max_connections=50\" start",
      log);
}

ThrowawayPostgres::~ThrowawayPostgres() {
  try {
    run(kBin + "/pg_ctl -D " + dir_ + "/data -m fast -w stop", "/dev/null");
  } catch (...) {
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string ThrowawayPostgres::create_database(const std::string& name) {
  std::string dsn = "host=" + dir_ + " user=vigil dbname=";
  if (std::system(("psql -q '" + dsn + "postgres' -c 'CREATE DATABASE " + name + "' >/dev/null").c_str()) != 0)
    throw std::runtime_error("CREATE DATABASE " + name + " failed");
  return dsn + name;
}

void ThrowawayPostgres::analyze(const std::string& dsn) {
  if (std::system(("psql -q '" + dsn + "' -c 'ANALYZE' >/dev/null").c_str()) != 0)
    throw std::runtime_error("ANALYZE failed on " + dsn);
}

}  // namespace vigil::bench
