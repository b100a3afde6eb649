// cipher-sodium: XChaCha20-Poly1305 (libsodium) with a key per client
// derived from the master key, and tokens bound to their client and field.
// See README.md for the options and the token format.
#include <sodium.h>

#include <string>

#include "associated_data.hpp"
#include "client_key.hpp"
#include "keyring.hpp"
#include "sodium_token.hpp"
#include "vigil/cpp/options.hpp"
#include "vigil/sdk.hpp"

namespace vigil::sodium_cipher {
namespace {

constexpr const char* kPlugin = "cipher-sodium";

keyring::KeyOptions parse_options(const std::string& options_json) {
  sdk::Options options(options_json, kPlugin);
  options.allow(keyring::key_option_names());
  return keyring::parse_key_options(options);
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

class SodiumCipher : public sdk::Cipher {
 public:
  explicit SodiumCipher(const sdk::CreateArgs& args) : host_(args.host), keys_(init_and_parse(args), kPlugin) {}

  sdk::CipherInfo info() const override { return {"xchacha20poly1305-ietf", kKeyBytes, keys_.current_version()}; }

  std::string encrypt(std::string_view context, std::string_view field, std::string_view plaintext) override {
    uint32_t version = keys_.current_version();
    keyring::WipedKey<kKeyBytes> key;
    client_key(keys_.current().data(), context, key.data());
    std::string ad = associated_data(version, context, field);
    std::string sealed(kNonceBytes + plaintext.size() + kTagBytes, '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(sealed.data());
    // Random 192-bit nonces: XChaCha20's nonce is long enough that random
    // ones never repeat in practice, so no counter state is needed.
    randombytes_buf(nonce, kNonceBytes);
    crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonceBytes, nullptr, bytes(plaintext), plaintext.size(),
                                               bytes(ad), ad.size(), nullptr, nonce, key.data());
    return format_token(version, sealed);
  }

  std::string decrypt(std::string_view context, std::string_view field, std::string_view text) override {
    Token token = parse_or_count(text);
    const keyring::SecretBytes* master = keys_.find(token.key_version);
    if (!master)
      refuse("token was made with key version " + std::to_string(token.key_version) +
             ", which is not configured (configured: " + keys_.versions_text() + ")");
    keyring::WipedKey<kKeyBytes> key;
    client_key(master->data(), context, key.data());
    std::string ad = associated_data(token.key_version, context, field);
    const unsigned char* nonce = bytes(token.sealed);
    std::string plaintext(token.sealed.size() - kNonceBytes - kTagBytes, '\0');
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plaintext.data()), nullptr, nullptr,
                                                   nonce + kNonceBytes, token.sealed.size() - kNonceBytes, bytes(ad),
                                                   ad.size(), nonce, key.data()) != 0)
      refuse("token is not authentic: forged, altered, or made for another client, field or key");
    return plaintext;
  }

  uint32_t token_key_version(std::string_view text) override { return parse_token(text).key_version; }

 private:
  static keyring::KeyOptions init_and_parse(const sdk::CreateArgs& args) {
    if (sodium_init() < 0) throw sdk::Error(VIGIL_INTERNAL, "cipher-sodium: libsodium could not initialise");
    return parse_options(args.options_json);
  }

  Token parse_or_count(std::string_view text) {
    try {
      return parse_token(text);
    } catch (const sdk::Error&) {
      count_failure();
      throw;
    }
  }

  [[noreturn]] void refuse(const std::string& why) {
    count_failure();
    throw sdk::Error(VIGIL_UNAUTHENTICATED, std::string(kPlugin) + ": " + why);
  }

  // Refused tokens are worth watching: a burst of them means tampering or a
  // key that went missing from the configuration.
  void count_failure() const { host_.counter_add("vigil_cipher_decrypt_failures_total{cipher=\"cipher-sodium\"}"); }

  sdk::Host host_;
  keyring::Keyring keys_;
};

}  // namespace
}  // namespace vigil::sodium_cipher

VIGIL_PLUGIN("cipher-sodium", "1.0.0", "XChaCha20-Poly1305 with per-client keys (libsodium)",
             vigil::sdk::cipher<vigil::sodium_cipher::SodiumCipher>())
