#include "connection_policy.hpp"

namespace vigil::http {

bool keep_alive(bool enabled, bool http_1_1, ConnectionAsk asked) noexcept {
  if (!enabled || asked == ConnectionAsk::close) return false;
  return asked == ConnectionAsk::keep_alive || http_1_1;
}

}  // namespace vigil::http
