#include "associated_data.hpp"

#include <stdexcept>

#include "sodium_token.hpp"

namespace vigil::sodium_cipher {
namespace {

void append_be32(std::string& out, uint64_t value) {
  if (value > UINT32_MAX) throw std::invalid_argument("cipher-sodium: context or field longer than 4 GiB");
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

}  // namespace

std::string associated_data(uint32_t key_version, std::string_view context, std::string_view field) {
  std::string out(kTokenTag);
  out.reserve(out.size() + 12 + context.size() + field.size());
  append_be32(out, key_version);
  append_be32(out, context.size());
  out.append(context);
  append_be32(out, field.size());
  out.append(field);
  return out;
}

}  // namespace vigil::sodium_cipher
