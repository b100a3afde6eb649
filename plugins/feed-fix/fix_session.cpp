// QuickFIX 1.15 behind fix_session.hpp. Compiled as C++14.
#include "fix_session.hpp"

#include <quickfix/Application.h>
#include <quickfix/FileStore.h>
#include <quickfix/Log.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/fix44/MarketDataRequest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "fix44_dictionary.hpp"
#include "market_data.hpp"

namespace vigil {
namespace fixfeed {
namespace {

// QuickFIX's session events go to the feed's host log; the messages do not
// (a market-data session is mostly quotes).
class EventLog : public FIX::Log {
 public:
  explicit EventLog(SessionEvents& events) : events_(events) {}
  void clear() override {}
  void backup() override {}
  void onIncoming(const std::string&) override {}
  void onOutgoing(const std::string&) override {}
  // Failures are warnings; the connect/logon/logout routine, repeated at
  // every reconnect attempt, is debug (the feed logs logons and losses
  // itself); the rest (sequence resets, resend requests) is info.
  void onEvent(const std::string& text) override {
    static const char* const kRoutine[] = {"Created session",
                                           "Connecting to",
                                           "Initiated logon request",
                                           "Received logon response",
                                           "Initiated logout request",
                                           "Received logout response",
                                           "Disconnecting"};
    bool bad = text.find("fail") != std::string::npos || text.find("rror") != std::string::npos ||
               text.find("eject") != std::string::npos;
    EventLevel level = bad ? EventLevel::warn : EventLevel::info;
    for (const char* routine : kRoutine)
      if (!bad && text.compare(0, std::char_traits<char>::length(routine), routine) == 0) level = EventLevel::debug;
    events_.on_event(level, text);
  }

 private:
  SessionEvents& events_;
};

class EventLogFactory : public FIX::LogFactory {
 public:
  explicit EventLogFactory(SessionEvents& events) : events_(events) {}
  FIX::Log* create() override { return new EventLog(events_); }
  FIX::Log* create(const FIX::SessionID&) override { return new EventLog(events_); }
  void destroy(FIX::Log* log) override { delete log; }

 private:
  SessionEvents& events_;
};

std::string field_or_empty(const FIX::FieldMap& map, int tag) {
  return map.isSetField(tag) ? map.getField(tag) : std::string();
}

const char* rejection_reason(const std::string& code) {
  static const char* const kReasons[] = {"unknown symbol",
                                         "duplicate MDReqID",
                                         "insufficient bandwidth",
                                         "insufficient permissions",
                                         "unsupported SubscriptionRequestType",
                                         "unsupported MarketDepth",
                                         "unsupported MDUpdateType",
                                         "unsupported AggregatedBook",
                                         "unsupported MDEntryType",
                                         "unsupported TradingSessionID",
                                         "unsupported Scope",
                                         "unsupported OpenCloseSettlFlag",
                                         "unsupported MDImplicitDelete"};
  if (code.size() != 1) return "unspecified reason";
  char c = code[0];
  if (c >= '0' && c <= '9') return kReasons[c - '0'];
  if (c >= 'A' && c <= 'C') return kReasons[10 + (c - 'A')];
  return "unspecified reason";
}

}  // namespace

struct Session::Impl : public FIX::Application {
  Impl(const SessionConfig& c, SessionEvents& e)
      : config(c),
        events(e),
        id("FIX.4.4", c.sender_comp_id, c.target_comp_id),
        log_factory(e),
        memory_store(),
        file_store(c.store_dir) {
    FIX::Dictionary session;
    session.setString(FIX::CONNECTION_TYPE, "initiator");
    session.setString(FIX::SOCKET_CONNECT_HOST, c.host);
    session.setInt(FIX::SOCKET_CONNECT_PORT, c.port);
    session.setInt(FIX::HEARTBTINT, c.heartbeat_seconds);
    session.setInt(FIX::RECONNECT_INTERVAL, c.reconnect_seconds);
    session.setString(FIX::START_TIME, "00:00:00");
    session.setString(FIX::END_TIME, "00:00:00");
    session.setBool(FIX::USE_DATA_DICTIONARY, false);  // ours is set below
    session.setBool(FIX::RESET_ON_LOGON, c.reset_on_logon);
    if (!c.store_dir.empty()) session.setString(FIX::FILE_STORE_PATH, c.store_dir);
    // SocketInitiator reads ReconnectInterval from the [DEFAULT] section only.
    FIX::Dictionary defaults;
    defaults.setInt(FIX::RECONNECT_INTERVAL, c.reconnect_seconds);
    settings.set(defaults);
    settings.set(id, session);
    FIX::MessageStoreFactory& store =
        c.store_dir.empty() ? static_cast<FIX::MessageStoreFactory&>(memory_store) : file_store;
    initiator.reset(new FIX::SocketInitiator(*this, store, settings, log_factory));
    FIX::Session* created = FIX::Session::lookupSession(id);
    if (!created) throw std::runtime_error("QuickFIX created no session for " + id.toString());
    created->setDataDictionaryProvider(fix44_dictionary_provider());
  }

  void onCreate(const FIX::SessionID&) override {}

  void onLogon(const FIX::SessionID&) override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      logged_on = true;
    }
    events.on_logon();
    subscribe();
  }

  void onLogout(const FIX::SessionID&) override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      logged_on = false;
    }
    logged_out.notify_all();
    events.on_logout();
  }

  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}

  void fromAdmin(const FIX::Message& message, const FIX::SessionID&) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                                                           FIX::IncorrectTagValue,
                                                                           FIX::RejectLogon) override {
    const std::string& type = message.getHeader().getField(FIX::FIELD::MsgType);
    if (type == "3")
      events.on_event(EventLevel::warn, "session-level reject of our message " +
                                            field_or_empty(message, FIX::FIELD::RefSeqNum) + ": " +
                                            field_or_empty(message, FIX::FIELD::Text));
    else if (type == "5" && message.isSetField(FIX::FIELD::Text))
      events.on_event(EventLevel::info, "logout: " + message.getField(FIX::FIELD::Text));
  }

  void fromApp(const FIX::Message& message, const FIX::SessionID&) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                                                         FIX::IncorrectTagValue,
                                                                         FIX::UnsupportedMessageType) override {
    const std::string& type = message.getHeader().getField(FIX::FIELD::MsgType);
    if (type == "W" || type == "X") {
      events.on_market_data(read_market_data(message, type[0], config.fix_symbols));
    } else if (type == "Y") {
      std::string code = field_or_empty(message, FIX::FIELD::MDReqRejReason);
      std::string text = field_or_empty(message, FIX::FIELD::Text);
      events.on_reject("market data request " + field_or_empty(message, FIX::FIELD::MDReqID) +
                       " rejected: " + rejection_reason(code) + (code.empty() ? "" : " (281=" + code + ")") +
                       (text.empty() ? "" : ": " + text));
    } else if (type == "j" && field_or_empty(message, FIX::FIELD::RefMsgType) == "V") {
      events.on_reject("market data request refused (35=j, reason " +
                       field_or_empty(message, FIX::FIELD::BusinessRejectReason) +
                       "): " + field_or_empty(message, FIX::FIELD::Text));
    } else {
      throw FIX::UnsupportedMessageType();
    }
  }

  // One request for every symbol: snapshot plus updates, top of book.
  void subscribe() {
    FIX44::MarketDataRequest request(FIX::MDReqID("vigil-" + std::to_string(++requests)),
                                     FIX::SubscriptionRequestType('1'), FIX::MarketDepth(1));
    request.set(FIX::MDUpdateType(1));  // incremental refresh
    FIX44::MarketDataRequest::NoMDEntryTypes types;
    types.set(FIX::MDEntryType('0'));
    request.addGroup(types);
    types.set(FIX::MDEntryType('1'));
    request.addGroup(types);
    for (const std::string& symbol : config.fix_symbols) {
      FIX44::MarketDataRequest::NoRelatedSym related;
      related.set(FIX::Symbol(symbol));
      request.addGroup(related);
    }
    try {
      FIX::Session::sendToTarget(request, id);
    } catch (const FIX::SessionNotFound& e) {
      events.on_event(EventLevel::error, std::string("cannot subscribe: ") + e.what());
    }
  }

  SessionConfig config;
  SessionEvents& events;
  FIX::SessionID id;
  FIX::SessionSettings settings;
  EventLogFactory log_factory;
  FIX::MemoryStoreFactory memory_store;
  FIX::FileStoreFactory file_store;
  std::unique_ptr<FIX::SocketInitiator> initiator;
  int requests = 0;  // QuickFIX's thread only
  std::mutex mutex;
  std::condition_variable logged_out;
  bool logged_on = false;
  bool started = false, stopped = false;
};

Session::Session(const SessionConfig& config, SessionEvents& events) {
  try {
    impl_.reset(new Impl(config, events));
  } catch (const FIX::Exception& e) {
    throw std::runtime_error(std::string("QuickFIX: ") + e.what());
  }
}

Session::~Session() {
  stop(0);
}

void Session::start() {
  if (impl_->started) return;
  impl_->started = true;
  try {
    impl_->initiator->start();
  } catch (const FIX::Exception& e) {
    throw std::runtime_error(std::string("QuickFIX: ") + e.what());
  }
}

void Session::stop(int logout_wait_ms) {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  FIX::Session* session = FIX::Session::lookupSession(impl_->id);
  if (session && logout_wait_ms > 0) {
    std::unique_lock<std::mutex> lock(impl_->mutex);
    if (impl_->logged_on) {
      session->logout("client stopping");
      impl_->logged_out.wait_for(lock, std::chrono::milliseconds(logout_wait_ms), [this] { return !impl_->logged_on; });
    }
  }
  impl_->initiator->stop(true);
}

}  // namespace fixfeed
}  // namespace vigil
