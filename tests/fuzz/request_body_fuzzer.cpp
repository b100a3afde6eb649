// libFuzzer target: a request body as the workflow reads it
// (core/workflow/request_body.cpp, RequestBody) with the declared fields of
// one route (body_limits.hpp): construction, then every reader on every
// declared field, value() and has() on every key the body has. The only
// refusal allowed is ApiError 400 naming the body or the field.
#include "core/workflow/api_error.hpp"
#include "core/workflow/body_limits.hpp"
#include "core/workflow/request_body.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using vigil::core::ApiError;
using vigil::core::FieldLimits;
using vigil::core::RequestBody;

void check_refusal(const ApiError& e) {
  if (e.status() != VIGIL_INVALID_ARGUMENT || e.code() != "invalid_argument") std::abort();
  std::string_view message = e.what();
  if (message.rfind("body: ", 0) != 0 && message.rfind("field '", 0) != 0) std::abort();
}

// Each reader on its own: one refusing must not stop the others.
template <class Read>
void read(Read&& reader) {
  try {
    reader();
  } catch (const ApiError& e) {
    check_refusal(e);
  }
}

// Every text reader serves only the fields the route declares; value and
// has serve any field.
void read_field(const RequestBody& body, const std::string& field, int digits, bool declared) {
  read([&] {
    const nlohmann::json* value = body.value(field);
    if ((value != nullptr) != body.has(field)) std::abort();
  });
  if (!declared) return;
  read([&] { body.string(field); });
  read([&] { body.required_string(field); });
  read([&] { body.required_string_array(field); });
  read([&] { body.number_text(field); });
  read([&] { body.decimal(field, digits); });
  read([&] { body.required_decimal(field, digits); });
}

// The routes' declared fields (core/workflow/body_limits.hpp).
const FieldLimits kRoutes[] = {vigil::core::body_limits::kCreateClient, vigil::core::body_limits::kCreateDevice,
                               vigil::core::body_limits::kCreateSignal, vigil::core::body_limits::kClosePosition,
                               vigil::core::body_limits::kPushTick,     vigil::core::body_limits::kAck,
                               vigil::core::body_limits::kCloseAck,     vigil::core::body_limits::kPositionsSnapshot};

}  // namespace

// The first byte chooses the route; the rest is the body.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  FieldLimits limits = kRoutes[data[0] % std::size(kRoutes)];
  std::string_view text = vigil::fuzz::text(data + 1, size - 1);
  std::optional<RequestBody> body;
  try {
    body.emplace(text, limits);
  } catch (const ApiError& e) {
    check_refusal(e);
    return 0;
  }
  int digits = data[0] / std::size(kRoutes) % 11;  // 0 to 10, as instruments have
  for (const vigil::core::FieldLimit& limit : limits) read_field(*body, std::string(limit.field), digits, true);
  // The body's own keys too, as far as nlohmann lets them be listed.
  nlohmann::json dom = nlohmann::json::parse(text, nullptr, false);
  if (dom.is_object())
    for (const auto& item : dom.items()) read_field(*body, item.key(), digits, false);
  return 0;
}
