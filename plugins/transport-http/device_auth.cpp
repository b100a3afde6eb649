#include "device_auth.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>

#include "app_reply.hpp"
#include "signature.hpp"

namespace vigil::http {
namespace {

bool all_of(std::string_view text, bool (*ok)(char)) {
  for (char c : text)
    if (!ok(c)) return false;
  return true;
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}
bool nonce_char(char c) {
  return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}
bool lower_hex(char c) {
  return digit(c) || (c >= 'a' && c <= 'f');
}

// Milliseconds as the whole seconds of a Retry-After header, rounded up.
int whole_seconds(int64_t ms) {
  return static_cast<int>(std::max<int64_t>(1, (ms + 999) / 1000));
}

HttpReply unauthorized(std::string_view code, std::string_view message) {
  return error_reply(401, code, message);
}

// One answer for a replay, whether this host or another saw the nonce first.
HttpReply replayed_nonce() {
  return unauthorized("replayed_nonce", "This nonce was already used.");
}

// The first malformed or missing header, as a refusal; nullopt when fine.
std::optional<HttpReply> check_headers(const DeviceHeaders& h) {
  if (h.device_id.empty() || h.timestamp.empty() || h.nonce.empty() || h.signature.empty()) {
    std::string missing = h.device_id.empty()   ? "X-Device-Id"
                          : h.timestamp.empty() ? "X-Timestamp"
                          : h.nonce.empty()     ? "X-Nonce"
                                                : "X-Signature";
    return unauthorized("missing_auth_header", "The " + missing + " header is missing.");
  }
  if (h.timestamp.size() > 15 || !all_of(h.timestamp, digit))
    return unauthorized("malformed_auth_header", "X-Timestamp must be unix time in milliseconds.");
  if (h.nonce.size() < 16 || h.nonce.size() > 64 || !all_of(h.nonce, nonce_char))
    return unauthorized("malformed_auth_header", "X-Nonce must be 16 to 64 characters of [A-Za-z0-9_-].");
  if (h.signature.size() != 64 || !all_of(h.signature, lower_hex))
    return unauthorized("malformed_auth_header", "X-Signature must be 64 lowercase hex characters.");
  if (h.device_id.size() > 128) return unauthorized("malformed_auth_header", "X-Device-Id is too long.");
  return std::nullopt;
}

}  // namespace

DeviceAuth::DeviceAuth(const AppClient& app, AuthOptions options)
    : app_(app),
      options_(options),
      nonces_(2 * options.window_ms, options.max_nonces_per_device),
      rates_(options.requests_per_second, options.burst) {}

std::optional<std::string_view> DeviceAuth::authenticate(const HttpRequest& request, int64_t now_ms,
                                                         HttpReply& refusal) {
  const DeviceHeaders& h = request.device;
  if (auto bad = check_headers(h)) return refusal = std::move(*bad), std::nullopt;
  int64_t timestamp = 0;
  std::from_chars(h.timestamp.data(), h.timestamp.data() + h.timestamp.size(), timestamp);  // 1-15 digits: fits
  if (timestamp < now_ms - options_.window_ms || timestamp > now_ms + options_.window_ms)
    return refusal = unauthorized("stale_timestamp", "X-Timestamp is too far from the server's clock."), std::nullopt;
  // One buffer per server thread: the text is only read during the call.
  // Only the server's own threads get here, and they end (destroying it)
  // before the plugin can be unloaded.
  thread_local std::string text;
  write_string_to_sign(text, request.method, request.path, request.query, h.timestamp, h.nonce, request.body);
  DeviceVerdict verdict = app_.verify_device(h.device_id, text, h.signature);
  switch (verdict.status) {
    case VIGIL_OK:
      break;
    case VIGIL_UNAUTHENTICATED:
      // Our own words, not the host's: the answer must not vary with why.
      return refusal = unauthorized("unauthenticated", "The device or its signature is not valid."), std::nullopt;
    case VIGIL_UNAVAILABLE:
      return refusal = error_reply(503, "unavailable", "The server cannot check signatures now; retry shortly."),
             std::nullopt;
    default:
      throw InternalFailure("verify_device: " + verdict.message);
  }
  switch (nonces_.use(h.device_id, h.nonce, now_ms)) {
    case NonceCache::Verdict::replayed:
      return refusal = replayed_nonce(), std::nullopt;
    case NonceCache::Verdict::full:
      refusal = error_reply(429, "nonce_cache_full",
                            "This device used more nonces in the signature window than the server keeps.");
      // A nonce is remembered for twice the window: by then room has been made.
      refusal.retry_after_seconds = whole_seconds(2 * options_.window_ms);
      return std::nullopt;
    case NonceCache::Verdict::fresh:
      break;
  }
  if (!rates_.allow(h.device_id, now_ms)) {
    refusal = error_reply(429, "rate_limited", "Too many requests from this device.");
    // The bucket holds less than one token: one more arrives within 1/rate seconds.
    refusal.retry_after_seconds = whole_seconds(static_cast<int64_t>(std::ceil(1000.0 / options_.requests_per_second)));
    return std::nullopt;
  }
  // Last, so that a refused or rate-limited request costs no store round
  // trip: it did not run, so its nonce need not be refused elsewhere.
  if (auto refused = claim_for_cluster(h, timestamp)) return refusal = std::move(*refused), std::nullopt;
  return h.device_id;
}

std::optional<HttpReply> DeviceAuth::claim_for_cluster(const DeviceHeaders& h, int64_t timestamp) const {
  // Runs on the request's own thread and may block on the host's store (one
  // PostgreSQL round trip when hosts share one): a nonce must be claimed
  // for every host before the request runs, or another host could run its
  // replay. One host alone answers at once.
  DeviceVerdict claim = app_.claim_nonce(h.device_id, h.nonce, timestamp + options_.window_ms);
  switch (claim.status) {
    case VIGIL_OK:
      return std::nullopt;
    case VIGIL_CONFLICT:
      return replayed_nonce();
    case VIGIL_UNAVAILABLE:
      return error_reply(503, "unavailable", "The server cannot check nonces now; retry shortly.");
    default:
      throw InternalFailure("claim_nonce: " + claim.message);
  }
}

}  // namespace vigil::http
