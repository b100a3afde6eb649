/*
 * Vigil plugin ABI — the application API: how driving components (feeds,
 * transports) call into the host.
 *
 * A feed publishes ticks; a transport turns requests from the wire into
 * application calls and waits for close commands. Reached through
 * `vigil_host.app`, NULL for driven kinds.
 *
 * Operations a transport may run through `call`. Request and answer bodies
 * are JSON, described by the JSON Schemas in the repository's schemas/api/
 * (named below; every error answer is error.json,
 * {"error":{"code","message"}}). An unknown operation answers
 * VIGIL_UNSUPPORTED, error code "unsupported_operation".
 *
 *   Anyone (principal empty, no credentials):
 *     system.health   answer {"status":"ok"|"degraded",...}: counts and
 *                     states only; VIGIL_UNAVAILABLE when degraded
 *     system.metrics  answer: Prometheus text (not JSON)
 *
 *   An operator: principal empty, params {"bearer": TOKEN} equal to the
 *   host's admin token (else VIGIL_UNAUTHENTICATED; error code
 *   "admin_api_closed" when the host has none), plus the path parameters
 *   named:
 *     admin.create_client    body admin-clients.request.json,
 *                            answer admin-clients.response.json
 *     admin.create_device    params client_id; body admin-devices.request.json,
 *                            answer admin-devices.response.json
 *     admin.create_signal    body admin-signals.request.json,
 *                            answer admin-signals.response.json
 *     admin.get_position     params position_id;
 *                            answer admin-position.response.json
 *     admin.close_position   params position_id; body admin-close.request.json,
 *                            answer admin-close.response.json
 *     admin.alerts           answer admin-alerts.response.json
 *     admin.slippage_report  answer admin-slippage-report.response.json
 *     admin.health           answer admin-health.response.json
 *     admin.push_tick        body admin-ticks.request.json,
 *                            answer admin-ticks.response.json
 *
 *   A device: principal = its device id, and only once `verify_device`
 *   accepted the request's signature for that id (the transport's duty):
 *     client.poll                answer client-poll.response.json
 *     client.ack                 body client-ack.request.json,
 *                                answer client-ack.response.json
 *     client.close_commands      answer client-close-commands.response.json
 *     client.close_ack           body client-close-ack.request.json,
 *                                answer client-close-ack.response.json
 *     client.positions_snapshot  body client-positions-snapshot.request.json,
 *                                answer client-positions-snapshot.response.json
 */
#ifndef VIGIL_APP_H
#define VIGIL_APP_H

#include "vigil/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One price update of one instrument.
 * OWNERSHIP: caller-owned, valid during the call only. */
typedef struct vigil_tick {
  size_t struct_size;
  vigil_str instrument;
  /* Decimal text with at most the instrument's digits ("1.1", "1.10000").
   * Empty means "unchanged since the previous tick of this instrument"
   * (MetaTrader exports update one side at a time). */
  vigil_str bid;
  vigil_str ask;
  int64_t time_unix_ms; /* source time */
  /* Source-defined position of the tick, e.g. the 0-based data row of a tick
   * file; -1 when the source has none. Reported back in close events. */
  int64_t sequence;
} vigil_tick;

/* An application call made by a transport on behalf of a caller.
 * OWNERSHIP: caller-owned, valid during the call only. */
typedef struct vigil_app_request {
  size_t struct_size;
  /* The operation, e.g. "client.poll" (the host documents its operations;
   * an unknown one answers VIGIL_UNSUPPORTED). */
  vigil_str operation;
  /* Who is calling, as authenticated by the transport: a device id, or
   * empty for an administrator. */
  vigil_str principal;
  /* Path and query parameters, as a JSON object. */
  vigil_str params_json;
  /* The request body, JSON text (empty when none). */
  vigil_str body_json;
} vigil_app_request;

/* The outcome of an application call. The JSON answer (or, on failure, the
 * error object) goes to the sink passed alongside. */
typedef struct vigil_app_reply {
  size_t struct_size;
  vigil_status status;
  /* snake_case error code on failure, NUL-terminated. */
  char error_code[64];
} vigil_app_reply;

typedef struct vigil_app {
  size_t struct_size;
  void* ctx;
  /* Feeds: hands one tick to the engine. Thread-safe. Returns
   * VIGIL_INVALID_ARGUMENT with a message naming the field ("bid", "ask",
   * "instrument") when the tick is malformed or its instrument unknown; the
   * feed adds where the tick came from (file and line) and decides whether
   * to stop or skip. */
  vigil_status (*publish_tick)(void* ctx, const vigil_tick* tick,
                               vigil_error* error);
  /* Transports: runs one application call. Thread-safe. */
  vigil_status (*call)(void* ctx, const vigil_app_request* request,
                       vigil_sink* answer, vigil_app_reply* reply);
  /* Transports: asks to be woken (on any host thread, so `wake` must be
   * quick and thread-safe) whenever device `device_id` may have new close
   * commands. Returns a token for unwatch; never 0. */
  uint64_t (*watch)(void* ctx, vigil_str device_id, void (*wake)(void* user),
                    void* user);
  /* Stops a watch. When it returns, `wake` is not running and will not run
   * again for that token. */
  void (*unwatch)(void* ctx, uint64_t token);

  /* --- since 1.2 (check with VIGIL_HAS_FIELD; NULL when the host offers
   * no device verification) --- */
  /* Transports: checks a device's request signature inside the host, so
   * that no device secret ever crosses the ABI. `signature_hex` must be the
   * lowercase hex of HMAC-SHA256(the device's secret, `string_to_sign`),
   * string_to_sign as docs/http-api.md builds it (the transport hashes
   * the body). The host compares in constant time and spends the same work
   * on a device it does not know. Thread-safe.
   * Return value: VIGIL_OK when the signature is valid for an active
   * device; VIGIL_UNAUTHENTICATED for an unknown device, an inactive device
   * and a bad signature alike, with the same message, so that device ids
   * cannot be probed (answer them alike too); VIGIL_UNAVAILABLE when the
   * host cannot answer now (its store), the caller may retry;
   * VIGIL_INTERNAL otherwise (the message is for the log, not the caller).
   * OWNERSHIP: the strings are borrowed for the call; `error` is the
   * caller's, filled with a sentence unless the status is VIGIL_OK. */
  vigil_status (*verify_device)(void* ctx, vigil_str device_id,
                                vigil_str string_to_sign,
                                vigil_str signature_hex, vigil_error* error);

  /* ABI 1.3; NULL from an older host. Claims a verified request's nonce
   * for every host of a cluster: call it after `verify_device` accepted the
   * request and the transport's own nonce memory did not know the nonce.
   * `expires_at` (unix ms) is when the nonce may be forgotten (its
   * timestamp plus the signature window). One host alone answers VIGIL_OK
   * at once (its transport's memory is the whole truth); hosts sharing a
   * store claim it there, so a request replayed to another host is refused.
   * Return value: VIGIL_OK claimed; VIGIL_CONFLICT already used (answer as
   * a replayed nonce); VIGIL_UNAVAILABLE the store cannot answer now (503);
   * VIGIL_INTERNAL otherwise. Thread-safe; strings borrowed for the call. */
  vigil_status (*claim_nonce)(void* ctx, vigil_str device_id, vigil_str nonce,
                              int64_t expires_at, vigil_error* error);
} vigil_app;

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_APP_H */
