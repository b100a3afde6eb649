#include "core/app/call_reply.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace vigil::core {

vigil_status CallReply::send(vigil_status status, std::string_view body, std::string_view code) {
  reply_.status = status;
  size_t length = std::min(code.size(), sizeof reply_.error_code - 1);
  std::copy_n(code.data(), length, reply_.error_code);
  reply_.error_code[length] = '\0';
  answer_.write(answer_.ctx, body.data(), body.size());
  return status;
}

vigil_status CallReply::error(vigil_status status, const std::string& code, const std::string& message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  return send(status, body.dump(), code);
}

}  // namespace vigil::core
