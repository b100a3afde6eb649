#include "base64url.hpp"

#include <array>
#include <cstdint>

namespace vigil::base64url {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<int8_t, 256> make_table() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kValue = make_table();

int value(char c) {
  return kValue[static_cast<unsigned char>(c)];
}

// How many '=' end `text` given the padding rule, or -1 when they are wrong.
int padding_length(std::string_view text, Padding padding) {
  size_t pads = 0;
  while (pads < text.size() && pads < 3 && text[text.size() - 1 - pads] == '=') ++pads;
  if (padding == Padding::none) return pads == 0 && text.size() % 4 != 1 ? 0 : -1;
  if (text.size() % 4 != 0 || pads > 2) return -1;
  return static_cast<int>(pads);
}

}  // namespace

std::string encode(std::string_view bytes, Padding padding) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])); };
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  uint32_t n = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
  out.push_back(kAlphabet[(n >> 18) & 63]);
  out.push_back(kAlphabet[(n >> 12) & 63]);
  if (rest == 2) out.push_back(kAlphabet[(n >> 6) & 63]);
  if (padding == Padding::required) out.append(3 - rest, '=');
  return out;
}

std::optional<std::string> decode(std::string_view text, Padding padding) {
  int pads = padding_length(text, padding);
  if (pads < 0) return std::nullopt;
  text.remove_suffix(static_cast<size_t>(pads));
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  size_t i = 0;
  for (; i + 4 <= text.size(); i += 4) {
    int a = value(text[i]), b = value(text[i + 1]), c = value(text[i + 2]), d = value(text[i + 3]);
    if ((a | b | c | d) < 0) return std::nullopt;
    uint32_t n = static_cast<uint32_t>(a << 18 | b << 12 | c << 6 | d);
    out.push_back(static_cast<char>(n >> 16));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n));
  }
  size_t rest = text.size() - i;  // 0, 2 or 3: padding_length refused 1
  if (rest == 0) return out;
  int a = value(text[i]), b = value(text[i + 1]), c = rest == 3 ? value(text[i + 2]) : 0;
  if ((a | b | c) < 0) return std::nullopt;
  uint32_t n = static_cast<uint32_t>(a << 18 | b << 12 | c << 6);
  // The bits below the last whole byte must be zero (canonical text).
  if ((rest == 2 ? n & 0xffff : n & 0xff) != 0) return std::nullopt;
  out.push_back(static_cast<char>(n >> 16));
  if (rest == 3) out.push_back(static_cast<char>(n >> 8));
  return out;
}

}  // namespace vigil::base64url
