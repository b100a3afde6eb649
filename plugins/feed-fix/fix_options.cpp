#include "fix_options.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace vigil::fixfeed {
namespace {

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument("feed-fix: option " + key + ": " + why);
}

std::string text(const nlohmann::json& value, const std::string& key) {
  if (!value.is_string() || value.get<std::string>().empty()) fail(key, "expected a non-empty string");
  return value.get<std::string>();
}

// FIX fields are delimited by SOH and '=' separates tag from value; a comp
// id or symbol holding either would corrupt every message.
std::string fix_text(const nlohmann::json& value, const std::string& key) {
  std::string out = text(value, key);
  for (char c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == '=') fail(key, "'" + out + "' holds a character FIX cannot carry");
  return out;
}

int integer(const nlohmann::json& value, const std::string& key, int min, int max) {
  if (!value.is_number_integer() || value.get<int64_t>() < min || value.get<int64_t>() > max)
    fail(key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return value.get<int>();
}

}  // namespace

Options parse_options(const std::string& json_text) {
  nlohmann::json json = nlohmann::json::parse(json_text, nullptr, false);
  if (!json.is_object()) fail("(all)", "expected a mapping");
  static const std::set<std::string> kKnown = {"host",
                                               "port",
                                               "sender_comp_id",
                                               "target_comp_id",
                                               "symbols",
                                               "heartbeat_seconds",
                                               "reconnect_seconds",
                                               "reset_on_logon",
                                               "store_dir"};
  for (const auto& [key, value] : json.items())
    if (!kKnown.count(key)) fail(key, "unknown option");
  for (const char* key : {"host", "port", "sender_comp_id", "target_comp_id", "symbols"})
    if (!json.contains(key)) fail(key, "missing");

  Options out;
  SessionConfig& s = out.session;
  s.host = text(json["host"], "host");
  s.port = integer(json["port"], "port", 1, 65535);
  s.sender_comp_id = fix_text(json["sender_comp_id"], "sender_comp_id");
  s.target_comp_id = fix_text(json["target_comp_id"], "target_comp_id");
  if (json.contains("heartbeat_seconds"))
    s.heartbeat_seconds = integer(json["heartbeat_seconds"], "heartbeat_seconds", 1, 3600);
  if (json.contains("reconnect_seconds"))
    s.reconnect_seconds = integer(json["reconnect_seconds"], "reconnect_seconds", 1, 3600);
  if (json.contains("reset_on_logon")) {
    if (!json["reset_on_logon"].is_boolean()) fail("reset_on_logon", "expected true or false");
    s.reset_on_logon = json["reset_on_logon"];
  }
  if (json.contains("store_dir")) s.store_dir = text(json["store_dir"], "store_dir");

  const nlohmann::json& symbols = json["symbols"];
  if (!symbols.is_array() || symbols.empty()) fail("symbols", "expected a non-empty list of {symbol, fix_symbol}");
  std::set<std::string> instruments, fix_symbols;
  for (size_t i = 0; i < symbols.size(); ++i) {
    std::string at = "symbols[" + std::to_string(i) + "]";
    const nlohmann::json& entry = symbols[i];
    if (!entry.is_object()) fail(at, "expected a mapping {symbol, fix_symbol}");
    for (const auto& [key, value] : entry.items())
      if (key != "symbol" && key != "fix_symbol") fail(at + "." + key, "unknown option");
    if (!entry.contains("symbol")) fail(at + ".symbol", "missing");
    Symbol symbol;
    symbol.instrument = text(entry["symbol"], at + ".symbol");
    symbol.fix_symbol = entry.contains("fix_symbol") ? fix_text(entry["fix_symbol"], at + ".fix_symbol")
                                                     : fix_text(entry["symbol"], at + ".symbol");
    if (!instruments.insert(symbol.instrument).second) fail(at + ".symbol", "'" + symbol.instrument + "' listed twice");
    if (!fix_symbols.insert(symbol.fix_symbol).second)
      fail(at + ".fix_symbol", "'" + symbol.fix_symbol + "' listed twice");
    s.fix_symbols.push_back(symbol.fix_symbol);
    out.symbols.push_back(std::move(symbol));
  }
  return out;
}

}  // namespace vigil::fixfeed
