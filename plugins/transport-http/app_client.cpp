#include "app_client.hpp"

#include "vigil/cpp/error.hpp"

namespace vigil::http {
namespace {

// `params_json` (a JSON object, as the routes build it) with "request_id"
// added first. The id is hex digits: nothing to escape.
std::string with_request_id(std::string_view params_json, std::string_view request_id) {
  if (request_id.empty() || params_json.empty() || params_json.front() != '{') return std::string(params_json);
  std::string_view rest = params_json.substr(1);  // "}" or "\"key\":...}"
  std::string out = "{\"request_id\":\"" + std::string(request_id) + "\"";
  if (rest.size() > 1) out += ',';
  out += rest;
  return out;
}

}  // namespace

AppClient::AppClient(const vigil_app* app) : app_(app) {
  if (!app_ || !VIGIL_HAS_FIELD(app_, vigil_app, call) || !app_->call)
    throw sdk::Error(VIGIL_UNSUPPORTED, "transport-http needs a host whose application API offers call");
  // The version rule already keeps this plugin off a 1.1 host, but a 1.2
  // host may still leave the slot empty: refuse at create, not per request.
  if (!VIGIL_HAS_FIELD(app_, vigil_app, verify_device) || !app_->verify_device)
    throw sdk::Error(VIGIL_UNSUPPORTED,
                     "transport-http needs a host whose application API offers verify_device (ABI 1.2)");
}

AppAnswer AppClient::call(const AppCall& request) const {
  std::string params = with_request_id(request.params_json, request.request_id);
  vigil_app_request r{sizeof(vigil_app_request), sdk::str(request.operation), sdk::str(request.principal),
                      sdk::str(params), sdk::str(request.body_json)};
  vigil_app_reply reply{};
  reply.struct_size = sizeof reply;
  reply.status = VIGIL_INTERNAL;
  AppAnswer out;
  sdk::StringSink sink(out.body);
  vigil_status returned = app_->call(app_->ctx, &r, sink.get(), &reply);
  // The returned status and reply.status should agree; trust the worse one.
  out.status = returned != VIGIL_OK ? returned : reply.status;
  reply.error_code[sizeof reply.error_code - 1] = '\0';  // never read past the buffer, whatever the host wrote
  out.error_code = reply.error_code;
  return out;
}

DeviceVerdict AppClient::verify_device(std::string_view device_id, std::string_view string_to_sign,
                                       std::string_view signature_hex) const {
  char message[256] = {};
  vigil_error error{sizeof(vigil_error), message, sizeof message};
  DeviceVerdict out;
  out.status =
      app_->verify_device(app_->ctx, sdk::str(device_id), sdk::str(string_to_sign), sdk::str(signature_hex), &error);
  message[sizeof message - 1] = '\0';  // never read past the buffer, whatever the host wrote
  out.message = message;
  return out;
}

DeviceVerdict AppClient::claim_nonce(std::string_view device_id, std::string_view nonce, int64_t expires_at_ms) const {
  if (!VIGIL_HAS_FIELD(app_, vigil_app, claim_nonce) || !app_->claim_nonce) return {VIGIL_OK, {}};
  char message[256] = {};
  vigil_error error{sizeof(vigil_error), message, sizeof message};
  DeviceVerdict out;
  out.status = app_->claim_nonce(app_->ctx, sdk::str(device_id), sdk::str(nonce), expires_at_ms, &error);
  message[sizeof message - 1] = '\0';  // never read past the buffer, whatever the host wrote
  out.message = message;
  return out;
}

uint64_t AppClient::watch(std::string_view device_id, void (*wake)(void*), void* user) const {
  if (!VIGIL_HAS_FIELD(app_, vigil_app, watch) || !app_->watch) return 0;
  return app_->watch(app_->ctx, sdk::str(device_id), wake, user);
}

void AppClient::unwatch(uint64_t token) const {
  if (token && VIGIL_HAS_FIELD(app_, vigil_app, unwatch) && app_->unwatch) app_->unwatch(app_->ctx, token);
}

}  // namespace vigil::http
