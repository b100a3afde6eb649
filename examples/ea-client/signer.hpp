// Signing an EA request as docs/http-api.md says: string_to_sign is
// METHOD \n PATH \n RAW_QUERY \n TIMESTAMP \n NONCE \n hex(sha256(body)),
// and the signature is the lowercase hex HMAC-SHA256 of it, keyed with the
// device secret's ASCII characters (the 64 hex characters, not 32 bytes).
//
// Threading: free functions, safe on any thread: the SHA-256 and HMAC
// algorithms are fetched from OpenSSL once for the process, each thread
// keeps its own HMAC context (re-keyed per call), and its own pool of
// random bytes for nonces, drawn from OpenSSL's generator 512 bytes at a
// time (a child process after fork() draws its own).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::ea {

std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
std::string string_to_sign(std::string_view method, std::string_view path, std::string_view raw_query,
                           std::string_view timestamp, std::string_view nonce, std::string_view body);

// The four X-* headers of one request.
struct SignedHeaders {
  std::string device_id;
  std::string timestamp;  // unix milliseconds
  std::string nonce;
  std::string signature;
};

struct Request {
  std::string_view method;
  std::string_view path;       // as the server sees it, e.g. /api/v1/client/poll
  std::string_view raw_query;  // without '?', "" when none
  std::string_view body;       // "" when none
};

// Signs with the given timestamp and nonce: deterministic, for tests.
SignedHeaders sign(const Request& request, std::string_view device_id, std::string_view secret, int64_t timestamp_ms,
                   std::string_view nonce);
// Signs now, with a fresh 32-character nonce.
SignedHeaders sign_now(const Request& request, std::string_view device_id, std::string_view secret);

// 16 random bytes as 32 lowercase hex characters (within [A-Za-z0-9_-]).
std::string random_nonce();

}  // namespace vigil::ea
