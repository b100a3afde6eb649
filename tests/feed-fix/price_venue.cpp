// Compiled as C++14 (QuickFIX's headers).
#include "price_venue.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <quickfix/Application.h>
#include <quickfix/MessageStore.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/fix44/MarketDataIncrementalRefresh.h>
#include <quickfix/fix44/MarketDataRequest.h>
#include <quickfix/fix44/MarketDataRequestReject.h>
#include <quickfix/fix44/MarketDataSnapshotFullRefresh.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "plugins/feed-fix/fix44_dictionary.hpp"

namespace vigil {
namespace test {

struct PriceVenue::Impl : public FIX::Application {
  Impl(int port, std::map<std::string, std::pair<std::string, std::string>> quotes, std::string time)
      : book(std::move(quotes)), entry_time(std::move(time)), id("FIX.4.4", "VENUE", "VIGIL") {
    FIX::Dictionary session;
    session.setString(FIX::CONNECTION_TYPE, "acceptor");
    session.setInt(FIX::SOCKET_ACCEPT_PORT, port);
    session.setBool(FIX::SOCKET_REUSE_ADDRESS, true);
    session.setString(FIX::START_TIME, "00:00:00");
    session.setString(FIX::END_TIME, "00:00:00");
    session.setBool(FIX::USE_DATA_DICTIONARY, false);
    settings.set(id, session);
    acceptor.reset(new FIX::SocketAcceptor(*this, store, settings));
    FIX::Session::lookupSession(id)->setDataDictionaryProvider(vigil::fixfeed::fix44_dictionary_provider());
    acceptor->start();
  }

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {
    std::lock_guard<std::mutex> lock(mutex);
    ++logons;
    logged_on = true;
  }
  void onLogout(const FIX::SessionID&) override {
    std::lock_guard<std::mutex> lock(mutex);
    logged_on = false;
  }
  // Counts the gap fills (35=4) sent in answer to a ResendRequest.
  void toAdmin(FIX::Message& message, const FIX::SessionID&) override {
    if (message.getHeader().getField(FIX::FIELD::MsgType) != "4") return;
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++sequence_resets;
    }
    changed.notify_all();
  }
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                                                   FIX::IncorrectTagValue, FIX::RejectLogon) override {}

  void fromApp(const FIX::Message& message, const FIX::SessionID&) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                                                         FIX::IncorrectTagValue,
                                                                         FIX::UnsupportedMessageType) override {
    if (message.getHeader().getField(FIX::FIELD::MsgType) != "V") throw FIX::UnsupportedMessageType();
    std::string request_id = message.getField(FIX::FIELD::MDReqID);
    size_t count = message.groupCount(FIX::FIELD::NoRelatedSym);
    std::vector<std::string> symbols;
    for (size_t i = 1; i <= count; ++i)
      symbols.push_back(
          message.getGroupRef(static_cast<int>(i), FIX::FIELD::NoRelatedSym).getField(FIX::FIELD::Symbol));
    for (const std::string& symbol : symbols) {
      if (book.count(symbol)) continue;
      FIX44::MarketDataRequestReject reject(FIX::MDReqID{request_id});
      reject.set(FIX::MDReqRejReason('0'));
      reject.set(FIX::Text("no such symbol: " + symbol));
      FIX::Session::sendToTarget(reject, id);
      answered();
      return;
    }
    for (const std::string& symbol : symbols) {
      FIX44::MarketDataSnapshotFullRefresh snapshot;
      snapshot.set(FIX::MDReqID(request_id));
      snapshot.set(FIX::Symbol(symbol));
      const std::pair<std::string, std::string>& quote = book[symbol];
      add_snapshot_entry(snapshot, '0', quote.first);
      add_snapshot_entry(snapshot, '1', quote.second);
      FIX::Session::sendToTarget(snapshot, id);
    }
    answered();
  }

  void add_snapshot_entry(FIX44::MarketDataSnapshotFullRefresh& snapshot, char type, const std::string& price) {
    FIX44::MarketDataSnapshotFullRefresh::NoMDEntries entry;
    entry.set(FIX::MDEntryType(type));
    entry.setField(FIX::FIELD::MDEntryPx, price);  // the text as given, trailing zeros too
    entry.set(FIX::MDEntrySize(1000000));
    if (!entry_time.empty()) {
      entry.setField(FIX::FIELD::MDEntryDate, entry_time.substr(0, 8));
      entry.setField(FIX::FIELD::MDEntryTime, entry_time.substr(9));
    }
    snapshot.addGroup(entry);
  }

  void answered() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++requests;
    }
    changed.notify_all();
  }

  std::map<std::string, std::pair<std::string, std::string>> book;
  std::string entry_time;
  FIX::SessionID id;
  FIX::SessionSettings settings;
  FIX::MemoryStoreFactory store;
  std::unique_ptr<FIX::SocketAcceptor> acceptor;
  mutable std::mutex mutex;
  std::condition_variable changed;
  int logons = 0, requests = 0, sequence_resets = 0;
  bool logged_on = false;
};

PriceVenue::PriceVenue(int port, std::map<std::string, std::pair<std::string, std::string>> book,
                       std::string entry_time)
    : impl_(new Impl(port, std::move(book), std::move(entry_time))) {}

PriceVenue::~PriceVenue() {
  impl_->acceptor->stop(true);
}

bool PriceVenue::wait_for_requests(int count, int timeout_ms) {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  return impl_->changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return impl_->requests >= count; });
}

bool PriceVenue::send_update(const VenueEntry* entries, int count) {
  FIX44::MarketDataIncrementalRefresh update;
  for (int i = 0; i < count; ++i) {
    FIX44::MarketDataIncrementalRefresh::NoMDEntries entry;
    entry.set(FIX::MDUpdateAction('1'));
    entry.set(FIX::MDEntryType(entries[i].type));
    entry.set(FIX::Symbol(entries[i].symbol));
    entry.setField(FIX::FIELD::MDEntryPx, entries[i].price);
    update.addGroup(entry);
  }
  try {
    return FIX::Session::sendToTarget(update, impl_->id);
  } catch (const FIX::SessionNotFound&) {
    return false;
  }
}

bool PriceVenue::wait_for_sequence_resets(int count, int timeout_ms) {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  return impl_->changed.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                                 [&] { return impl_->sequence_resets >= count; });
}

int PriceVenue::logons() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->logons;
}

void PriceVenue::skip_sequence_numbers(int count) {
  FIX::Session* session = FIX::Session::lookupSession(impl_->id);
  session->setNextSenderMsgSeqNum(session->getExpectedSenderNum() + count);
}

int free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace test
}  // namespace vigil
