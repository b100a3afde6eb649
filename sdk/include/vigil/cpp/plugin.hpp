// Vigil C++ SDK — registration. One line exports a plugin:
//
//   VIGIL_PLUGIN("rule-sltp", "1.0.0", "fixed hidden stop-loss and take-profit",
//                vigil::sdk::rule<SlTpRule>())
//
// Each component class T is constructed from `const CreateArgs&` and derives
// from the kind's base class. The adapters below are the only code the host
// calls: each is noexcept and turns exceptions into status + message.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "vigil/cpp/cipher.hpp"
#include "vigil/cpp/error.hpp"
#include "vigil/cpp/feed.hpp"
#include "vigil/cpp/host.hpp"
#include "vigil/cpp/rule.hpp"
#include "vigil/cpp/store.hpp"
#include "vigil/cpp/transport.hpp"

namespace vigil::sdk::detail {

template <class T>
vigil_status create(const vigil_create_args* args, void** instance, vigil_error* error) noexcept {
  *instance = nullptr;
  return guard(error, [&] {
    if (!args || args->struct_size < sizeof(vigil_create_args) || !args->host)
      throw Error(VIGIL_INVALID_ARGUMENT, "create arguments from an incompatible host");
    *instance = new T(CreateArgs(*args));
  });
}

template <class T>
void destroy(void* instance) noexcept {
  delete static_cast<T*>(instance);
}

template <class T>
T& self(void* instance) noexcept {
  return *static_cast<T*>(instance);
}

template <class T>
struct RuleAdapter {
  static vigil_status attach(void* i, const vigil_position_view* p, const vigil_rule_actions* a,
                             vigil_error* e) noexcept {
    return guard(e, [&] { self<T>(i).attach(Position(*p), Actions(a)); });
  }
  static vigil_status on_trigger(void* i, const vigil_position_view* p, const vigil_rule_trigger* t,
                                 const vigil_rule_actions* a, vigil_error* e) noexcept {
    return guard(e, [&] { self<T>(i).on_trigger(Position(*p), Trigger(*t), Actions(a)); });
  }
  static void detach(void* i, const vigil_position_view* p) noexcept {
    try {
      self<T>(i).detach(Position(*p));
    } catch (...) {  // nothing to report to: the position is gone either way
    }
  }
  // detach is handed to the engine only when T overrides it, so rules
  // without per-position memory cost nothing when positions leave.
  static constexpr bool kDetaches = !std::is_same_v<decltype(&T::detach), void (Rule::*)(const Position&)>;
  static constexpr vigil_rule_vtable vtable = {
      sizeof(vigil_rule_vtable), &create<T>, &destroy<T>, &attach, &on_trigger, kDetaches ? &detach : nullptr};
};

// A cipher instance keeps its self-description, since describe() hands out
// pointers that must stay valid until destroy.
template <class T>
struct CipherBox {
  T cipher;
  CipherInfo info;
  explicit CipherBox(const CreateArgs& args) : cipher(args), info(cipher.info()) {}
};

template <class T>
struct CipherAdapter {
  using Box = CipherBox<T>;
  static void describe(void* i, vigil_cipher_info* out) noexcept {
    const CipherInfo& info = self<Box>(i).info;
    out->algorithm = info.algorithm.c_str();
    out->key_bytes = info.key_bytes;
    out->current_key_version = info.current_key_version;
  }
  static vigil_status encrypt(void* i, vigil_str context, vigil_str field, vigil_str plaintext, vigil_sink* token,
                              vigil_error* e) noexcept {
    return guard(e, [&] { write_to(token, self<Box>(i).cipher.encrypt(view(context), view(field), view(plaintext))); });
  }
  static vigil_status decrypt(void* i, vigil_str context, vigil_str field, vigil_str token, vigil_sink* plaintext,
                              vigil_error* e) noexcept {
    return guard(e, [&] { write_to(plaintext, self<Box>(i).cipher.decrypt(view(context), view(field), view(token))); });
  }
  static vigil_status token_key_version(void* i, vigil_str token, uint32_t* version, vigil_error* e) noexcept {
    return guard(e, [&] { *version = self<Box>(i).cipher.token_key_version(view(token)); });
  }
  static constexpr vigil_cipher_vtable vtable = {
      sizeof(vigil_cipher_vtable), &create<Box>, &destroy<Box>, &describe, &encrypt, &decrypt, &token_key_version};
};

template <class T>
struct FeedAdapter {
  static vigil_status run(void* i, vigil_error* e) noexcept {
    return guard(e, [&] { self<T>(i).run(); });
  }
  static void stop(void* i) noexcept { self<T>(i).stop(); }
  // A health() that throws is a feed failing: its message goes to the
  // host's error buffer (ABI 1.3), never swallowed.
  static void health(void* i, vigil_feed_health* out) noexcept {
    FeedHealth h;
    vigil_error failed{sizeof(vigil_error), nullptr, 0};
    if (VIGIL_HAS_FIELD(out, vigil_feed_health, error)) failed = out->error;
    if (guard(&failed, [&] { h = self<T>(i).health(); }) != VIGIL_OK) {
      prefix_health_error(failed);
      h = FeedHealth{};
    } else if (!h.error.empty()) {
      set_error(&failed, h.error);
    }
    out->connected = h.connected ? 1 : 0;
    out->last_tick_unix_ms = h.last_tick_unix_ms;
    out->ticks_published = h.ticks_published;
    out->rows_skipped = h.rows_skipped;
    out->reconnects = h.reconnects;
  }
  // "health() threw: " before the exception's message, so the operator
  // reads which call failed.
  static void prefix_health_error(vigil_error& error) noexcept {
    if (!error.message || error.capacity == 0) return;
    try {
      set_error(&error, "health() threw: " + std::string(error.message));
    } catch (...) {  // out of memory: the bare message stays
    }
  }
  static constexpr vigil_feed_vtable vtable = {
      sizeof(vigil_feed_vtable), &create<T>, &destroy<T>, &run, &stop, &health};
};

template <class T>
struct StoreAdapter {
  static vigil_status migrate(void* i, int64_t* version, vigil_error* e) noexcept {
    return guard(e, [&] { *version = self<T>(i).migrate(); });
  }
  static vigil_status apply(void* i, const vigil_store_write* w, size_t n, vigil_error* e) noexcept {
    return guard(e, [&] { self<T>(i).apply(w, n); });
  }
  static vigil_status query(void* i, const vigil_store_query* q, const vigil_store_visitor* v,
                            vigil_error* e) noexcept {
    return guard(e, [&] { self<T>(i).query(*q, *v); });
  }
  static constexpr vigil_store_vtable vtable = {sizeof(vigil_store_vtable), &create<T>, &destroy<T>, &migrate, &apply,
                                                &query,
                                                // ABI 1.3's heartbeat and wait_changes: a one-host store (store.h).
                                                nullptr, nullptr};
};

// A store of ABI 1.3's several hosts: the one-host adapter's functions
// plus heartbeat and wait_changes.
template <class T>
struct ClusterStoreAdapter {
  using Base = StoreAdapter<T>;
  static vigil_status heartbeat(void* i, const vigil_store_heartbeat* request, const vigil_store_visitor* visitor,
                                vigil_error* e) noexcept {
    return guard(e, [&] {
      if (!request || !visitor) throw std::invalid_argument("heartbeat: the request or the visitor is null");
      self<T>(i).heartbeat(*request, *visitor);
    });
  }
  static vigil_status wait_changes(void* i, int64_t after_seq, int64_t timeout_ms, int64_t* last_seq,
                                   vigil_error* e) noexcept {
    return guard(e, [&] {
      if (!last_seq) throw std::invalid_argument("wait_changes: last_seq is null");
      *last_seq = self<T>(i).wait_changes(after_seq, timeout_ms);
    });
  }
  static constexpr vigil_store_vtable vtable = {sizeof(vigil_store_vtable),
                                                &create<T>,
                                                &destroy<T>,
                                                &Base::migrate,
                                                &Base::apply,
                                                &Base::query,
                                                &heartbeat,
                                                &wait_changes};
};

template <class T>
struct TransportAdapter {
  static vigil_status start(void* i, vigil_error* e) noexcept {
    return guard(e, [&] { self<T>(i).start(); });
  }
  static void stop(void* i) noexcept { self<T>(i).stop(); }
  static vigil_status endpoint(void* i, vigil_sink* out, vigil_error* e) noexcept {
    return guard(e, [&] { write_to(out, self<T>(i).endpoint()); });
  }
  static constexpr vigil_transport_vtable vtable = {
      sizeof(vigil_transport_vtable), &create<T>, &destroy<T>, &start, &stop, &endpoint};
};

}  // namespace vigil::sdk::detail

namespace vigil::sdk {

namespace detail {

// Checks what a component class must be, so that a mistake reads as one
// sentence here and not as an error deep inside an adapter.
template <class T, class Base>
constexpr bool is_component() {
  static_assert(std::is_class_v<T>, "a Vigil component must be a class");
  static_assert(std::is_base_of_v<Base, T>,
                "the component class must derive from the base class of its kind: rule<T>() takes a "
                "vigil::sdk::Rule, feed<T>() a Feed, cipher<T>() a Cipher, store<T>() a Store, "
                "cluster_store<T>() a ClusterStore, transport<T>() a Transport");
  static_assert(!std::is_abstract_v<T>,
                "the component class must override every pure virtual function of its base class "
                "(a rule: attach and on_trigger; a feed: run, stop and health; ...)");
  // (An abstract class is not constructible either: one sentence is enough.)
  static_assert(std::is_abstract_v<T> || std::is_constructible_v<T, const CreateArgs&>,
                "the component class must be constructible from const vigil::sdk::CreateArgs& "
                "(its constructor reads its options from it)");
  return true;
}

}  // namespace detail

template <class T>
constexpr vigil_component rule() {
  static_assert(detail::is_component<T, Rule>());
  return {sizeof(vigil_component), VIGIL_KIND_RULE, &detail::RuleAdapter<T>::vtable};
}
template <class T>
constexpr vigil_component cipher() {
  static_assert(detail::is_component<T, Cipher>());
  return {sizeof(vigil_component), VIGIL_KIND_CIPHER, &detail::CipherAdapter<T>::vtable};
}
template <class T>
constexpr vigil_component feed() {
  static_assert(detail::is_component<T, Feed>());
  return {sizeof(vigil_component), VIGIL_KIND_FEED, &detail::FeedAdapter<T>::vtable};
}
template <class T>
constexpr vigil_component store() {
  static_assert(detail::is_component<T, Store>());
  return {sizeof(vigil_component), VIGIL_KIND_STORE, &detail::StoreAdapter<T>::vtable};
}
template <class T>
constexpr vigil_component cluster_store() {
  static_assert(detail::is_component<T, ClusterStore>());
  return {sizeof(vigil_component), VIGIL_KIND_STORE, &detail::ClusterStoreAdapter<T>::vtable};
}
template <class T>
constexpr vigil_component transport() {
  static_assert(detail::is_component<T, Transport>());
  return {sizeof(vigil_component), VIGIL_KIND_TRANSPORT, &detail::TransportAdapter<T>::vtable};
}

}  // namespace vigil::sdk

// Exports the library's entry symbol. NAME, VERSION and DESCRIPTION are
// string literals; the rest are vigil::sdk::<kind><Class>() components.
#define VIGIL_PLUGIN(NAME, VERSION, DESCRIPTION, ...)                                   \
  extern "C" VIGIL_EXPORT const vigil_plugin* vigil_plugin_v1(void) {                   \
    static constexpr vigil_component components[] = {__VA_ARGS__};                      \
    static constexpr vigil_plugin plugin = {sizeof(vigil_plugin),                       \
                                            VIGIL_PLUGIN_MAGIC,                         \
                                            VIGIL_ABI_MAJOR,                            \
                                            VIGIL_ABI_MINOR,                            \
                                            NAME,                                       \
                                            VERSION,                                    \
                                            DESCRIPTION,                                \
                                            sizeof(components) / sizeof(components[0]), \
                                            components};                                \
    return &plugin;                                                                     \
  }
