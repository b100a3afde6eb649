// What a device signs (CONTRACT.md section 2):
//   string_to_sign = METHOD \n PATH \n RAW_QUERY \n TIMESTAMP \n NONCE \n hex(SHA-256(body))
// The HMAC over it is the host's to check (vigil_app.verify_device): this
// plugin only builds the text, which holds no secret.
#pragma once

#include <string>
#include <string_view>

namespace vigil::http {

std::string sha256_hex(std::string_view data);
std::string string_to_sign(std::string_view method, std::string_view path, std::string_view query,
                           std::string_view timestamp, std::string_view nonce, std::string_view body);

}  // namespace vigil::http
