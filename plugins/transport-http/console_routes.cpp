#include "console_routes.hpp"

#include "app_reply.hpp"

namespace vigil::http {
namespace {

// Whether the host has an admin token: the one refusal that says so is
// "admin_api_closed", whatever the operation.
bool admin_api_open(const AppClient& app) {
  AppAnswer answer = app.call({.operation = "admin.health", .params_json = R"({"bearer":""})"});
  return answer.error_code != "admin_api_closed";
}

HttpReply serve(const AppClient& app, const ConsoleFile& file) {
  if (!admin_api_open(app))
    return error_reply(403, "admin_api_closed",
                       "The console is served only while the admin API is open: no admin token is configured.");
  HttpReply reply;
  reply.content_type = file.content_type;
  reply.body = file.body;
  reply.headers = {{"Content-Security-Policy", std::string(kConsoleCsp)},
                   {"X-Content-Type-Options", "nosniff"},
                   {"X-Frame-Options", "DENY"},
                   {"Referrer-Policy", "no-referrer"},
                   {"Cache-Control", "no-cache"}};
  return reply;
}

}  // namespace

void add_console_routes(Router& router, const AppClient& app, const ConsoleFiles& files) {
  for (const ConsoleFile& file : files.files) {
    auto handler = [&app, &file](const HttpRequest&) { return serve(app, file); };
    router.add("GET", file.url_path, handler);
    if (file.url_path == "/console/index.html") {
      router.add("GET", "/console", handler);
      router.add("GET", "/console/", handler);
    }
  }
}

}  // namespace vigil::http
