// How many connections the server holds open: at most `max_total` in all
// and `max_per_source` from one source address, so that one address (a
// flood, or a client leaking sockets) cannot take every descriptor the
// server has. A connection past either limit is refused; a small, separate
// budget lets a refused connection be told so (a 503, then a lingering
// close) rather than reset, without refusals themselves holding more than
// that budget.
//
// admit() hands out a ConnectionSlot, which holds its place until it is
// destroyed (the session owns it, so a connection counts exactly as long
// as its session lives).
//
// Threading: every member is thread-safe; a slot may be destroyed on any
// thread. The limits must outlive every slot they handed out.
#pragma once

#include <array>
#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace vigil::http {

enum class ConnectionRefusal { none, total, per_source };

// The metric label of a refusal: "total" or "per_source".
std::string_view refusal_label(ConnectionRefusal refusal);

class ConnectionLimits;

class ConnectionSlot {
 public:
  ConnectionSlot() = default;  // holds nothing
  ConnectionSlot(ConnectionSlot&& other) noexcept;
  ConnectionSlot& operator=(ConnectionSlot&& other) noexcept;
  ~ConnectionSlot();
  explicit operator bool() const { return owner_ != nullptr; }

 private:
  friend class ConnectionLimits;
  enum class Kind { serving, refusing };
  using Key = std::array<unsigned char, 16>;
  ConnectionSlot(ConnectionLimits* owner, Kind kind, Key source) : owner_(owner), kind_(kind), source_(source) {}
  void release() noexcept;

  ConnectionLimits* owner_ = nullptr;
  Kind kind_ = Kind::serving;
  Key source_{};
};

struct Admission {
  ConnectionSlot slot;  // empty when refused
  ConnectionRefusal refusal = ConnectionRefusal::none;
};

class ConnectionLimits {
 public:
  ConnectionLimits(size_t max_total, size_t max_per_source, size_t max_refusing);

  // A slot for a new connection from `source`, or the limit it is past.
  Admission admit(const boost::asio::ip::address& source);
  // A slot from the refusal budget, for telling a refused connection so;
  // empty when that budget is spent (close the connection at once).
  ConnectionSlot refusing();

  size_t open() const;  // connections admitted and not yet closed
  size_t max_total() const { return max_total_; }
  size_t max_per_source() const { return max_per_source_; }

 private:
  friend class ConnectionSlot;
  // IPv4 as its IPv4-mapped IPv6 form, so both spellings of one source count together.
  static ConnectionSlot::Key key_of(const boost::asio::ip::address& source);
  void release(ConnectionSlot::Kind kind, const ConnectionSlot::Key& source) noexcept;

  struct KeyHash {
    size_t operator()(const ConnectionSlot::Key& key) const noexcept;
  };

  const size_t max_total_;
  const size_t max_per_source_;
  const size_t max_refusing_;
  mutable std::mutex mutex_;
  size_t open_ = 0;
  size_t refusing_ = 0;
  std::unordered_map<ConnectionSlot::Key, size_t, KeyHash> per_source_;  // only sources with a connection open
};

// Raises this process's soft limit on open descriptors towards `wanted`
// (never past the hard limit) and returns the soft limit now in force: a
// server meant for tens of thousands of connections would otherwise stop
// at the usual default of 1024, failing accepts instead of refusing clearly.
size_t raise_descriptor_limit(size_t wanted);

}  // namespace vigil::http
