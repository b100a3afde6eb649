// A minimal host for fuzzing a cipher compiled into the fuzzer: no logging,
// a fixed clock, no metrics. The cipher is created once, from a fixed master
// key in the environment, and driven through its vtable as the host would.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "vigil/cipher.h"

extern "C" const vigil_plugin* vigil_plugin_v1(void);

namespace vigil::fuzz {

// The master key every fuzzed cipher uses, as bytes 0, 1, ..., 31.
inline constexpr const char* kMasterHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
// The fixed clock: 2024-01-01T00:00:00Z.
inline constexpr int64_t kNowMs = 1704067200000;

struct Cipher {
  const vigil_cipher_vtable* vtable = nullptr;
  void* instance = nullptr;
};

inline const Cipher& cipher(std::string_view options_json) {
  static const Cipher created = [&] {
    static vigil_host host{sizeof(vigil_host),
                           nullptr,
                           [](void*, int32_t, vigil_str) {},
                           [](void*) -> int64_t { return kNowMs; },
                           [](void*) -> int64_t { return 0; },
                           [](void*, vigil_str, double) {},
                           [](void*, vigil_str, double) {},
                           nullptr};
    setenv("VIGIL_FUZZ_KEY", kMasterHex, 1);
    Cipher c;
    const vigil_plugin* plugin = vigil_plugin_v1();
    c.vtable = static_cast<const vigil_cipher_vtable*>(plugin->components[0].vtable);
    vigil_create_args args{sizeof args, {options_json.data(), options_json.size()}, {"fuzz", 4}, &host};
    if (c.vtable->create(&args, &c.instance, nullptr) != VIGIL_OK) std::abort();
    return c;
  }();
  return created;
}

// Runs decrypt; returns its status and fills `plaintext`.
inline vigil_status decrypt(const Cipher& c, std::string_view context, std::string_view token, std::string& plaintext) {
  vigil_sink sink{sizeof sink, &plaintext, [](void* ctx, const char* data, size_t size) -> vigil_status {
                    static_cast<std::string*>(ctx)->append(data, size);
                    return VIGIL_OK;
                  }};
  char text[256];
  vigil_error error{sizeof error, text, sizeof text};
  return c.vtable->decrypt(c.instance, {context.data(), context.size()}, {"payload", 7}, {token.data(), token.size()},
                           &sink, &error);
}

inline std::string encrypt(const Cipher& c, std::string_view context, std::string_view plaintext) {
  std::string token;
  vigil_sink sink{sizeof sink, &token, [](void* ctx, const char* data, size_t size) -> vigil_status {
                    static_cast<std::string*>(ctx)->append(data, size);
                    return VIGIL_OK;
                  }};
  if (c.vtable->encrypt(c.instance, {context.data(), context.size()}, {"payload", 7},
                        {plaintext.data(), plaintext.size()}, &sink, nullptr) != VIGIL_OK)
    std::abort();
  return token;
}

// A refused token must leave the output empty; an accepted one must be
// exactly what was sealed (when the fuzzer sealed it).
inline void check_refusal(vigil_status status, const std::string& plaintext) {
  if (status != VIGIL_OK && !plaintext.empty()) std::abort();
}

}  // namespace vigil::fuzz
