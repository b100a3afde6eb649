// QuickFIX 1.15 messages to MarketData. Compiled as C++14, like fix_session.cpp.
#include "market_data.hpp"

#include <quickfix/DataDictionary.h>
#include <quickfix/Message.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "fix44_dictionary.hpp"

namespace vigil {
namespace fixfeed {
namespace {

std::string field_or_empty(const FIX::FieldMap& map, int tag) {
  return map.isSetField(tag) ? map.getField(tag) : std::string();
}

// MsgSeqNum as a number. std::stoll threw std::invalid_argument or
// std::out_of_range, not a FIX exception, so fromApp let it out past
// QuickFIX's reject path (the fuzzer found it). The session's own check
// refuses text that is not digits, but its conversion wraps a value too big
// for an int around silently, so such a value can reach this point.
int64_t sequence_number(const FIX::Message& message) {
  std::string text = message.getHeader().getField(FIX::FIELD::MsgSeqNum);
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || text[0] < '0' || text[0] > '9' || *end != '\0' || errno == ERANGE)
    throw FIX::IncorrectDataFormat(FIX::FIELD::MsgSeqNum, "MsgSeqNum '" + text + "' is not a sequence number");
  return value;
}

Quote& quote_of(MarketData& out, const std::string& symbol) {
  for (Quote& q : out.quotes)
    if (q.symbol == symbol) return q;
  out.quotes.push_back(Quote());
  out.quotes.back().symbol = symbol;
  return out.quotes.back();
}

// The FIX 4.4 dictionary the session uses, built once.
const FIX::DataDictionary& dictionary() {
  static const FIX::DataDictionaryProvider provider = fix44_dictionary_provider();
  return provider.getSessionDataDictionary(FIX::BeginString("FIX.4.4"));
}

}  // namespace

MarketData read_market_data(const FIX::Message& message, char type, const std::vector<std::string>& fix_symbols) {
  MarketData out;
  out.msg_type = type;
  out.seq_num = sequence_number(message);
  out.sending_time = field_or_empty(message.getHeader(), FIX::FIELD::SendingTime);
  std::string message_symbol = field_or_empty(message, FIX::FIELD::Symbol);
  if (message_symbol.empty() && fix_symbols.size() == 1) message_symbol = fix_symbols[0];
  size_t count = message.groupCount(FIX::FIELD::NoMDEntries);
  for (size_t i = 1; i <= count; ++i) {
    const FIX::FieldMap& entry = message.getGroupRef(static_cast<int>(i), FIX::FIELD::NoMDEntries);
    std::string entry_type = field_or_empty(entry, FIX::FIELD::MDEntryType);
    if (entry_type != "0" && entry_type != "1") continue;  // trades and the like were not asked for
    // A deleted level leaves the last price standing: Vigil has no "no price".
    if (field_or_empty(entry, FIX::FIELD::MDUpdateAction) == "2") continue;
    std::string symbol = field_or_empty(entry, FIX::FIELD::Symbol);
    if (symbol.empty()) symbol = message_symbol;
    std::string price = field_or_empty(entry, FIX::FIELD::MDEntryPx);
    if (symbol.empty() || price.empty()) {
      ++out.entries_skipped;
      continue;
    }
    Quote& quote = quote_of(out, symbol);
    (entry_type == "0" ? quote.bid : quote.offer) = price;
    std::string date = field_or_empty(entry, FIX::FIELD::MDEntryDate);
    std::string time = field_or_empty(entry, FIX::FIELD::MDEntryTime);
    if (!date.empty() && !time.empty()) {
      quote.entry_date = date;
      quote.entry_time = time;
    }
  }
  return out;
}

bool parse_market_data(const std::string& raw, const std::vector<std::string>& fix_symbols, MarketData& out,
                       std::string& why) {
  try {
    FIX::Message message(raw, dictionary(), true);
    std::string type = message.getHeader().getField(FIX::FIELD::MsgType);
    if (type != "W" && type != "X") {
      why = "35=" + type + " is not market data";
      return false;
    }
    out = read_market_data(message, type[0], fix_symbols);
    return true;
  } catch (const FIX::Exception& e) {
    why = std::string("refused by QuickFIX: ") + e.what();
    return false;
  }
}

}  // namespace fixfeed
}  // namespace vigil
