// A request's query string as name -> value, percent-decoded ('+' is a
// space), for the admin lists' filters.
//
// Header-only: the plugin and its tests compile it where they use it.
// Errors: a name given twice, an empty name or a malformed %-escape throws
// std::invalid_argument whose message names the parameter ("parameter
// 'state': given twice"), for a 400.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vigil::http {
namespace query_detail {

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `what` names the parameter in the error: the name itself once known.
inline std::string decode(std::string_view text, const std::string& what) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
      int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (high < 0 || low < 0) throw std::invalid_argument(what + ": a '%' not followed by two hex digits");
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return out;
}

}  // namespace query_detail

inline std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name = query_detail::decode(pair.substr(0, eq), "a parameter's name");
    if (name.empty()) throw std::invalid_argument("a parameter without a name");
    std::string label = "parameter '" + name.substr(0, 64) + "'";
    std::string value = eq == std::string_view::npos ? std::string() : query_detail::decode(pair.substr(eq + 1), label);
    if (!out.emplace(name, std::move(value)).second) throw std::invalid_argument(label + ": given twice");
  }
  return out;
}

}  // namespace vigil::http
