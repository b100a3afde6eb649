// cipher-fernet: the Fernet token format, for integrators whose tokens come
// from (or go to) another Fernet implementation. See README.md for the
// options, the per-client keys and the limits.
#include <openssl/rand.h>

#include <string>

#include "fernet.hpp"
#include "fernet_keys.hpp"
#include "fernet_options.hpp"
#include "vigil/sdk.hpp"

namespace vigil::fernet {
namespace {

constexpr const char* kPlugin = "cipher-fernet";

vigil_status status_of(FernetError::Kind kind) {
  return kind == FernetError::Kind::malformed ? VIGIL_INVALID_ARGUMENT : VIGIL_UNAUTHENTICATED;
}

class FernetCipher : public sdk::Cipher {
 public:
  explicit FernetCipher(const sdk::CreateArgs& args)
      : host_(args.host), options_(parse_options(args.options_json)), keys_(keyring::Keyring(options_.keys, kPlugin)) {}

  sdk::CipherInfo info() const override {
    return {"fernet-aes128cbc-hmacsha256", static_cast<uint32_t>(kKeyBytes), keys_.keyring().current_version()};
  }

  std::string encrypt(std::string_view context, std::string_view field, std::string_view plaintext) override {
    keyring::WipedKey<kKeyBytes> key;
    keys_.key_for(keys_.keyring().current_version(), context, field, key.data());
    unsigned char iv[kIvBytes];
    if (RAND_bytes(iv, sizeof iv) != 1)
      throw sdk::Error(VIGIL_UNAVAILABLE, "cipher-fernet: no random bytes for the IV");
    return fernet::encrypt(Key(key.data(), kKeyBytes), plaintext, static_cast<uint64_t>(now_seconds()),
                           Iv(iv, kIvBytes));
  }

  // The token does not say which key version made it (the spec fixes the
  // format), so each configured key is tried, the current one first.
  std::string decrypt(std::string_view context, std::string_view field, std::string_view text) override {
    try {
      Token token = parse(text);
      for (uint32_t version : keys_.keyring().trial_order()) {
        keyring::WipedKey<kKeyBytes> key;
        keys_.key_for(version, context, field, key.data());
        if (authentic(token, Key(key.data(), kKeyBytes)))
          return open(token, Key(key.data(), kKeyBytes), now_seconds(), options_.ttl_seconds);
      }
      throw FernetError(FernetError::Kind::unauthentic,
                        "cipher-fernet: token is not authentic under any configured key (versions " +
                            keys_.keyring().versions_text() +
                            "): forged, altered, or made for another client or field");
    } catch (const FernetError& e) {
      host_.counter_add("vigil_cipher_decrypt_failures_total{cipher=\"cipher-fernet\"}");
      throw sdk::Error(status_of(e.kind()), e.what());
    }
  }

  uint32_t token_key_version(std::string_view) override {
    throw sdk::Error(VIGIL_UNSUPPORTED,
                     "cipher-fernet: a Fernet token does not record its key version (the format is fixed by the "
                     "spec); decrypt tries every configured key, so re-encrypt tokens to move them to the current one");
  }

 private:
  // Whole seconds, as Fernet stamps and compares them.
  int64_t now_seconds() const { return host_.now_unix_ms() / 1000; }

  sdk::Host host_;
  Options options_;
  FernetKeys keys_;
};

}  // namespace
}  // namespace vigil::fernet

VIGIL_PLUGIN("cipher-fernet", "1.0.0",
             "Fernet tokens (AES-128-CBC + HMAC-SHA256), interoperable with other Fernet code",
             vigil::sdk::cipher<vigil::fernet::FernetCipher>())
