// The detail of an audit row: a flat JSON object of named texts, numbers
// and maps of texts, the audit log's own format. Built here so that the
// workflow's services write no JSON themselves.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace vigil::core {

class AuditDetail {
 public:
  AuditDetail& text(std::string_view key, std::string_view value);
  AuditDetail& number(std::string_view key, int64_t value);
  AuditDetail& texts(std::string_view key, const std::map<std::string, std::string>& values);
  std::string json() const;

 private:
  using Value = std::variant<std::string, int64_t, std::map<std::string, std::string>>;
  std::vector<std::pair<std::string, Value>> fields_;
};

}  // namespace vigil::core
