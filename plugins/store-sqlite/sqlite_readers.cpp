#include "sqlite_readers.hpp"

namespace vigil::store::sqlite {
namespace {

// Idle readers kept open; more are closed when returned.
constexpr size_t kKeepIdle = 4;

}  // namespace

ReaderPool::Lease ReaderPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
  }
  return Lease(*this, std::make_unique<Connection>(file_, Connection::Role::reader, true));
}

void ReaderPool::give_back(std::unique_ptr<Connection> c) noexcept {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kKeepIdle) idle_.push_back(std::move(c));
}

}  // namespace vigil::store::sqlite
