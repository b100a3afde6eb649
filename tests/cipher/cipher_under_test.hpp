// A cipher plugin loaded with the real loader, driven through its vtable the
// way the host drives it, with every call's status, output and message kept
// for the test to check.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tests/support/plugin_harness.hpp"
#include "vigil/cipher.h"

namespace vigil::test {

struct CipherResult {
  vigil_status status = VIGIL_INTERNAL;
  std::string out;    // token or plaintext; what the sink received
  std::string error;  // the plugin's message
  bool ok() const { return status == VIGIL_OK; }
};

class CipherUnderTest {
 public:
  // Throws core::ComponentError when create fails.
  CipherUnderTest(std::string_view plugin, std::string_view options_json)
      : harness_(plugin), cipher_(harness_.create<vigil_cipher_vtable>(VIGIL_KIND_CIPHER, options_json)) {}

  CipherResult encrypt(std::string_view context, std::string_view field, std::string_view plaintext) {
    return call([&](vigil_sink* sink, vigil_error* error) {
      return v()->encrypt(cipher_.instance(), str(context), str(field), str(plaintext), sink, error);
    });
  }
  CipherResult decrypt(std::string_view context, std::string_view field, std::string_view token) {
    return call([&](vigil_sink* sink, vigil_error* error) {
      return v()->decrypt(cipher_.instance(), str(context), str(field), str(token), sink, error);
    });
  }
  // `out` holds the version as decimal text when the call succeeds.
  CipherResult token_key_version(std::string_view token) {
    uint32_t version = 0;
    CipherResult r = call([&](vigil_sink*, vigil_error* error) {
      return v()->token_key_version(cipher_.instance(), str(token), &version, error);
    });
    if (r.ok()) r.out = std::to_string(version);
    return r;
  }
  vigil_cipher_info info() {
    vigil_cipher_info out{};
    out.struct_size = sizeof out;
    v()->describe(cipher_.instance(), &out);
    return out;
  }
  // The token for `plaintext`, failing the test if encrypt does not succeed.
  std::string seal(std::string_view context, std::string_view field, std::string_view plaintext);
  core::Metrics& metrics() { return harness_.metrics(); }

 private:
  static vigil_str str(std::string_view s) { return {s.data(), s.size()}; }
  const vigil_cipher_vtable* v() const { return cipher_.vtable(); }

  template <class Call>
  CipherResult call(Call&& body) {
    CipherResult r;
    sdk::StringSink sink(r.out);
    core::ErrorBuffer error;
    r.status = body(sink.get(), error.get());
    r.error = error.text;
    return r;
  }

  PluginHarness harness_;
  core::Component<vigil_cipher_vtable> cipher_;
};

inline std::string CipherUnderTest::seal(std::string_view context, std::string_view field, std::string_view plaintext) {
  CipherResult r = encrypt(context, field, plaintext);
  if (!r.ok()) throw std::runtime_error("encrypt failed: " + r.error);
  return r.out;
}

}  // namespace vigil::test
