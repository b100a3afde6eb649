// What a device signs (docs/http-api.md):
//   string_to_sign = METHOD \n PATH \n RAW_QUERY \n TIMESTAMP \n NONCE \n hex(SHA-256(body))
// The HMAC over it is the host's to check (vigil_app.verify_device): this
// plugin only builds the text, which holds no secret.
#pragma once

#include <string>
#include <string_view>

namespace vigil::http {

// hex(SHA-256("")): every GET signs it, so it is not computed per request.
inline constexpr std::string_view kEmptyBodySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string sha256_hex(std::string_view data);
std::string string_to_sign(std::string_view method, std::string_view path, std::string_view query,
                           std::string_view timestamp, std::string_view nonce, std::string_view body);
// The same text written into `out` (cleared first), so that a caller can
// keep one buffer per thread instead of allocating per request.
void write_string_to_sign(std::string& out, std::string_view method, std::string_view path, std::string_view query,
                          std::string_view timestamp, std::string_view nonce, std::string_view body);

}  // namespace vigil::http
