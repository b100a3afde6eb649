// Fresh random master keys for cipher tests, in both text forms, and key
// files with the permissions the ciphers insist on.
#pragma once

#include <sodium.h>
#include <sys/stat.h>

#include <string>

#include "tests/support/temp_dir.hpp"

namespace vigil::test {

// 64 hex characters, the form VIGIL_MASTER_KEY holds.
inline std::string random_hex_key() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  unsigned char key[32];
  randombytes_buf(key, sizeof key);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, key, sizeof key);
  return hex;
}

// URL-safe base64 of 32 bytes with padding: a standard Fernet key.
inline std::string random_fernet_key() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  unsigned char key[32];
  randombytes_buf(key, sizeof key);
  char text[64];
  sodium_bin2base64(text, sizeof text, key, sizeof key, sodium_base64_VARIANT_URLSAFE);
  return text;
}

// Writes `text` to `name` in `dir` with `mode` (0600 unless told); returns the path.
inline std::string write_key_file(const TempDir& dir, const std::string& name, const std::string& text,
                                  mode_t mode = 0600) {
  std::string path = dir.write(name, text);
  chmod(path.c_str(), mode);
  return path;
}

}  // namespace vigil::test
