/* The ABI 1.0 layout: every size and offset a 1.0 plugin relies on. Each
 * entry is expanded by LAYOUT(expression) in a C file compiled against one
 * set of headers (frozen 1.0 or current), so a test can compare them.
 * Structs extended since (the rule view, actions and vtable in 1.1, the
 * application table in 1.2, the feed health and the store vtable in 1.3) are
 * pinned by where their 1.0 part ends: fields are only ever appended. */
#include <stddef.h>

#include "vigil/vigil.h"

#define VIGIL_LAYOUT_ENTRIES                                                                                           \
  LAYOUT(sizeof(vigil_str))                                                                                            \
  LAYOUT(sizeof(vigil_error)) LAYOUT(sizeof(vigil_sink)) LAYOUT(sizeof(vigil_host)) LAYOUT(offsetof(vigil_host, app))  \
      LAYOUT(sizeof(vigil_create_args)) LAYOUT(offsetof(vigil_create_args, host)) LAYOUT(                              \
          sizeof(vigil_component)) LAYOUT(offsetof(vigil_component, vtable)) LAYOUT(sizeof(vigil_plugin))              \
          LAYOUT(offsetof(vigil_plugin, abi_major)) LAYOUT(offsetof(vigil_plugin, name)) LAYOUT(                       \
              offsetof(vigil_plugin, components)) LAYOUT(sizeof(vigil_tick)) LAYOUT(offsetof(vigil_tick, sequence))    \
              LAYOUT(sizeof(vigil_app_request)) LAYOUT(sizeof(vigil_app_reply)) LAYOUT(                                \
                  offsetof(vigil_app, unwatch) +                                                                       \
                  sizeof(void*)) LAYOUT(offsetof(vigil_app, unwatch)) LAYOUT(sizeof(vigil_cipher_info))                \
                  LAYOUT(sizeof(vigil_cipher_vtable)) LAYOUT(offsetof(vigil_cipher_vtable, token_key_version)) LAYOUT( \
                      offsetof(vigil_feed_health, reconnects) + sizeof(uint64_t)) LAYOUT(sizeof(vigil_feed_vtable))    \
                      LAYOUT(offsetof(vigil_feed_vtable, health)) LAYOUT(offsetof(vigil_position_view, state) +        \
                                                                         sizeof(vigil_str))                            \
                          LAYOUT(offsetof(vigil_position_view, state)) LAYOUT(sizeof(vigil_rule_trigger)) LAYOUT(      \
                              offsetof(vigil_rule_actions, save_state) +                                               \
                              sizeof(void*)) LAYOUT(offsetof(vigil_rule_actions, save_state))                          \
                              LAYOUT(offsetof(vigil_rule_vtable, on_trigger) + sizeof(void*)) LAYOUT(                  \
                                  offsetof(vigil_rule_vtable, on_trigger)) LAYOUT(sizeof(vigil_store_client))          \
                                  LAYOUT(sizeof(vigil_store_device)) LAYOUT(sizeof(vigil_store_signal)) LAYOUT(        \
                                      sizeof(vigil_store_position)) LAYOUT(offsetof(vigil_store_position, updated_at)) \
                                      LAYOUT(sizeof(vigil_store_command))                                              \
                                          LAYOUT(sizeof(vigil_store_audit)) LAYOUT(sizeof(vigil_store_meta))           \
                                              LAYOUT(sizeof(vigil_store_write)) LAYOUT(sizeof(vigil_store_query))      \
                                                  LAYOUT(sizeof(vigil_store_visitor))                                  \
                                                      LAYOUT(offsetof(vigil_store_vtable, query) + sizeof(void*))      \
                                                          LAYOUT(offsetof(vigil_store_vtable, query))                  \
                                                              LAYOUT(sizeof(vigil_transport_vtable))                   \
                                                                  LAYOUT(offsetof(vigil_transport_vtable, endpoint))
