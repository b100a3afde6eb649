// The simulated broker behind mql5_terminal.hpp and CTrade. Its state file
// holds one record a line:
//   next TICKET
//   position TICKET SYMBOL TYPE(0 buy, 1 sell) VOLUME PRICE SL TP MAGIC COMMENT
//   deal TICKET POSITION ENTRY(0 in, 1 out) PRICE VOLUME SYMBOL
// read before every call and written after every trade, so that the tests
// (and a restarted EA) see what the broker did.
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "mql5_trade.hpp"

namespace {

struct Position {
  ulong ticket = 0;
  std::string symbol;
  int type = 0;
  double volume = 0, price = 0, sl = 0, tp = 0;
  ulong magic = 0;
  std::string comment;
};

struct Deal {
  ulong ticket = 0, position = 0;
  int entry = 0;
  double price = 0, volume = 0;
  std::string symbol;
};

struct Broker {
  ulong next = 5000000000;
  std::vector<Position> positions;
  std::vector<Deal> deals;
};

const char* env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

Broker load() {
  Broker broker;
  std::ifstream in(env_or("MQL5_SIM_BROKER", "broker.txt"));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    if (kind == "next") {
      fields >> broker.next;
    } else if (kind == "position") {
      Position p;
      fields >> p.ticket >> p.symbol >> p.type >> p.volume >> p.price >> p.sl >> p.tp >> p.magic >> p.comment;
      broker.positions.push_back(p);
    } else if (kind == "deal") {
      Deal d;
      fields >> d.ticket >> d.position >> d.entry >> d.price >> d.volume >> d.symbol;
      broker.deals.push_back(d);
    }
  }
  return broker;
}

void save(const Broker& broker) {
  std::string path = env_or("MQL5_SIM_BROKER", "broker.txt");
  {
    std::ofstream out(path + ".tmp");
    out.precision(10);
    out << "next " << broker.next << "\n";
    for (const auto& p : broker.positions)
      out << "position " << p.ticket << " " << p.symbol << " " << p.type << " " << p.volume << " " << p.price << " "
          << p.sl << " " << p.tp << " " << p.magic << " " << (p.comment.empty() ? "-" : p.comment) << "\n";
    for (const auto& d : broker.deals)
      out << "deal " << d.ticket << " " << d.position << " " << d.entry << " " << d.price << " " << d.volume << " "
          << d.symbol << "\n";
  }
  std::rename((path + ".tmp").c_str(), path.c_str());
}

struct Quote {
  int digits = 5;
  double bid = 0, ask = 0;
  bool known = false;
};

Quote quote(const std::string& symbol) {
  std::ifstream in(env_or("MQL5_SIM_QUOTES", "quotes.txt"));
  std::string name;
  Quote q;
  while (in >> name >> q.digits >> q.bid >> q.ask)
    if (name == symbol) {
      q.known = true;
      return q;
    }
  return Quote{};
}

void crash_after(const char* what) {
  if (std::string(env_or("MQL5_SIM_CRASH", "")) == what) _exit(3);
}

// The terminal's selections: PositionSelectByTicket / PositionGetTicket,
// HistorySelectByPosition.
Position selected;
std::vector<Deal> history;

}  // namespace

long AccountInfoInteger(ENUM_ACCOUNT_INFO_INTEGER) {
  return std::string(env_or("MQL5_SIM_NETTING", "")) == "1" ? ACCOUNT_MARGIN_MODE_RETAIL_NETTING
                                                            : ACCOUNT_MARGIN_MODE_RETAIL_HEDGING;
}

bool SymbolSelect(const mql_string& symbol, bool) {
  return quote(symbol.utf8()).known;
}

long SymbolInfoInteger(const mql_string& symbol, ENUM_SYMBOL_INFO_INTEGER) {
  return quote(symbol.utf8()).digits;
}

double SymbolInfoDouble(const mql_string& symbol, ENUM_SYMBOL_INFO_DOUBLE property) {
  Quote q = quote(symbol.utf8());
  if (property == SYMBOL_POINT) return std::pow(10.0, -q.digits);
  return property == SYMBOL_BID ? q.bid : q.ask;
}

int PositionsTotal() {
  return static_cast<int>(load().positions.size());
}

ulong PositionGetTicket(int index) {
  Broker broker = load();
  if (index < 0 || index >= static_cast<int>(broker.positions.size())) return 0;
  selected = broker.positions[index];
  return selected.ticket;
}

bool PositionSelectByTicket(ulong ticket) {
  for (const auto& p : load().positions)
    if (p.ticket == ticket) {
      selected = p;
      return true;
    }
  return false;
}

double PositionGetDouble(ENUM_POSITION_PROPERTY_DOUBLE property) {
  switch (property) {
    case POSITION_VOLUME:
      return selected.volume;
    case POSITION_PRICE_OPEN:
      return selected.price;
    case POSITION_SL:
      return selected.sl;
    case POSITION_TP:
      return selected.tp;
  }
  return 0;
}

long PositionGetInteger(ENUM_POSITION_PROPERTY_INTEGER property) {
  return property == POSITION_MAGIC ? static_cast<long>(selected.magic) : selected.type;
}

mql_string PositionGetString(ENUM_POSITION_PROPERTY_STRING property) {
  return mql_string::from_utf8(property == POSITION_SYMBOL ? selected.symbol : selected.comment);
}

bool HistorySelectByPosition(ulong position) {
  history.clear();
  for (const auto& d : load().deals)
    if (d.position == position) history.push_back(d);
  return true;
}

bool HistoryDealSelect(ulong deal) {
  for (const auto& d : load().deals)
    if (d.ticket == deal) return true;
  return false;
}

int HistoryDealsTotal() {
  return static_cast<int>(history.size());
}

ulong HistoryDealGetTicket(int index) {
  return index >= 0 && index < static_cast<int>(history.size()) ? history[index].ticket : 0;
}

static Deal find_deal(ulong ticket) {
  for (const auto& d : load().deals)
    if (d.ticket == ticket) return d;
  return Deal{};
}

long HistoryDealGetInteger(ulong deal, ENUM_DEAL_PROPERTY_INTEGER property) {
  Deal d = find_deal(deal);
  return property == DEAL_ENTRY ? d.entry : static_cast<long>(d.position);
}

double HistoryDealGetDouble(ulong deal, ENUM_DEAL_PROPERTY_DOUBLE property) {
  Deal d = find_deal(deal);
  return property == DEAL_PRICE ? d.price : d.volume;
}

mql_string HistoryDealGetString(ulong deal, ENUM_DEAL_PROPERTY_STRING) {
  return mql_string::from_utf8(find_deal(deal).symbol);
}

void CTrade::Clear() {
  retcode_ = 0;
  order_ = deal_ = 0;
  price_ = volume_ = 0;
}

bool CTrade::Buy(double volume, const mql_string& symbol, double price, double sl, double tp,
                 const mql_string& comment) {
  return Open(true, volume, symbol, price, sl, tp, comment);
}

bool CTrade::Sell(double volume, const mql_string& symbol, double price, double sl, double tp,
                  const mql_string& comment) {
  return Open(false, volume, symbol, price, sl, tp, comment);
}

bool CTrade::Open(bool buy, double volume, const mql_string& symbol, double price, double sl, double tp,
                  const mql_string& comment) {
  Clear();
  Quote q = quote(symbol.utf8());
  if (std::string(env_or("MQL5_SIM_REJECT_OPEN", "")) == "1" || !q.known) {
    retcode_ = TRADE_RETCODE_REJECT;
    return false;
  }
  double point = std::pow(10.0, -q.digits);
  double slip = std::atof(env_or("MQL5_SIM_SLIPPAGE_POINTS", "0")) * point;
  double ratio = std::atof(env_or("MQL5_SIM_FILL_RATIO", "1"));
  double filled = std::floor(volume * ratio * 100 + 1e-9) / 100;
  if (filled <= 0) {
    retcode_ = TRADE_RETCODE_INVALID_VOLUME;
    return false;
  }
  double at = price > 0 ? price : (buy ? q.ask : q.bid);
  Broker broker = load();
  Position p{broker.next++,
             symbol.utf8(),
             buy ? 0 : 1,
             filled,
             std::round((at + (buy ? slip : -slip)) / point) * point,
             sl,
             tp,
             magic_,
             comment.utf8()};
  Deal d{broker.next++, p.ticket, 0, p.price, filled, p.symbol};
  broker.positions.push_back(p);
  broker.deals.push_back(d);
  save(broker);
  crash_after("open");
  retcode_ = filled < volume ? TRADE_RETCODE_DONE_PARTIAL : TRADE_RETCODE_DONE;
  order_ = p.ticket;
  deal_ = d.ticket;
  price_ = p.price;
  volume_ = filled;
  return true;
}

bool CTrade::PositionClose(ulong ticket) {
  return Close(ticket, 0);
}

bool CTrade::PositionClosePartial(ulong ticket, double volume) {
  return Close(ticket, volume);
}

bool CTrade::Close(ulong ticket, double volume) {
  Clear();
  Broker broker = load();
  for (size_t i = 0; i < broker.positions.size(); ++i) {
    Position& p = broker.positions[i];
    if (p.ticket != ticket) continue;
    Quote q = quote(p.symbol);
    double point = std::pow(10.0, -q.digits);
    double slip = std::atof(env_or("MQL5_SIM_SLIPPAGE_POINTS", "0")) * point;
    double out = volume > 0 && volume < p.volume ? volume : p.volume;
    // A buy closes at the bid, a sell at the ask, slipping against the trader.
    double at = std::round((p.type == 0 ? q.bid - slip : q.ask + slip) / point) * point;
    Deal d{broker.next++, p.ticket, 1, at, out, p.symbol};
    broker.deals.push_back(d);
    p.volume = std::round((p.volume - out) * 100) / 100;
    if (p.volume <= 0) broker.positions.erase(broker.positions.begin() + i);
    save(broker);
    crash_after("close");
    retcode_ = TRADE_RETCODE_DONE;
    order_ = d.ticket;
    deal_ = d.ticket;
    price_ = at;
    volume_ = out;
    return true;
  }
  retcode_ = TRADE_RETCODE_POSITION_CLOSED;
  return false;
}

bool CTrade::PositionModify(ulong ticket, double sl, double tp) {
  Clear();
  Broker broker = load();
  for (auto& p : broker.positions)
    if (p.ticket == ticket) {
      p.sl = sl;
      p.tp = tp;
      save(broker);
      retcode_ = TRADE_RETCODE_DONE;
      return true;
    }
  retcode_ = TRADE_RETCODE_POSITION_CLOSED;
  return false;
}

mql_string CTrade::ResultRetcodeDescription() const {
  switch (retcode_) {
    case TRADE_RETCODE_DONE:
      return u"done";
    case TRADE_RETCODE_DONE_PARTIAL:
      return u"done partially";
    case TRADE_RETCODE_REJECT:
      return u"request rejected";
    case TRADE_RETCODE_INVALID_VOLUME:
      return u"invalid volume";
    case TRADE_RETCODE_POSITION_CLOSED:
      return u"position with the specified identifier has already been closed";
  }
  return u"unknown retcode";
}
