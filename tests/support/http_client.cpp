#include "tests/support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace vigil::test {
namespace {

constexpr int kReadTimeoutMs = 5000;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string trim(const std::string& text) {
  size_t first = text.find_first_not_of(" \t");
  size_t last = text.find_last_not_of(" \t\r");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

HttpResponse parse_head(const std::string& head) {
  HttpResponse out;
  size_t line_end = head.find("\r\n");
  out.status_line = head.substr(0, line_end);
  size_t space = out.status_line.find(' ');
  if (space == std::string::npos) throw std::runtime_error("bad status line: " + out.status_line);
  out.status = std::stoi(out.status_line.substr(space + 1, 3));
  size_t at = line_end + 2;
  while (at < head.size()) {
    size_t end = head.find("\r\n", at);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(at, end - at);
    size_t colon = line.find(':');
    if (colon != std::string::npos) out.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    at = end + 2;
  }
  return out;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

HttpConnection::HttpConnection(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error("connect to port " + std::to_string(port) + ": " + why);
  }
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) ::close(fd_);
}

void HttpConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error(std::string("send: ") + std::strerror(errno));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

bool HttpConnection::fill() {
  pollfd p{fd_, POLLIN, 0};
  int ready = ::poll(&p, 1, kReadTimeoutMs);
  if (ready == 0) throw std::runtime_error("timed out waiting for the server");
  char chunk[16384];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n < 0) throw std::runtime_error(std::string("recv: ") + std::strerror(errno));
  buffer_.append(chunk, static_cast<size_t>(n));
  return n > 0;
}

HttpResponse HttpConnection::receive() {
  size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos)
    if (!fill()) throw std::runtime_error("connection closed before a response: " + buffer_);
  HttpResponse out = parse_head(buffer_.substr(0, head_end));
  size_t length = out.header("content-length").empty() ? 0 : std::stoul(out.header("content-length"));
  size_t body_start = head_end + 4;
  while (buffer_.size() < body_start + length)
    if (!fill()) throw std::runtime_error("connection closed inside a body");
  out.body = buffer_.substr(body_start, length);
  buffer_.erase(0, body_start + length);
  return out;
}

HttpResponse HttpConnection::request(std::string_view method, std::string_view path, std::string_view body,
                                     std::string_view headers, std::string_view version) {
  std::string text = std::string(method) + " " + std::string(path) + " " + std::string(version) +
                     "\r\nHost: 127.0.0.1\r\n" + std::string(headers);
  if (!body.empty()) text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  text += "\r\n";
  text += body;
  send(text);
  return receive();
}

bool HttpConnection::closed_by_server(std::chrono::milliseconds wait) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
  char byte;
  return ::recv(fd_, &byte, 1, MSG_PEEK) == 0;
}

HttpResponse http(uint16_t port, std::string_view method, std::string_view path, std::string_view body,
                  std::string_view headers) {
  HttpConnection connection(port);
  return connection.request(method, path, body, headers);
}

}  // namespace vigil::test
