// One HTTP/1.1 connection to one server, kept alive between requests.
//
// Built on libcurl rather than plain sockets: a real EA talks to Vigil over
// TLS through a reverse proxy (the transport has no TLS), and libcurl brings
// TLS, proxies, chunked bodies and redirects-off handling without code of
// ours to get wrong. Reusing one easy handle keeps its connection open, so
// every request after the first skips the TCP (and TLS) handshake.
//
// When a reused connection dies before any answer (the server closed an
// idle one, a proxy dropped it), libcurl sends the request once more on a
// fresh connection. That is safe here because every EA call is idempotent
// (a repeated ack or close-ack gets the same answer), and it means one lost
// request is usually invisible to the caller.
//
// Threading: a session is used by one thread at a time; separate sessions
// may run on separate threads (call global_init() first, once).
#pragma once

#include <atomic>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::ea {

struct HttpAnswer {
  long status = 0;  // 0 when no answer arrived (then `error` says why)
  std::string body;
  std::string error;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpSession {
 public:
  // `base_url` is scheme://host[:port][/prefix], without a trailing slash.
  explicit HttpSession(std::string base_url);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // `target` is the path and query, e.g. "/api/v1/client/poll". Never
  // throws for network failures: they come back as status 0 and `error`.
  // `timeout_ms` bounds the whole exchange (a long-poll needs its wait).
  HttpAnswer request(std::string_view method, std::string_view target, std::string_view body, const HeaderList& headers,
                     long timeout_ms = 10'000);

  // Aborts a transfer in progress (from another thread or a signal
  // handler) and every later one while set.
  void set_stop_flag(const std::atomic<bool>* stop);
  // Writes every request and answer, headers and bodies, to `out` (null:
  // off): what an EA developer compares with their own signing code.
  void set_trace(std::FILE* out);
  const std::string& base_url() const { return base_url_; }

  // curl_global_init; call once before sessions are used on several threads.
  static void global_init();

 private:
  std::string base_url_;
  void* curl_;  // CURL*, kept out of this header
};

// The path part of a base URL ("" for "http://host:8080"), which a request
// signature must include.
std::string url_path_prefix(std::string_view base_url);

}  // namespace vigil::ea
