#include "postgres_server.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <stdexcept>
#include <vector>

#include "tests/support/process.hpp"

namespace vigil::test::store {
namespace {

namespace fs = std::filesystem;

const std::string kBin = "/usr/lib/postgresql/15/bin";

// Read by the signal handler: the postmaster to shut down.
volatile sig_atomic_t g_postmaster = 0;

bool as_root() { return geteuid() == 0; }

std::vector<std::string> as_postgres(std::vector<std::string> argv) {
  if (as_root()) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
  return argv;
}

void give_to_postgres(const fs::path& path) {
  if (!as_root()) return;
  const passwd* pw = getpwnam("postgres");
  if (!pw) throw std::runtime_error("running as root but there is no postgres user: run script/bootstrap");
  if (chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("cannot chown " + path.string());
}

void run_or_throw(const std::vector<std::string>& argv, const std::string& what) {
  ProcessResult r = run_process(argv);
  if (r.exit_code != 0) throw std::runtime_error(what + " failed (exit " + std::to_string(r.exit_code) + "): " + r.err + r.out);
}

// The template data directory, initialised once per build tree.
fs::path template_data() {
  fs::path root = STORE_TEST_PG_TEMPLATE;
  fs::create_directories(root.parent_path());
  int lock = open((root.string() + ".lock").c_str(), O_CREAT | O_RDWR, 0644);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + root.string() + ".lock");
  std::unique_ptr<int, void (*)(int*)> unlock(&lock, [](int* fd) { close(*fd); });
  std::ifstream version(root / "data" / "PG_VERSION");
  std::string major;
  if (version >> major && major == "15") return root / "data";
  fs::path fresh = root.string() + ".new";
  fs::remove_all(fresh);
  fs::remove_all(root);
  fs::create_directories(fresh);
  give_to_postgres(fresh);
  run_or_throw(as_postgres({kBin + "/initdb", "-D", (fresh / "data").string(), "-A", "trust", "-U", "vigil",
                            "--no-sync", "-E", "UTF8", "--locale=C"}),
               "initdb");
  fs::rename(fresh, root);
  return root / "data";
}

std::string log_tail(const fs::path& log) {
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

void on_fatal_signal(int signal) {
  if (g_postmaster > 0) kill(static_cast<pid_t>(g_postmaster), SIGQUIT);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

std::mutex g_mutex;
std::unique_ptr<PostgresServer> g_server;

class StopAtTheEnd : public ::testing::Environment {
 public:
  void TearDown() override { PostgresServer::stop_shared(); }
};
const ::testing::Environment* const g_environment = ::testing::AddGlobalTestEnvironment(new StopAtTheEnd);

}  // namespace

PostgresServer::PostgresServer() {
  if (!fs::exists(kBin + "/initdb") || !fs::exists(kBin + "/pg_ctl"))
    throw std::runtime_error("PostgreSQL 15 is not installed (" + kBin +
                             "/initdb is missing): run script/bootstrap, which installs postgresql");
  fs::path data = template_data();
  char pattern[] = "/tmp/vigil-pg-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  give_to_postgres(dir_);
  run_or_throw({"/bin/cp", "-a", data.string(), dir_ + "/data"}, "copying the template data directory");
  std::string options = "-k " + dir_ + " -c listen_addresses='' -c fsync=off -c max_connections=200";
  ProcessResult r = run_process(
      as_postgres({kBin + "/pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/pg.log", "-w", "-o", options, "start"}));
  if (r.exit_code != 0) {
    std::string why = "pg_ctl start failed: " + r.err + r.out + "\n" + log_tail(dir_ + "/pg.log");
    fs::remove_all(dir_);
    throw std::runtime_error(why);
  }
  running_ = true;
  std::ifstream pid_file(dir_ + "/data/postmaster.pid");
  long pid = 0;
  pid_file >> pid;
  g_postmaster = static_cast<sig_atomic_t>(pid);
}

PostgresServer::~PostgresServer() { stop(); }

void PostgresServer::stop() noexcept {
  if (!running_) return;
  running_ = false;
  try {
    ProcessResult r = run_process(as_postgres({kBin + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "stop"}));
    if (r.exit_code != 0 && g_postmaster > 0) kill(static_cast<pid_t>(g_postmaster), SIGQUIT);
  } catch (...) {
    if (g_postmaster > 0) kill(static_cast<pid_t>(g_postmaster), SIGQUIT);
  }
  g_postmaster = 0;
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

PostgresServer& PostgresServer::shared() {
  std::lock_guard lock(g_mutex);
  if (!g_server) {
    g_server.reset(new PostgresServer());
    std::atexit([] { stop_shared(); });
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGABRT, SIGSEGV, SIGBUS}) std::signal(s, on_fatal_signal);
  }
  return *g_server;
}

void PostgresServer::stop_shared() noexcept {
  std::lock_guard lock(g_mutex);
  if (g_server) g_server->stop();
}

std::string PostgresServer::dsn(const std::string& database) const {
  return "host=" + dir_ + " user=vigil dbname=" + database;
}

std::string PostgresServer::fresh_dsn() {
  std::string name = "t_" + std::to_string(++schemas_);
  pqxx::connection c(dsn("postgres"));
  pqxx::nontransaction n(c);
  n.exec("CREATE SCHEMA " + name);
  return dsn("postgres") + " options='-c search_path=" + name + "'";
}

}  // namespace vigil::test::store
