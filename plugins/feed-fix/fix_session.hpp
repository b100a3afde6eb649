// The QuickFIX side of feed-fix: one FIX 4.4 initiator session that logs on,
// subscribes to top-of-book bid/offer for a list of symbols and hands what
// arrives to a SessionEvents as plain structs. Nothing here knows Vigil.
//
// This header is the seam between the plugin's C++20 code and QuickFIX,
// whose headers only compile as C++14: it must stay valid C++14 and must not
// include QuickFIX.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vigil {
namespace fixfeed {

struct SessionConfig {
  std::string host;
  int port = 0;
  std::string sender_comp_id;
  std::string target_comp_id;
  int heartbeat_seconds = 30;
  int reconnect_seconds = 5;  // QuickFIX's ReconnectInterval
  bool reset_on_logon = true;
  std::string store_dir;  // empty: sequence numbers kept in memory
  std::vector<std::string> fix_symbols;
};

// The top of book of one symbol as one message changed it. An empty side is
// one the message did not touch.
struct Quote {
  std::string symbol;  // as on the wire (FIX symbol)
  std::string bid, offer;
  std::string entry_date, entry_time;  // MDEntryDate/MDEntryTime when sent
};

// One 35=W or 35=X message.
struct MarketData {
  char msg_type = 'W';
  int64_t seq_num = 0;
  std::string sending_time;      // tag 52, e.g. 20241125-10:00:00.123
  std::vector<Quote> quotes;     // one per symbol, in order of first appearance
  uint64_t entries_skipped = 0;  // bid/offer entries without a usable symbol or price
};

enum class EventLevel { debug, info, warn, error };

// Called on QuickFIX's thread, one call at a time. Must not throw.
class SessionEvents {
 public:
  virtual ~SessionEvents() = default;
  virtual void on_logon() = 0;
  virtual void on_logout() = 0;
  virtual void on_market_data(const MarketData& data) = 0;
  // The counterparty refused the subscription (35=Y, or 35=j about it).
  virtual void on_reject(const std::string& why) = 0;
  // QuickFIX's own account of the session: connecting, failures, resets.
  virtual void on_event(EventLevel level, const std::string& text) = 0;
};

class Session {
 public:
  // Throws std::runtime_error when QuickFIX refuses the configuration.
  // `events` must outlive the session.
  Session(const SessionConfig& config, SessionEvents& events);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts connecting (and reconnecting) on QuickFIX's thread.
  void start();
  // Logs out politely when logged on (waiting at most `logout_wait_ms` for
  // the answer), then disconnects. Idempotent.
  void stop(int logout_wait_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fixfeed
}  // namespace vigil
