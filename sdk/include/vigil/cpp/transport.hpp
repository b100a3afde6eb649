// Vigil C++ SDK — transports. See transport.h for the model.
#pragma once

#include <string>

#include "vigil/cpp/host.hpp"
#include "vigil/transport.h"

namespace vigil::sdk {

class Transport {
 public:
  virtual ~Transport() = default;
  // Returns once listening.
  virtual void start() = 0;
  // Answers requests in flight and stops serving. Idempotent.
  virtual void stop() noexcept = 0;
  virtual std::string endpoint() const = 0;
};

}  // namespace vigil::sdk
