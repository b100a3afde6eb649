/*
 * Vigil plugin ABI — feeds: sources of market prices.
 *
 * A feed instance runs on a thread the host gives it and publishes ticks
 * through `host->app->publish_tick`. Several feeds may run at once.
 */
#ifndef VIGIL_FEED_H
#define VIGIL_FEED_H

#include "vigil/app.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A snapshot of a feed's health, filled by the feed. */
typedef struct vigil_feed_health {
  size_t struct_size;
  int32_t connected;          /* 1 when the source is reachable */
  int64_t last_tick_unix_ms;  /* source time of the last tick, 0 if none */
  uint64_t ticks_published;
  uint64_t rows_skipped;      /* malformed input skipped by configuration */
  uint64_t reconnects;
  /* 1.3. Why the feed is failing now (or could not tell its health), a
   * sentence; left empty while it is well. The host shows a non-empty one
   * in /healthz (degraded) and /metrics and logs each change. A feed writes
   * it only when VIGIL_HAS_FIELD(out, vigil_feed_health, error): a host
   * that sized the struct for it. A 1.0 feed never touches it.
   * OWNERSHIP: the host's buffer; the host sets it to an empty string
   * before the call, the feed writes into it during the call. */
  vigil_error error;
} vigil_feed_health;

typedef struct vigil_feed_vtable {
  size_t struct_size;
  /* Required. See rule.h for the create/destroy contract. */
  vigil_status (*create)(const vigil_create_args* args, void** instance,
                         vigil_error* error);
  void (*destroy)(void* instance);
  /* Required. Runs the feed on the calling thread until its data ends or
   * `stop` is called (both VIGIL_OK), or a fatal error (a status and a
   * message naming where: file and line, host and port...). */
  vigil_status (*run)(void* instance, vigil_error* error);
  /* Required. Makes `run` return soon. Thread-safe; may come before `run`. */
  void (*stop)(void* instance);
  /* Required. Thread-safe. The host sets out->struct_size (and, from 1.3,
   * an empty out->error) before calling; a feed that fails reports it in
   * out->error, since this call returns nothing. */
  void (*health)(void* instance, vigil_feed_health* out);
} vigil_feed_vtable;

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_FEED_H */
