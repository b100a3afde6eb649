// Reading a 35=W / 35=X market-data message as quotes: the step between
// QuickFIX's parse and the feed's ticks. Split from the session so tests and
// the fuzzer (tests/fuzz) reach it without a connection.
//
// Like fix_session.hpp, this header must stay valid C++14 and must not
// include QuickFIX: FIX::Message is only declared.
#pragma once

#include <string>
#include <vector>

#include "fix_session.hpp"

namespace FIX {
class Message;
}

namespace vigil {
namespace fixfeed {

// Reads a message QuickFIX has parsed as 35=`type` (W or X). A message
// without Symbol is about the only subscribed symbol when `fix_symbols`
// holds one. Bid/offer entries without a symbol or price are counted in
// entries_skipped. Throws FIX::IncorrectDataFormat when MsgSeqNum is not a
// whole number that fits 64 bits (QuickFIX's own conversion wraps around
// silently), which the session answers with a reject.
MarketData read_market_data(const FIX::Message& message, char type, const std::vector<std::string>& fix_symbols);

// Parses raw FIX text with the feed's FIX 4.4 dictionary (BodyLength and
// CheckSum checked, as the session does) and reads it when it is a 35=W or
// 35=X. Returns false with `why` when QuickFIX refuses the text or when it
// is another message. Never throws for any input.
bool parse_market_data(const std::string& raw, const std::vector<std::string>& fix_symbols, MarketData& out,
                       std::string& why);

}  // namespace fixfeed
}  // namespace vigil
