// The host side of the application API for transport tests: `call`,
// `verify_device` and `claim_nonce` answer as the test decides (`call` may throw, to play a
// host that fails badly) and record what the transport asked.
#pragma once

#include <cstddef>
#include <cstdint>
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

struct VerifyScript {
  vigil_status status = VIGIL_UNAUTHENTICATED;
  std::string message = "refused";
};

struct ReceivedVerify {
  std::string device_id, string_to_sign, signature_hex;
};

struct ClaimScript {
  vigil_status status = VIGIL_OK;
  std::string message;
};

struct ReceivedClaim {
  std::string device_id, nonce;
  int64_t expires_at = 0;
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

  // Decides each verify_device. Default: every device is refused.
  std::function<VerifyScript(const ReceivedVerify&)> verify = [](const ReceivedVerify&) { return VerifyScript{}; };

  // Decides each claim_nonce. Default: every nonce is claimed.
  std::function<ClaimScript(const ReceivedClaim&)> claim = [](const ReceivedClaim&) { return ClaimScript{}; };

  ScriptedApp() {
    table_.struct_size = sizeof(vigil_app);
    table_.ctx = this;
    table_.call = &ScriptedApp::call;
    table_.verify_device = &ScriptedApp::verify_device;
    table_.claim_nonce = &ScriptedApp::claim_nonce;
  }
  // Plays a host of ABI 1.1, whose table ends before verify_device.
  void as_abi_1_1() { table_.struct_size = offsetof(vigil_app, verify_device); }
  // Plays a host of ABI 1.2, whose table ends before claim_nonce.
  void as_abi_1_2() { table_.struct_size = offsetof(vigil_app, claim_nonce); }
  const vigil_app* table() const { return &table_; }
  std::vector<ReceivedCall> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::vector<ReceivedVerify> verifies() const {
    std::lock_guard lock(mutex_);
    return verifies_;
  }
  std::vector<ReceivedClaim> claims() const {
    std::lock_guard lock(mutex_);
    return claims_;
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

  static vigil_status verify_device(void* ctx, vigil_str device_id, vigil_str string_to_sign, vigil_str signature_hex,
                                    vigil_error* error) {
    auto& self = *static_cast<ScriptedApp*>(ctx);
    ReceivedVerify received{std::string(sdk::view(device_id)), std::string(sdk::view(string_to_sign)),
                            std::string(sdk::view(signature_hex))};
    {
      std::lock_guard lock(self.mutex_);
      self.verifies_.push_back(received);
    }
    VerifyScript script = self.verify(received);
    if (script.status != VIGIL_OK) sdk::set_error(error, script.message);
    return script.status;
  }

  static vigil_status claim_nonce(void* ctx, vigil_str device_id, vigil_str nonce, int64_t expires_at,
                                  vigil_error* error) {
    auto& self = *static_cast<ScriptedApp*>(ctx);
    ReceivedClaim received{std::string(sdk::view(device_id)), std::string(sdk::view(nonce)), expires_at};
    {
      std::lock_guard lock(self.mutex_);
      self.claims_.push_back(received);
    }
    ClaimScript script = self.claim(received);
    if (script.status != VIGIL_OK) sdk::set_error(error, script.message);
    return script.status;
  }

  mutable std::mutex mutex_;
  std::vector<ReceivedCall> calls_;
  std::vector<ReceivedVerify> verifies_;
  std::vector<ReceivedClaim> claims_;
  vigil_app table_{};
};

}  // namespace vigil::test
