#include "client_routes.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "app_reply.hpp"

namespace vigil::http {
namespace {

constexpr int kMaxWaitSeconds = 30;

int64_t now_ms(const sdk::Host& host) {
  return host.now_unix_ms();
}

// The value of `wait` in the query; nullopt when it is not 0-30.
std::optional<int> wait_seconds(std::string_view query) {
  int wait = 0;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (pair.substr(0, 5) == "wait=") {
      std::string_view digits = pair.substr(5);
      if (digits.empty() || digits.size() > 2) return std::nullopt;
      wait = 0;
      for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        wait = wait * 10 + (c - '0');
      }
      if (wait > kMaxWaitSeconds) return std::nullopt;
    }
    start = end + 1;
  }
  return wait;
}

HttpReply answer(std::string_view operation, AppAnswer&& a) {
  if (a.status == VIGIL_OK) return json_reply(200, std::move(a.body));
  return reply_from(operation, a);
}

// The device's close commands as they stand, or nullopt when there are none
// and the wait goes on (not `last`).
std::optional<HttpReply> close_commands_now(const AppClient& app, sdk::Host host, const std::string& device,
                                            std::string_view request_id, bool last) {
  try {
    AppAnswer now = app.call({.operation = "client.close_commands", .principal = device, .request_id = request_id});
    // An error is answered at once; so is a command.
    if (!last && now.status == VIGIL_OK && nlohmann::json::parse(now.body).at("commands").empty()) return std::nullopt;
    return answer("client.close_commands", std::move(now));
  } catch (const std::exception& e) {
    host.error("request " + std::string(request_id) + ": close-commands for " + device + " failed: " + e.what());
    return error_reply(500, "internal", "internal error");
  }
}

}  // namespace

void add_client_routes(Router& router, const AppClient& app, DeviceAuth& auth, sdk::Host host) {
  // Authenticates, then runs `operation` as the device.
  auto simple = [&app, &auth, host](const char* operation) {
    return [&app, &auth, host, operation](const HttpRequest& request) {
      HttpReply refusal;
      std::optional<std::string_view> device = auth.authenticate(request, now_ms(host), refusal);
      if (!device) return refusal;
      return answer(operation, app.call({.operation = operation,
                                         .principal = *device,
                                         .body_json = request.body,
                                         .request_id = request.request_id}));
    };
  };
  router.add("GET", "/api/v1/client/poll", simple("client.poll"));
  router.add("POST", "/api/v1/client/ack", simple("client.ack"));
  router.add("POST", "/api/v1/client/close-ack", simple("client.close_ack"));
  router.add("POST", "/api/v1/client/positions-snapshot", simple("client.positions_snapshot"));
  // The long-poll: parked in the session (http_session.hpp) with the query
  // that answers it, so that a waiting EA holds no thread.
  router.add("GET", "/api/v1/client/close-commands", [&app, &auth, host](const HttpRequest& request) {
    HttpReply refusal;
    std::optional<std::string_view> device = auth.authenticate(request, now_ms(host), refusal);
    if (!device) return refusal;
    std::optional<int> wait = wait_seconds(request.query);
    if (!wait) return error_reply(400, "invalid_argument", "wait: expected whole seconds from 0 to 30.");
    // A parked answer comes after dispatch: it carries the request's id itself.
    auto query = [&app, host, device = std::string(*device),
                  id = std::string(request.request_id)](bool last) -> std::optional<HttpReply> {
      std::optional<HttpReply> reply = close_commands_now(app, host, device, id, last);
      if (reply) reply->request_id = id;
      return reply;
    };
    if (*wait == 0) return *query(true);
    HttpReply parked;
    parked.park =
        std::make_shared<ParkRequest>(ParkRequest{std::string(*device), std::chrono::seconds(*wait), std::move(query)});
    return parked;
  });
}

}  // namespace vigil::http
