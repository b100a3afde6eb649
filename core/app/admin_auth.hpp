// Who may call admin.* operations: a caller whose params carry
// {"bearer": TOKEN} equal to the configured admin token. With no token
// configured the admin API is closed ("admin_api_closed"): it is never open
// by default.
//
// Threading: set_token() before serving; check() then on any thread.
// Errors: a refusal is returned, never thrown; params that are not JSON
// count as no bearer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::core {

// Whether `a` equals `b`, in time that depends on `b`'s length only: the
// answer's timing says nothing about how much of a guess (`a`) was right.
bool equal_in_constant_time(std::string_view a, std::string_view b);

class AdminAuth {
 public:
  // Empty keeps the admin API closed.
  void set_token(std::string token) { token_ = std::move(token); }
  bool open() const noexcept { return !token_.empty(); }

  struct Refusal {
    std::string code;  // "admin_api_closed" or "unauthenticated"
    std::string message;
  };
  // `params_json`: the request's params object. Nothing when allowed.
  std::optional<Refusal> check(std::string_view params_json) const;

 private:
  std::string token_;
};

}  // namespace vigil::core
