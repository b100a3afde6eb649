// A live component instance created through a plugin's vtable, destroyed
// (through the same vtable) when the handle goes. Host side of the boundary:
// plugin errors become ComponentError exceptions here and nowhere else.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "core/plugins/status_name.hpp"
#include "vigil/abi.h"

namespace vigil::core {

class ComponentError : public std::runtime_error {
 public:
  ComponentError(vigil_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  vigil_status status() const noexcept { return status_; }

 private:
  vigil_status status_;
};

// A caller-owned error buffer for one ABI call.
struct ErrorBuffer {
  char text[1024] = {};
  vigil_error error{sizeof(vigil_error), text, sizeof text};
  vigil_error* get() noexcept { return &error; }
  // Throws ComponentError("<who>: <text>") unless status is VIGIL_OK.
  void check(vigil_status status, std::string_view who) const {
    if (status == VIGIL_OK) return;
    std::string message(who);
    message += ": ";
    message += failure_text(status, text);
    throw ComponentError(status, message);
  }
};

template <class Vtable>
class Component {
 public:
  Component() = default;
  // Calls vtable->create; throws ComponentError naming `name` on failure.
  Component(const Vtable* vtable, std::string name, std::string_view options_json, const vigil_host* host)
      : vtable_(vtable), name_(std::move(name)) {
    vigil_create_args args{
        sizeof(vigil_create_args), {options_json.data(), options_json.size()}, {name_.data(), name_.size()}, host};
    ErrorBuffer error;
    void* instance = nullptr;
    error.check(vtable_->create(&args, &instance, error.get()), name_);
    if (!instance) throw ComponentError(VIGIL_INTERNAL, name_ + ": create returned no instance");
    instance_ = instance;
  }
  Component(Component&& other) noexcept
      : vtable_(std::exchange(other.vtable_, nullptr)),
        instance_(std::exchange(other.instance_, nullptr)),
        name_(std::move(other.name_)) {}
  Component& operator=(Component&& other) noexcept {
    if (this != &other) {
      reset();
      vtable_ = std::exchange(other.vtable_, nullptr);
      instance_ = std::exchange(other.instance_, nullptr);
      name_ = std::move(other.name_);
    }
    return *this;
  }
  ~Component() { reset(); }

  const Vtable* vtable() const noexcept { return vtable_; }
  void* instance() const noexcept { return instance_; }
  const std::string& name() const noexcept { return name_; }
  explicit operator bool() const noexcept { return instance_ != nullptr; }

 private:
  void reset() noexcept {
    if (instance_) vtable_->destroy(instance_);
    instance_ = nullptr;
  }
  const Vtable* vtable_ = nullptr;
  void* instance_ = nullptr;
  std::string name_;
};

}  // namespace vigil::core
