#include "pg_changes.hpp"

#include <pqxx/pqxx>

#include "pg_errors.hpp"
#include "vigil/cpp/error.hpp"

namespace vigil::store::postgres {
namespace {

using Clock = std::chrono::steady_clock;

// The channel pg_store.cpp notifies when a group appends audit rows.
constexpr const char* kChannel = "vigil_changes";

// A notification only says "something committed": the audit log is read
// again to learn what. Counting them is all the receiver does.
class Wake final : public pqxx::notification_receiver {
 public:
  explicit Wake(pqxx::connection_base& c) : notification_receiver(c, kChannel) {}
  void operator()(const std::string&, int) override {}
};

}  // namespace

// Constructing the receiver issues LISTEN, so the connection hears every
// commit from then on.
struct ChangeWaiter::Listener {
  pqxx::connection connection;
  Wake wake;
  // Named so an operator finds it in pg_stat_activity (it idles in LISTEN).
  explicit Listener(const std::string& dsn) : connection(dsn), wake(connection) {
    connection.set_variable("application_name", "'vigil wait_changes'");
  }

  int64_t last_seq() {
    pqxx::nontransaction txn(connection, "wait_changes");
    return txn.exec1("SELECT coalesce(max(seq), 0) FROM audit_log")[0].as<int64_t>();
  }
};

ChangeWaiter::ChangeWaiter(std::string dsn) : dsn_(std::move(dsn)) {}

ChangeWaiter::~ChangeWaiter() = default;

int64_t ChangeWaiter::wait(int64_t after_seq, std::chrono::milliseconds timeout) {
  std::lock_guard lock(mutex_);
  try {
    if (!listener_) listener_ = std::make_unique<Listener>(dsn_);
    return wait_on(*listener_, after_seq, timeout);
  } catch (const pqxx::broken_connection& e) {
    bool connected = listener_ != nullptr;
    listener_.reset();
    if (!connected) throw_unreachable(e);
    throw sdk::Error(VIGIL_UNAVAILABLE,
                     std::string("wait_changes: the connection listening for changes broke (the next call "
                                 "reconnects): ") +
                         e.what());
  } catch (const pqxx::failure& e) {
    listener_.reset();
    throw sdk::Error(VIGIL_INTERNAL, std::string("wait_changes: ") + e.what());
  }
}

int64_t ChangeWaiter::wait_on(Listener& listener, int64_t after_seq, std::chrono::milliseconds timeout) {
  // Notifications received since the last call came from commits the read
  // below sees: drop them, or the first wait would return at once for them.
  listener.connection.get_notifs();
  int64_t last = listener.last_seq();
  const Clock::time_point deadline = Clock::now() + timeout;
  while (last <= after_seq) {
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    // Another schema's commits on the same database share the channel: a
    // wake whose read finds nothing new waits on for the time left.
    if (listener.connection.await_notification(static_cast<long>(left.count() / 1'000'000),
                                               static_cast<long>(left.count() % 1'000'000)) > 0)
      last = listener.last_seq();
    if (!listener.connection.is_open()) throw pqxx::broken_connection("the server closed the connection");
  }
  return last;
}

}  // namespace vigil::store::postgres
