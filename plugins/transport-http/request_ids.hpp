// Ids that tie an answer (its X-Request-Id header, a 500's body) to its
// log lines: a random prefix per transport instance (so two runs never
// repeat an id) and a counter.
//
// Threading: next() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace vigil::http {

class RequestIds {
 public:
  RequestIds();
  std::string next();  // 16 lowercase hex digits

 private:
  uint32_t prefix_;
  std::atomic<uint32_t> counter_{0};
};

}  // namespace vigil::http
