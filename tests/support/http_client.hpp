// A small HTTP/1.x client over a raw loopback socket, for talking to the
// transport exactly as bytes on the wire (headers and connection handling
// included). Every read times out after a few seconds, so a server that
// never answers fails the test instead of hanging it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace vigil::test {

struct HttpResponse {
  std::string status_line;
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;

  // The header's value, or "" when absent. `name` in lowercase.
  std::string header(const std::string& name) const;
};

class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port);  // 127.0.0.1
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  void send(std::string_view bytes);
  // Reads one response (Content-Length framed). Throws on timeout or EOF.
  HttpResponse receive();
  // Sends a request and reads its response. `headers` are extra lines, each ending in \r\n.
  HttpResponse request(std::string_view method, std::string_view path, std::string_view body = "",
                       std::string_view headers = "", std::string_view version = "HTTP/1.1");
  // True when the server closes its side within `wait` (reads nothing more).
  bool closed_by_server(std::chrono::milliseconds wait = std::chrono::milliseconds(2000));

 private:
  // Appends what the socket gives; false at EOF. Throws on timeout.
  bool fill();
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection.
HttpResponse http(uint16_t port, std::string_view method, std::string_view path, std::string_view body = "",
                  std::string_view headers = "");

}  // namespace vigil::test
