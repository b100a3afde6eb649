#include "core/app/admin_auth.hpp"

#include "core/support/json_fields.hpp"

namespace vigil::core {

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  unsigned char differ = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < b.size(); ++i) differ |= static_cast<unsigned char>(b[i] ^ (i < a.size() ? a[i] : 0));
  return differ == 0;
}

std::optional<AdminAuth::Refusal> AdminAuth::check(std::string_view params_json) const {
  if (token_.empty()) return Refusal{"admin_api_closed", "The admin API is closed: no admin token is configured."};
  std::string bearer;
  try {
    JsonFields params = parse_json_fields(params_json);
    if (auto it = params.find("bearer"); it != params.end()) bearer = it->second.text;
  } catch (const JsonError&) {  // not JSON: no bearer
  }
  if (equal_in_constant_time(bearer, token_)) return std::nullopt;
  return Refusal{"unauthenticated",
                 bearer.empty() ? "Missing Authorization: Bearer token." : "The bearer token is not valid."};
}

}  // namespace vigil::core
