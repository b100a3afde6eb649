#include "examples/ea-client/http_session.hpp"

#include <curl/curl.h>

#include <mutex>
#include <stdexcept>

namespace vigil::ea {
namespace {

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// libcurl's progress hook: a non-zero answer aborts the transfer, which is
// how a long-poll ends promptly on SIGTERM.
int check_stop(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* stop = static_cast<const std::atomic<bool>*>(user);
  return stop != nullptr && stop->load() ? 1 : 0;
}

// libcurl's debug hook, for set_trace(): what went out ("> ") and came in
// ("< "), every line marked, bodies as they were.
int trace(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  bool out = type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT;
  if (!out && type != CURLINFO_HEADER_IN && type != CURLINFO_DATA_IN) return 0;
  std::string_view text(data, size);
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::fprintf(static_cast<std::FILE*>(user), "%s%.*s\n", out ? "> " : "< ", static_cast<int>(line.size()),
                 line.data());
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return 0;
}

curl_slist* header_list(const HeaderList& headers, bool has_body) {
  curl_slist* list = nullptr;
  for (const auto& [name, value] : headers) list = curl_slist_append(list, (name + ": " + value).c_str());
  // Without this libcurl waits for "100 Continue" before larger bodies.
  list = curl_slist_append(list, "Expect:");
  if (has_body) list = curl_slist_append(list, "Content-Type: application/json");
  return list;
}

}  // namespace

void HttpSession::global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpSession::HttpSession(std::string base_url) : base_url_(std::move(base_url)), curl_(nullptr) {
  global_init();
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw std::runtime_error("curl_easy_init failed");
  curl_ = curl;
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: safe with threads
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, check_stop);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, nullptr);
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, trace);
}

HttpSession::~HttpSession() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void HttpSession::set_stop_flag(const std::atomic<bool>* stop) {
  curl_easy_setopt(static_cast<CURL*>(curl_), CURLOPT_XFERINFODATA, stop);
}

void HttpSession::set_trace(std::FILE* out) {
  curl_easy_setopt(static_cast<CURL*>(curl_), CURLOPT_VERBOSE, out != nullptr ? 1L : 0L);
  curl_easy_setopt(static_cast<CURL*>(curl_), CURLOPT_DEBUGDATA, out);
}

HttpAnswer HttpSession::request(std::string_view method, std::string_view target, std::string_view body,
                                const HeaderList& headers, long timeout_ms) {
  CURL* curl = static_cast<CURL*>(curl_);
  HttpAnswer answer;
  std::string url = base_url_ + std::string(target);
  std::string verb(method);
  curl_slist* list = header_list(headers, !body.empty());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);  // resets any body of the previous request
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, verb.c_str());
  if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(list);
  if (code != CURLE_OK) return {0, "", curl_easy_strerror(code)};
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

std::string url_path_prefix(std::string_view base_url) {
  size_t scheme = base_url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t slash = base_url.find('/', start);
  if (slash == std::string_view::npos) return "";
  std::string prefix(base_url.substr(slash));
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  return prefix;
}

}  // namespace vigil::ea
