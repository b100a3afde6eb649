// An application call that cannot be answered as asked: its status (mapped
// to HTTP by the transport), a snake_case code and a sentence for the caller.
#pragma once

#include <stdexcept>
#include <string>

#include "vigil/abi.h"

namespace vigil::core {

class ApiError : public std::runtime_error {
 public:
  ApiError(vigil_status status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  vigil_status status() const noexcept { return status_; }
  const std::string& code() const noexcept { return code_; }

 private:
  vigil_status status_;
  std::string code_;
};

// 400 naming the field: "field 'owner_sl': expected a price".
inline ApiError invalid_field(const std::string& field, const std::string& why) {
  return ApiError(VIGIL_INVALID_ARGUMENT, "invalid_argument", "field '" + field + "': " + why);
}

inline ApiError not_found(const std::string& what) {
  return ApiError(VIGIL_NOT_FOUND, "not_found", what + " does not exist");
}

}  // namespace vigil::core
