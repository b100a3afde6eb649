#include "core/workflow/random_id.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace vigil::core {

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  size_t filled = 0;
  while (filled < bytes) {
    ssize_t n = getrandom(raw.data() + filled, bytes - filled, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("getrandom failed: no random bytes for an id");
    filled += static_cast<size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes * 2, '0');
  for (size_t i = 0; i < bytes; ++i) {
    out[2 * i] = kHex[raw[i] >> 4];
    out[2 * i + 1] = kHex[raw[i] & 15];
  }
  return out;
}

std::string new_id(const char* prefix) {
  return std::string(prefix) + "_" + random_hex(16);
}

double random_unit() {
  uint64_t bits = std::stoull(random_hex(8), nullptr, 16) >> 11;
  return static_cast<double>(bits) / static_cast<double>(uint64_t{1} << 53);
}

}  // namespace vigil::core
