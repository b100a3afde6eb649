// A FIX 4.4 price source for feed-fix's tests: a real QuickFIX acceptor on
// loopback. It answers a MarketDataRequest (35=V) with one snapshot (35=W)
// per symbol, or with a MarketDataRequestReject (35=Y, unknown symbol) when
// it does not quote one of the symbols; the test then pushes incremental
// refreshes (35=X).
//
// Plain C++14 with no QuickFIX types: the test itself is C++20, QuickFIX's
// headers are C++14 only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

namespace vigil {
namespace test {

// One MDEntry of an incremental refresh.
struct VenueEntry {
  std::string symbol;
  char type;  // '0' bid, '1' offer
  std::string price;
};

class PriceVenue {
 public:
  // Symbol -> (bid, offer) quoted in snapshots. `entry_time` ("YYYYMMDD
  // HH:MM:SS.sss"), when not empty, goes into the snapshot entries as
  // MDEntryDate and MDEntryTime.
  PriceVenue(int port, std::map<std::string, std::pair<std::string, std::string>> book, std::string entry_time = "");
  ~PriceVenue();  // drops the connection without a logout, like a crash
  PriceVenue(const PriceVenue&) = delete;
  PriceVenue& operator=(const PriceVenue&) = delete;

  // Waits until `count` market data requests have been answered in all.
  bool wait_for_requests(int count, int timeout_ms);
  // Sends one 35=X with these entries; false when no client is logged on.
  bool send_update(const VenueEntry* entries, int count);
  int logons() const;
  // Skips `count` outgoing sequence numbers, as if messages had been lost:
  // the client sees a gap, asks for a resend and gets a gap fill.
  void skip_sequence_numbers(int count);
  // Waits until `count` SequenceResets (35=4: gap fills answering a
  // ResendRequest) have been sent in all.
  bool wait_for_sequence_resets(int count, int timeout_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (QuickFIX's acceptor
// cannot listen on port 0).
int free_loopback_port();

}  // namespace test
}  // namespace vigil
