/*
 * Vigil plugin ABI — the common part: versions, status codes, borrowed
 * strings, output sinks, host services and the plugin descriptor.
 *
 * This header is the contract between the Vigil host and every plugin
 * library. It is plain C so that any compiler, any C++ standard library and
 * any language with a C FFI can implement a plugin.
 *
 * Rules that hold for every function of the ABI:
 *  - Only C types cross the boundary. No exception may escape a plugin
 *    function; errors are a status code plus a message written into a
 *    caller-owned `vigil_error` buffer.
 *  - Every struct and every vtable begins with `size_t struct_size`, set by
 *    whoever fills it to `sizeof` as that side was compiled. Fields are only
 *    ever appended, so a reader checks `VIGIL_HAS_FIELD` before touching a
 *    field added after 1.0.
 *  - OWNERSHIP is stated in each doc block. Strings handed in (`vigil_str`)
 *    are borrowed for the duration of the call. Bytes handed out go through a
 *    caller-owned `vigil_sink`, so the receiver always owns what it receives.
 *
 * Version rule: the host loads a plugin when the majors are equal and the
 * host's minor is greater than or equal to the plugin's minor.
 */
#ifndef VIGIL_ABI_H
#define VIGIL_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_ABI_MAJOR 1
/* 1.1: rule groups, close_other and detach (rule.h)
 * 1.2: verify_device, the host checks a device's request signature (app.h)
 * 1.3: several hosts on one store: leases, fences, nonces and change
 *      waits (store.h); claim_nonce (app.h); a feed's health error
 *      (feed.h) */
#define VIGIL_ABI_MINOR 3

/* First field of the descriptor: "VIGL" read as a little-endian uint32. */
#define VIGIL_PLUGIN_MAGIC 0x4C474956u

/* The one symbol every plugin library exports (see vigil_entry_fn). */
#define VIGIL_ENTRY_SYMBOL "vigil_plugin_v1"

#if defined(_WIN32)
#define VIGIL_EXPORT __declspec(dllexport)
#else
#define VIGIL_EXPORT __attribute__((visibility("default")))
#endif

/* True when the struct at `ptr` (of type `type`) is large enough to hold
 * `field`, i.e. whoever filled it knew about that field. */
#define VIGIL_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* ---------------------------------------------------------------- status */

/* Status of every fallible call. 0 is success; the rest name a category the
 * host maps to its own errors (for instance HTTP status codes). */
typedef int32_t vigil_status;
enum {
  VIGIL_OK = 0,
  VIGIL_INVALID_ARGUMENT = 1, /* bad input: the message names the field */
  VIGIL_NOT_FOUND = 2,
  VIGIL_CONFLICT = 3,        /* violates a uniqueness or state rule */
  VIGIL_UNAVAILABLE = 4,     /* transient: the caller may retry */
  VIGIL_UNAUTHENTICATED = 5, /* bad credentials, signature or key */
  VIGIL_UNSUPPORTED = 6,     /* operation not provided by this component */
  VIGIL_INTERNAL = 7         /* anything else; the message says what */
};

/* A borrowed byte string, not necessarily NUL-terminated.
 * OWNERSHIP: the giver keeps it; valid only during the call it is passed to. */
typedef struct vigil_str {
  const char* data;
  size_t size;
} vigil_str;

/* Error message buffer, owned by the caller of a fallible function.
 * The callee writes a NUL-terminated human sentence, truncated to fit
 * `capacity`. A NULL `message` or zero capacity means "no message wanted". */
typedef struct vigil_error {
  size_t struct_size;
  char* message;
  size_t capacity;
} vigil_error;

/* Where a callee writes output of a size only it knows (ciphertext, JSON...).
 * OWNERSHIP: the sink and the bytes it collects belong to the caller; the
 * callee only calls `write`, any number of times, during the call.
 * `write` returns VIGIL_OK, or VIGIL_INTERNAL when the caller cannot take
 * more (the callee must then stop and return that status). */
typedef struct vigil_sink {
  size_t struct_size;
  void* ctx;
  vigil_status (*write)(void* ctx, const char* data, size_t size);
} vigil_sink;

/* ---------------------------------------------------------- host services */

enum {
  VIGIL_LOG_DEBUG = 0,
  VIGIL_LOG_INFO = 1,
  VIGIL_LOG_WARN = 2,
  VIGIL_LOG_ERROR = 3
};

struct vigil_app; /* application API, see app.h */

/* Services the host offers a component. One table per component instance:
 * `ctx` identifies the component, so log lines and metrics carry its name.
 * Every function is thread-safe and never fails.
 * OWNERSHIP: host-owned; valid from create until destroy returns. */
typedef struct vigil_host {
  size_t struct_size;
  void* ctx;
  /* Writes one log line. Never pass secrets or hidden levels. */
  void (*log)(void* ctx, int32_t level, vigil_str message);
  /* Wall clock, unix milliseconds (tests may drive it). */
  int64_t (*clock_unix_ms)(void* ctx);
  /* Monotonic clock in nanoseconds, for durations and pacing. */
  int64_t (*clock_monotonic_ns)(void* ctx);
  /* Adds `delta` to a counter. `name` is a Prometheus metric name, optionally
   * followed by labels: `vigil_feed_rows_skipped_total{file="a.csv"}`. */
  void (*metric_add)(void* ctx, vigil_str name, double delta);
  /* Sets a gauge, same naming as metric_add. */
  void (*metric_set)(void* ctx, vigil_str name, double value);
  /* The application API, for driving kinds (feed, transport); NULL for the
   * driven kinds (cipher, rule, store). */
  const struct vigil_app* app;
} vigil_host;

/* What every component's `create` receives.
 * OWNERSHIP: host-owned; `options_json` and `name` are valid only during
 * create (copy what you keep); `host` stays valid until destroy returns. */
typedef struct vigil_create_args {
  size_t struct_size;
  /* The component's `options` from the YAML config, as JSON text ("{}" when
   * the config gives none). Validate it and report the key that is wrong. */
  vigil_str options_json;
  /* Where the config asked for it, e.g. "feeds[1]" or "store". */
  vigil_str name;
  const vigil_host* host;
} vigil_create_args;

/* ------------------------------------------------------------- descriptor */

/* The five kinds of component a plugin library can provide. */
enum {
  VIGIL_KIND_CIPHER = 1,    /* vigil_cipher_vtable,    cipher.h */
  VIGIL_KIND_FEED = 2,      /* vigil_feed_vtable,      feed.h */
  VIGIL_KIND_RULE = 3,      /* vigil_rule_vtable,      rule.h */
  VIGIL_KIND_STORE = 4,     /* vigil_store_vtable,     store.h */
  VIGIL_KIND_TRANSPORT = 5  /* vigil_transport_vtable, transport.h */
};

/* One component: its kind and a pointer to the kind's vtable, whose first
 * member is `size_t struct_size`. */
typedef struct vigil_component {
  size_t struct_size;
  int32_t kind;
  const void* vtable;
} vigil_component;

/* What the entry symbol returns. A library provides at most one component
 * per kind; the host refuses a library that declares a kind twice.
 * OWNERSHIP: plugin-owned static data, valid while the library is loaded. */
typedef struct vigil_plugin {
  size_t struct_size;
  uint32_t magic;     /* VIGIL_PLUGIN_MAGIC */
  uint16_t abi_major; /* VIGIL_ABI_MAJOR as the plugin was compiled */
  uint16_t abi_minor; /* VIGIL_ABI_MINOR as the plugin was compiled */
  const char* name;   /* e.g. "rule-sltp"; the name configs refer to */
  const char* version;     /* the plugin's own version, e.g. "1.2.0" */
  const char* description; /* one line */
  size_t component_count;
  const vigil_component* components;
} vigil_plugin;

/* The entry symbol, exported under the name VIGIL_ENTRY_SYMBOL:
 *   VIGIL_EXPORT const vigil_plugin* vigil_plugin_v1(void);
 * It must do no work that can fail (no allocation, no I/O): all fallible
 * set-up belongs in a component's `create`, which can report errors.
 * Return value: the descriptor; never NULL. */
typedef const vigil_plugin* (*vigil_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_ABI_H */
