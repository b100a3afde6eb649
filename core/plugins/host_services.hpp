// The host-services table one component instance receives (vigil_host):
// logging tagged with the component's name, clocks, metrics, and for
// driving kinds the application API. Its wall clock is the host's Clock, so
// a test that drives the host's time drives the plugins' too.
#pragma once

#include <memory>
#include <string>

#include "core/support/clock.hpp"
#include "core/support/metrics.hpp"
#include "vigil/abi.h"

namespace vigil::core {

class HostServices {
 public:
  // `app` may be null (driven kinds). `metrics`, `app` and `clock` must
  // outlive this.
  HostServices(std::string component_name, Metrics& metrics, const struct vigil_app* app,
               const Clock& clock = wall_clock());
  HostServices(const HostServices&) = delete;
  HostServices& operator=(const HostServices&) = delete;

  const vigil_host* table() const noexcept { return &table_; }
  const std::string& component_name() const noexcept { return name_; }
  const Clock& clock() const noexcept { return clock_; }

 private:
  std::string name_;
  Metrics& metrics_;
  const Clock& clock_;
  vigil_host table_;
};

}  // namespace vigil::core
