#include "cluster_writes.hpp"

#include <stdexcept>
#include <string>

#include "write_check.hpp"

namespace vigil::store {
namespace {

[[noreturn]] void refuse(size_t index, const char* entity, const std::string& why) {
  throw std::invalid_argument("write " + std::to_string(index) + ": " + entity + ": " + why);
}

std::string_view text_field(vigil_str s, size_t index, const char* entity, const char* field) {
  std::string_view v = s.data ? std::string_view(s.data, s.size) : std::string_view();
  if (v.empty()) refuse(index, entity, std::string(field) + " is required");
  if (!is_storable_text(v)) refuse(index, entity, std::string(field) + " is not valid UTF-8 text without NUL bytes");
  return v;
}

FenceWrite checked_fence(const vigil_store_fence& f, size_t index) {
  FenceWrite out{f.shard, text_field(f.owner, index, "FENCE", "owner"), f.epoch};
  if (f.shard < 0) refuse(index, "FENCE", "shard " + std::to_string(f.shard) + " is negative");
  // Epoch 0 is a lease never taken: no host can hold it.
  if (f.epoch < 1) refuse(index, "FENCE", "epoch " + std::to_string(f.epoch) + " is below 1");
  return out;
}

NonceWrite checked_nonce(const vigil_store_nonce& n, size_t index) {
  NonceWrite out{text_field(n.device_id, index, "NONCE", "device_id"), text_field(n.nonce, index, "NONCE", "nonce"),
                 n.claimed_at, n.expires_at};
  if (n.expires_at < n.claimed_at)
    refuse(index, "NONCE",
           "expires_at " + std::to_string(n.expires_at) + " is before claimed_at " + std::to_string(n.claimed_at));
  return out;
}

}  // namespace

bool is_cluster_entity(int32_t entity) {
  return entity == VIGIL_ENTITY_FENCE || entity == VIGIL_ENTITY_NONCE;
}

const char* cluster_entity_name(int32_t entity) {
  return entity == VIGIL_ENTITY_FENCE ? "FENCE" : "NONCE";
}

void take_cluster_write(const vigil_store_write& w, size_t index, ClusterWrites& out) {
  const char* entity = cluster_entity_name(w.entity);
  if (w.op != VIGIL_WRITE_INSERT) refuse(index, entity, "op " + std::to_string(w.op) + " is not INSERT");
  size_t needed = w.entity == VIGIL_ENTITY_FENCE ? sizeof(vigil_store_fence) : sizeof(vigil_store_nonce);
  if (!w.record || *static_cast<const size_t*>(w.record) < needed)
    refuse(index, entity, "the record is missing or from an incompatible host");
  if (w.entity == VIGIL_ENTITY_FENCE)
    out.fences.push_back(checked_fence(*static_cast<const vigil_store_fence*>(w.record), index));
  else
    out.nonces.push_back(checked_nonce(*static_cast<const vigil_store_nonce*>(w.record), index));
}

}  // namespace vigil::store
