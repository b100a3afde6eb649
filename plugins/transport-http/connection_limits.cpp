#include "connection_limits.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <utility>

namespace vigil::http {

std::string_view refusal_label(ConnectionRefusal refusal) {
  switch (refusal) {
    case ConnectionRefusal::total:
      return "total";
    case ConnectionRefusal::per_source:
      return "per_source";
    case ConnectionRefusal::none:
      break;
  }
  return "none";
}

ConnectionSlot::ConnectionSlot(ConnectionSlot&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), kind_(other.kind_), source_(other.source_) {}

ConnectionSlot& ConnectionSlot::operator=(ConnectionSlot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::exchange(other.owner_, nullptr);
    kind_ = other.kind_;
    source_ = other.source_;
  }
  return *this;
}

ConnectionSlot::~ConnectionSlot() {
  release();
}

void ConnectionSlot::release() noexcept {
  if (auto* owner = std::exchange(owner_, nullptr)) owner->release(kind_, source_);
}

ConnectionLimits::ConnectionLimits(size_t max_total, size_t max_per_source, size_t max_refusing)
    : max_total_(max_total), max_per_source_(max_per_source), max_refusing_(max_refusing) {}

Admission ConnectionLimits::admit(const boost::asio::ip::address& source) {
  ConnectionSlot::Key key = key_of(source);
  std::lock_guard lock(mutex_);
  if (open_ >= max_total_) return {{}, ConnectionRefusal::total};
  size_t& from_source = per_source_[key];
  if (from_source >= max_per_source_) return {{}, ConnectionRefusal::per_source};
  ++from_source;
  ++open_;
  return {ConnectionSlot(this, ConnectionSlot::Kind::serving, key), ConnectionRefusal::none};
}

ConnectionSlot ConnectionLimits::refusing() {
  std::lock_guard lock(mutex_);
  if (refusing_ >= max_refusing_) return {};
  ++refusing_;
  return ConnectionSlot(this, ConnectionSlot::Kind::refusing, {});
}

size_t ConnectionLimits::open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

void ConnectionLimits::release(ConnectionSlot::Kind kind, const ConnectionSlot::Key& source) noexcept {
  std::lock_guard lock(mutex_);
  if (kind == ConnectionSlot::Kind::refusing) {
    --refusing_;
    return;
  }
  --open_;
  auto it = per_source_.find(source);
  if (--it->second == 0) per_source_.erase(it);  // a source with nothing open costs nothing
}

ConnectionSlot::Key ConnectionLimits::key_of(const boost::asio::ip::address& source) {
  if (source.is_v6()) return source.to_v6().to_bytes();
  return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, source.to_v4()).to_bytes();
}

size_t ConnectionLimits::KeyHash::operator()(const ConnectionSlot::Key& key) const noexcept {
  size_t hash = 1469598103934665603ull;  // FNV-1a
  for (unsigned char byte : key) hash = (hash ^ byte) * 1099511628211ull;
  return hash;
}

size_t raise_descriptor_limit(size_t wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur == RLIM_INFINITY) return wanted;
  if (limit.rlim_cur < wanted) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min<rlim_t>(wanted, limit.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return static_cast<size_t>(limit.rlim_cur);
}

}  // namespace vigil::http
