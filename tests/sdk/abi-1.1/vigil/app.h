/*
 * Vigil plugin ABI — the application API: how driving components (feeds,
 * transports) call into the host.
 *
 * A feed publishes ticks; a transport turns requests from the wire into
 * application calls and waits for close commands. Reached through
 * `vigil_host.app`, NULL for driven kinds.
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
} vigil_app;

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_APP_H */
