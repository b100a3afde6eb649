#include "core/cluster/change_tail.hpp"

#include <chrono>

#include "core/support/log.hpp"

namespace vigil::core {
namespace {

constexpr int64_t kWaitMs = 500;        // a wait's longest: how soon stop() is heard
constexpr int64_t kRowsPerRead = 2000;  // audit rows read at once
constexpr auto kAfterFailure = std::chrono::milliseconds(200);

}  // namespace

void ChangeTail::start(int64_t seq) {
  followed_ = stored_ = seq;
  thread_ = std::thread([this] { run(); });
}

void ChangeTail::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void ChangeTail::run() {
  std::string last_error;
  while (!stopping_) {
    try {
      int64_t last = cluster_.wait_changes(followed_, kWaitMs);
      stored_ = last;
      catch_up(last);
      if (!last_error.empty()) log(LogLevel::info, "cluster", "following other hosts' commits again");
      last_error.clear();
    } catch (const std::exception& e) {
      if (last_error != e.what()) log(LogLevel::error, "cluster", std::string("cannot follow commits: ") + e.what());
      last_error = e.what();
      std::this_thread::sleep_for(kAfterFailure);
    }
  }
}

void ChangeTail::catch_up(int64_t last) {
  while (followed_ < last && !stopping_) {
    std::vector<AuditRow> rows = store_.audit_after(followed_, kRowsPerRead);
    if (rows.empty()) return;
    follow_(rows);
    followed_ = rows.back().seq;
  }
}

}  // namespace vigil::core
