// The outcome of one application call, written the way vigil_app.call
// promises: the JSON answer (or error object) to the caller's sink, the
// status and snake_case error code to its reply.
//
// Ownership: borrows the sink and the reply for the call.
// Errors: whatever the sink throws (a transport's sink does not).
#pragma once

#include <string>
#include <string_view>

#include "vigil/app.h"

namespace vigil::core {

class CallReply {
 public:
  CallReply(vigil_sink& answer, vigil_app_reply& reply) : answer_(answer), reply_(reply) {}

  // `code` is cut to the reply's 63 characters.
  vigil_status send(vigil_status status, std::string_view body, std::string_view code = {});
  // {"error":{"code":CODE,"message":MESSAGE}} with `status`.
  vigil_status error(vigil_status status, const std::string& code, const std::string& message);

 private:
  vigil_sink& answer_;
  vigil_app_reply& reply_;
};

}  // namespace vigil::core
