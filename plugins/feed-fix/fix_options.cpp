#include "fix_options.hpp"

#include <set>

#include "vigil/cpp/options.hpp"

namespace vigil::fixfeed {
namespace {

// FIX fields are delimited by SOH and '=' separates tag from value; a comp
// id or symbol holding either would corrupt every message.
std::string fix_text(const sdk::Options& o, const char* key) {
  std::string out = o.required_string(key);
  for (char c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == '=')
      o.fail(key, "'" + out + "' holds a character FIX cannot carry");
  return out;
}

}  // namespace

Options parse_options(const std::string& json_text) {
  sdk::Options o(json_text, "feed-fix");
  o.allow({"host", "port", "sender_comp_id", "target_comp_id", "symbols", "heartbeat_seconds", "reconnect_seconds",
           "reset_on_logon", "store_dir"});
  for (const char* key : {"host", "port", "sender_comp_id", "target_comp_id", "symbols"})
    if (!o.has(key)) o.fail(key, "missing");

  Options out;
  SessionConfig& s = out.session;
  s.host = o.required_string("host");
  s.port = static_cast<int>(o.required_integer("port", 1, 65535));
  s.sender_comp_id = fix_text(o, "sender_comp_id");
  s.target_comp_id = fix_text(o, "target_comp_id");
  s.heartbeat_seconds = static_cast<int>(o.integer("heartbeat_seconds", s.heartbeat_seconds, 1, 3600));
  s.reconnect_seconds = static_cast<int>(o.integer("reconnect_seconds", s.reconnect_seconds, 1, 3600));
  s.reset_on_logon = o.boolean("reset_on_logon", s.reset_on_logon);
  s.store_dir = o.string("store_dir", s.store_dir);

  std::set<std::string> instruments, fix_symbols;
  for (const sdk::Options& entry : o.objects("symbols")) {
    entry.allow({"symbol", "fix_symbol"});
    Symbol symbol;
    symbol.instrument = entry.required_string("symbol");
    symbol.fix_symbol = fix_text(entry, entry.has("fix_symbol") ? "fix_symbol" : "symbol");
    if (!instruments.insert(symbol.instrument).second) entry.fail("symbol", "'" + symbol.instrument + "' listed twice");
    if (!fix_symbols.insert(symbol.fix_symbol).second)
      entry.fail("fix_symbol", "'" + symbol.fix_symbol + "' listed twice");
    s.fix_symbols.push_back(symbol.fix_symbol);
    out.symbols.push_back(std::move(symbol));
  }
  return out;
}

}  // namespace vigil::fixfeed
