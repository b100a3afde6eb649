#include "request_ids.hpp"

#include <cstdio>
#include <random>

namespace vigil::http {

RequestIds::RequestIds() : prefix_(std::random_device{}()) {}

std::string RequestIds::next() {
  uint32_t n = counter_.fetch_add(1, std::memory_order_relaxed) + 1;
  char text[17];
  std::snprintf(text, sizeof text, "%08x%08x", prefix_, n);
  return text;
}

}  // namespace vigil::http
