#include "pg_pool.hpp"

#include <chrono>

#include "vigil/cpp/error.hpp"

namespace vigil::store::postgres {
namespace {

// Longer than any group takes, short enough that a stuck pool surfaces as
// VIGIL_UNAVAILABLE instead of a hang.
constexpr auto kWaitForFree = std::chrono::seconds(10);

}  // namespace

Pool::Pool(std::string dsn, int size) : dsn_(std::move(dsn)), size_(static_cast<size_t>(size)) {
  idle_.push_back(std::make_unique<Connection>(dsn_));
  open_ = 1;
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  if (!freed_.wait_for(lock, kWaitForFree, [&] { return !idle_.empty() || open_ < size_; }))
    throw sdk::Error(VIGIL_UNAVAILABLE, "store-postgres: all " + std::to_string(size_) +
                                            " connections (option pool_size) stayed busy for 10 s");
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(c));
  }
  ++open_;  // reserved before connecting, without the lock held
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Connection>(dsn_));
  } catch (...) {
    give_back(nullptr);
    throw;
  }
}

void Pool::give_back(std::unique_ptr<Connection> c) noexcept {
  {
    std::lock_guard lock(mutex_);
    if (c && c->usable())
      idle_.push_back(std::move(c));
    else
      --open_;
  }
  freed_.notify_one();
}

}  // namespace vigil::store::postgres
