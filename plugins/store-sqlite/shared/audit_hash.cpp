#include "audit_hash.hpp"

#include <sodium.h>

#include <array>

namespace vigil::store {
namespace {

void append_field(std::string& out, std::string_view bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
  out += '\n';
}

}  // namespace

std::string audit_canonical_form(const AuditFields& row) {
  std::string out;
  out.reserve(160 + row.entity.size() + row.entity_id.size() + row.action.size() + row.detail_json.size());
  append_field(out, std::to_string(row.seq));
  append_field(out, std::to_string(row.at));
  append_field(out, row.entity);
  append_field(out, row.entity_id);
  append_field(out, row.action);
  append_field(out, row.detail_json);
  append_field(out, row.prev_hash);
  return out;
}

std::string audit_hash(const AuditFields& row) {
  // crypto_hash_sha256 needs no sodium_init (it uses no random numbers).
  std::string text = audit_canonical_form(row);
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

}  // namespace vigil::store
