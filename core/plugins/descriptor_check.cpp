#include "core/plugins/descriptor_check.hpp"

#include <initializer_list>
#include <set>
#include <utility>

#include "vigil/vigil.h"

namespace vigil::core {
namespace {

// Sizes as of ABI 1.0. A vtable may be larger (a newer minor); never smaller.
constexpr size_t kVtableSize10[] = {
    0,
    sizeof(vigil_cipher_vtable),
    sizeof(vigil_feed_vtable),
    offsetof(vigil_rule_vtable, on_trigger) + sizeof(void*),  // 1.1 appended detach
    offsetof(vigil_store_vtable, query) + sizeof(void*),  // 1.3 appended heartbeat, wait_changes
    sizeof(vigil_transport_vtable),
};

constexpr size_t kDescriptorSize10 = offsetof(vigil_plugin, components) + sizeof(void*);

// The first function a 1.0 vtable requires that is missing (every
// function of a 1.0 vtable is required), or nullptr when none is.
const char* missing_function(int32_t kind, const void* vtable) {
  auto first_null = [](std::initializer_list<std::pair<const char*, bool>> functions) -> const char* {
    for (const auto& [name, present] : functions)
      if (!present) return name;
    return nullptr;
  };
  switch (kind) {
    case VIGIL_KIND_CIPHER: {
      auto* v = static_cast<const vigil_cipher_vtable*>(vtable);
      return first_null({{"create", v->create},
                         {"destroy", v->destroy},
                         {"describe", v->describe},
                         {"encrypt", v->encrypt},
                         {"decrypt", v->decrypt},
                         {"token_key_version", v->token_key_version}});
    }
    case VIGIL_KIND_FEED: {
      auto* v = static_cast<const vigil_feed_vtable*>(vtable);
      return first_null(
          {{"create", v->create}, {"destroy", v->destroy}, {"run", v->run}, {"stop", v->stop}, {"health", v->health}});
    }
    case VIGIL_KIND_RULE: {
      auto* v = static_cast<const vigil_rule_vtable*>(vtable);
      return first_null(
          {{"create", v->create}, {"destroy", v->destroy}, {"attach", v->attach}, {"on_trigger", v->on_trigger}});
    }
    case VIGIL_KIND_STORE: {
      auto* v = static_cast<const vigil_store_vtable*>(vtable);
      return first_null({{"create", v->create},
                         {"destroy", v->destroy},
                         {"migrate", v->migrate},
                         {"apply", v->apply},
                         {"query", v->query}});
    }
    case VIGIL_KIND_TRANSPORT: {
      auto* v = static_cast<const vigil_transport_vtable*>(vtable);
      return first_null({{"create", v->create},
                         {"destroy", v->destroy},
                         {"start", v->start},
                         {"stop", v->stop},
                         {"endpoint", v->endpoint}});
    }
  }
  return "every function (unknown kind)";
}

std::optional<std::string> check_component(const vigil_component& c) {
  if (c.struct_size < sizeof(vigil_component)) return "a component record is truncated";
  if (c.kind < VIGIL_KIND_CIPHER || c.kind > VIGIL_KIND_TRANSPORT)
    return "declares an unknown component kind " + std::to_string(c.kind);
  if (!c.vtable) return "the " + kind_name(c.kind) + " component has no vtable";
  size_t size = *static_cast<const size_t*>(c.vtable);
  if (size < minimum_vtable_size(c.kind))
    return "the " + kind_name(c.kind) + " vtable is " + std::to_string(size) + " bytes, ABI 1.0 needs " +
           std::to_string(minimum_vtable_size(c.kind));
  if (const char* missing = missing_function(c.kind, c.vtable))
    return "the " + kind_name(c.kind) + " vtable lacks its required function " + missing;
  return std::nullopt;
}

}  // namespace

std::string kind_name(int32_t kind) {
  switch (kind) {
    case VIGIL_KIND_CIPHER:
      return "cipher";
    case VIGIL_KIND_FEED:
      return "feed";
    case VIGIL_KIND_RULE:
      return "rule";
    case VIGIL_KIND_STORE:
      return "store";
    case VIGIL_KIND_TRANSPORT:
      return "transport";
  }
  return "unknown kind " + std::to_string(kind);
}

size_t minimum_vtable_size(int32_t kind) {
  if (kind < VIGIL_KIND_CIPHER || kind > VIGIL_KIND_TRANSPORT) return 0;
  return kVtableSize10[kind];
}

std::optional<std::string> refusal_reason(const vigil_plugin* d) {
  if (!d) return "the entry symbol returned no descriptor";
  if (d->magic != VIGIL_PLUGIN_MAGIC) return "not a Vigil plugin descriptor (bad magic number)";
  if (d->abi_major != VIGIL_ABI_MAJOR)
    return "ABI major version mismatch: host has " + std::to_string(VIGIL_ABI_MAJOR) + ", plugin has " +
           std::to_string(d->abi_major);
  if (d->abi_minor > VIGIL_ABI_MINOR)
    return "built against a newer SDK: host has ABI 1." + std::to_string(VIGIL_ABI_MINOR) + ", plugin needs 1." +
           std::to_string(d->abi_minor);
  if (d->struct_size < kDescriptorSize10) return "the descriptor is truncated";
  if (!d->name || !*d->name) return "the descriptor has no plugin name";
  if (!d->version || !*d->version) return "the descriptor has no version";
  if (d->component_count == 0 || !d->components) return "the plugin provides no component";
  std::set<int32_t> kinds;
  for (size_t i = 0; i < d->component_count; ++i) {
    const vigil_component& c = d->components[i];
    if (auto why = check_component(c)) return why;
    if (!kinds.insert(c.kind).second) return "declares the " + kind_name(c.kind) + " kind twice";
  }
  return std::nullopt;
}

const void* find_vtable(const vigil_plugin& d, int32_t kind) {
  for (size_t i = 0; i < d.component_count; ++i)
    if (d.components[i].kind == kind) return d.components[i].vtable;
  return nullptr;
}

}  // namespace vigil::core
