// The host-services table one component instance receives (vigil_host):
// logging tagged with the component's name, clocks, metrics, and for
// driving kinds the application API.
#pragma once

#include <memory>
#include <string>

#include "core/support/metrics.hpp"
#include "vigil/abi.h"

namespace vigil::core {

class HostServices {
 public:
  // `app` may be null (driven kinds). `metrics` and `app` must outlive this.
  HostServices(std::string component_name, Metrics& metrics, const struct vigil_app* app);
  HostServices(const HostServices&) = delete;
  HostServices& operator=(const HostServices&) = delete;

  const vigil_host* table() const noexcept { return &table_; }
  const std::string& component_name() const noexcept { return name_; }

 private:
  std::string name_;
  Metrics& metrics_;
  vigil_host table_;
};

}  // namespace vigil::core
