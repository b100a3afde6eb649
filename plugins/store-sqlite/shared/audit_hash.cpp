#include "audit_hash.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <stdexcept>

namespace vigil::store {
namespace {

// OpenSSL's SHA-256, fetched once and freed when the plugin is unloaded (or
// the process exits; this destructor runs before OpenSSL's own cleanup,
// which was registered first), so leak checkers see nothing left behind.
class Sha256 {
 public:
  Sha256() : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)) {}
  ~Sha256() { EVP_MD_free(md_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  const EVP_MD* get() const noexcept { return md_; }

 private:
  EVP_MD* md_;
};

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
  constexpr unsigned int kBytes = 32;  // SHA-256
  // OpenSSL's SHA-256 (CPU SHA instructions where there are some), its
  // algorithm fetched once: 0.4 us for a 200-byte row on this server's CPU
  // against 1.1 us for libsodium's portable code, and every appended row is
  // hashed inside the writer's transaction.
  static const Sha256 sha256_holder;
  const EVP_MD* sha256 = sha256_holder.get();
  std::string text = audit_canonical_form(row);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (!sha256 || EVP_Digest(text.data(), text.size(), digest.data(), &size, sha256, nullptr) != 1 || size != kBytes)
    throw std::runtime_error("audit_hash: OpenSSL's SHA-256 is unavailable");
  std::array<char, kBytes * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), kBytes);
  return std::string(hex.data(), kBytes * 2);
}

}  // namespace vigil::store
