#include "core/workflow/audit_detail.hpp"

#include <nlohmann/json.hpp>

namespace vigil::core {

AuditDetail& AuditDetail::text(std::string_view key, std::string_view value) {
  fields_.emplace_back(std::string(key), std::string(value));
  return *this;
}

AuditDetail& AuditDetail::number(std::string_view key, int64_t value) {
  fields_.emplace_back(std::string(key), value);
  return *this;
}

AuditDetail& AuditDetail::texts(std::string_view key, const std::map<std::string, std::string>& values) {
  fields_.emplace_back(std::string(key), values);
  return *this;
}

std::string AuditDetail::json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : fields_) {
    if (const auto* text = std::get_if<std::string>(&value))
      out[key] = *text;
    else if (const auto* number = std::get_if<int64_t>(&value))
      out[key] = *number;
    else
      out[key] = std::get<std::map<std::string, std::string>>(value);
  }
  return out.dump();
}

}  // namespace vigil::core
