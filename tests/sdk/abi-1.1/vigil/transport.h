/*
 * Vigil plugin ABI — transports: how EAs and operators reach the host.
 *
 * A transport serves a protocol (HTTP for the default plugin), authenticates
 * callers and turns each request into `host->app->call`. It owns its
 * threads; `start` returns once it accepts connections.
 */
#ifndef VIGIL_TRANSPORT_H
#define VIGIL_TRANSPORT_H

#include "vigil/app.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vigil_transport_vtable {
  size_t struct_size;
  /* Required. See rule.h for the create/destroy contract. */
  vigil_status (*create)(const vigil_create_args* args, void** instance,
                         vigil_error* error);
  void (*destroy)(void* instance);
  /* Required. Starts serving; returns once listening (or an error naming the
   * address that could not be bound). */
  vigil_status (*start)(void* instance, vigil_error* error);
  /* Required. Answers requests in flight (parked long-polls included) and
   * stops serving. Idempotent. */
  void (*stop)(void* instance);
  /* Required. Writes where it listens, e.g. "http://127.0.0.1:8080". */
  vigil_status (*endpoint)(void* instance, vigil_sink* out, vigil_error* error);
} vigil_transport_vtable;

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_TRANSPORT_H */
