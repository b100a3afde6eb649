// The host side of the application API for transport tests: `call` answers
// as the test decides (or throws, to play a host that fails badly) and
// records what the transport asked.
#pragma once

#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "vigil/app.h"
#include "vigil/cpp/error.hpp"

namespace vigil::test {

struct AppAnswerScript {
  vigil_status status = VIGIL_OK;
  std::string error_code;
  std::string body;
};

struct ReceivedCall {
  std::string operation, principal, params_json, body_json;
};

class ScriptedApp {
 public:
  // Decides the answer to each call. Defaults: a healthy "system.health" and
  // a one-line "system.metrics"; anything else is unsupported.
  std::function<AppAnswerScript(const ReceivedCall&)> answer = [](const ReceivedCall& call) {
    if (call.operation == "system.health") return AppAnswerScript{VIGIL_OK, "", R"({"status":"ok"})"};
    if (call.operation == "system.metrics")
      return AppAnswerScript{VIGIL_OK, "", "# TYPE vigil_ticks_total counter\nvigil_ticks_total 7\n"};
    return AppAnswerScript{VIGIL_UNSUPPORTED, "unsupported_operation", ""};
  };

  ScriptedApp() {
    table_.struct_size = sizeof(vigil_app);
    table_.ctx = this;
    table_.call = &ScriptedApp::call;
  }
  const vigil_app* table() const { return &table_; }
  std::vector<ReceivedCall> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  static vigil_status call(void* ctx, const vigil_app_request* request, vigil_sink* out, vigil_app_reply* reply) {
    auto& self = *static_cast<ScriptedApp*>(ctx);
    ReceivedCall received{std::string(sdk::view(request->operation)), std::string(sdk::view(request->principal)),
                          std::string(sdk::view(request->params_json)), std::string(sdk::view(request->body_json))};
    {
      std::lock_guard lock(self.mutex_);
      self.calls_.push_back(received);
    }
    AppAnswerScript script = self.answer(received);  // may throw: the test's way to play a broken host
    reply->status = script.status;
    std::snprintf(reply->error_code, sizeof reply->error_code, "%s", script.error_code.c_str());
    sdk::write_to(out, script.body);
    return script.status;
  }

  mutable std::mutex mutex_;
  std::vector<ReceivedCall> calls_;
  vigil_app table_{};
};

}  // namespace vigil::test
