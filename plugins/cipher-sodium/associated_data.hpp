// What an AEAD tag of cipher-sodium vouches for besides the ciphertext: the
// token format, the key version, the context (client id) and the field.
// A token copied to another client or field, or relabelled with another key
// version, no longer matches its tag.
//
//   "xc1" ‖ be32(key version) ‖ be32(len context) ‖ context ‖ be32(len field) ‖ field
//
// Lengths in front of each string keep ("ab","c") and ("a","bc") apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::sodium_cipher {

std::string associated_data(uint32_t key_version, std::string_view context, std::string_view field);

}  // namespace vigil::sodium_cipher
