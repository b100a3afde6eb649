// The device signature of CONTRACT.md section 2:
//   string_to_sign = METHOD \n PATH \n RAW_QUERY \n TIMESTAMP \n NONCE \n hex(SHA-256(body))
//   signature      = hex(HMAC-SHA256(device_secret as ASCII bytes, string_to_sign))
#pragma once

#include <string>
#include <string_view>

namespace vigil::http {

std::string sha256_hex(std::string_view data);
std::string string_to_sign(std::string_view method, std::string_view path, std::string_view query,
                           std::string_view timestamp, std::string_view nonce, std::string_view body);
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
// Compares two signatures in constant time (for equal lengths).
bool same_signature(std::string_view expected, std::string_view given);

}  // namespace vigil::http
