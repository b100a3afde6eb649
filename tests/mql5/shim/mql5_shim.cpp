#include "mql5_shim.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <chrono>
#include <cmath>
#include <map>
#include <random>

namespace {

int last_error = 0;
int timer_seconds = 0;
std::mt19937 rand_engine(1);

const char* env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

void append_utf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xc0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xe0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  }
}

// The bytes MQL5 converts a string to in `codepage`: UTF-8, or for CP_ACP
// the low byte of each character (an ASCII test never needs more).
std::string encode(const std::u16string& text, uint codepage) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    uint32_t code = text[i];
    if (codepage != CP_UTF8) {
      out += static_cast<char>(code < 0x100 ? code : '?');
      continue;
    }
    if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.size() && text[i + 1] >= 0xdc00 && text[i + 1] < 0xe000) {
      code = 0x10000 + ((code - 0xd800) << 10) + (text[i + 1] - 0xdc00);
      ++i;
    }
    append_utf8(out, code);
  }
  return out;
}

std::u16string decode_utf8(std::string_view bytes) {
  std::u16string out;
  for (size_t i = 0; i < bytes.size();) {
    unsigned char c = bytes[i];
    uint32_t code = c;
    size_t extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if (extra > 0) code = c & (0x3f >> extra);
    if (extra > 0 && i + extra >= bytes.size()) {
      out += u'\ufffd';
      break;
    }
    for (size_t k = 1; k <= extra; ++k) code = (code << 6) | (static_cast<unsigned char>(bytes[i + k]) & 0x3f);
    i += 1 + extra;
    if (code >= 0x10000) {
      code -= 0x10000;
      out += static_cast<char16_t>(0xd800 + (code >> 10));
      out += static_cast<char16_t>(0xdc00 + (code & 0x3ff));
    } else {
      out += static_cast<char16_t>(code);
    }
  }
  return out;
}

}  // namespace

mql_string mql_string::from_utf8(std::string_view utf8) {
  return mql_string(decode_utf8(utf8));
}

std::string mql_string::utf8() const {
  return encode(text_, CP_UTF8);
}

void mql_array_out_of_range(long index, long size) {
  std::fprintf(stderr, "MQL5: array out of range (index %ld, size %ld)\n", index, size);
  std::abort();
}

int StringToCharArray(const mql_string& text, mql_array<uchar>& array, int start, int count, uint codepage) {
  std::string bytes = encode(text.units(), codepage);
  bytes += '\0';  // MQL5 copies the terminating NUL and counts it
  size_t copy = count < 0 ? bytes.size() : std::min<size_t>(count, bytes.size());
  auto& items = array.items();
  // A dynamic array grows to fit; it is never shrunk.
  if (items.size() < start + copy) items.resize(start + copy);
  for (size_t i = 0; i < copy; ++i) items[start + i] = static_cast<uchar>(bytes[i]);
  return static_cast<int>(copy);
}

mql_string CharArrayToString(const mql_array<uchar>& array, int start, int count, uint codepage) {
  const auto& items = array.items();
  std::string bytes;
  size_t end = count < 0 ? items.size() : std::min<size_t>(items.size(), start + count);
  for (size_t i = start; i < end && items[i] != 0; ++i) bytes += static_cast<char>(items[i]);
  if (codepage == CP_UTF8) return mql_string::from_utf8(bytes);
  std::u16string out;
  for (unsigned char c : bytes) out += static_cast<char16_t>(c);
  return mql_string(out);
}

int StringLen(const mql_string& text) {
  return static_cast<int>(text.units().size());
}

mql_string StringSubstr(const mql_string& text, int start, int length) {
  const auto& units = text.units();
  if (start < 0 || static_cast<size_t>(start) >= units.size()) return mql_string();
  return mql_string(units.substr(start, length < 0 ? std::u16string::npos : static_cast<size_t>(length)));
}

int StringFind(const mql_string& text, const mql_string& match, int start) {
  if (start < 0) start = 0;
  size_t at = text.units().find(match.units(), start);
  return at == std::u16string::npos ? -1 : static_cast<int>(at);
}

ushort StringGetCharacter(const mql_string& text, int pos) {
  if (pos < 0 || static_cast<size_t>(pos) >= text.units().size()) return 0;
  return text.units()[pos];
}

mql_string ShortToString(ushort code) {
  return mql_string(std::u16string(1, static_cast<char16_t>(code)));
}

bool StringToLower(mql_string& text) {
  for (auto& c : text.units())
    if (c >= u'A' && c <= u'Z') c = c - u'A' + u'a';
  return true;
}

static bool is_space(char16_t c) {
  return c == u' ' || c == u'\t' || c == u'\r' || c == u'\n';
}

int StringTrimLeft(mql_string& text) {
  auto& units = text.units();
  size_t n = 0;
  while (n < units.size() && is_space(units[n])) ++n;
  units.erase(0, n);
  return static_cast<int>(n);
}

int StringTrimRight(mql_string& text) {
  auto& units = text.units();
  size_t n = 0;
  while (n < units.size() && is_space(units[units.size() - 1 - n])) ++n;
  units.resize(units.size() - n);
  return static_cast<int>(n);
}

int StringSplit(const mql_string& text, ushort separator, mql_array<mql_string>& result) {
  auto& items = result.items();
  items.clear();
  if (text.units().empty()) return 0;
  std::u16string part;
  for (char16_t c : text.units()) {
    if (c == separator) {
      items.emplace_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  items.emplace_back(part);
  return static_cast<int>(items.size());
}

long StringToInteger(const mql_string& text) {
  return std::strtol(text.utf8().c_str(), nullptr, 10);
}

double StringToDouble(const mql_string& text) {
  return std::strtod(text.utf8().c_str(), nullptr);
}

mql_string IntegerToString(long number, int length, ushort fill) {
  std::string digits = std::to_string(number);
  mql_string out = mql_string::from_utf8(digits);
  if (static_cast<int>(digits.size()) < length)
    out = mql_string(std::u16string(length - digits.size(), static_cast<char16_t>(fill))) + out;
  return out;
}

mql_string DoubleToString(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return mql_string::from_utf8(text);
}

int CryptEncode(ENUM_CRYPT_METHOD method, const mql_array<uchar>& data, const mql_array<uchar>&,
                mql_array<uchar>& result) {
  // MetaQuotes does not document an empty input: this shim refuses it, so
  // that the client is proven not to depend on it.
  if (method != CRYPT_HASH_SHA256 || data.items().empty()) {
    mql_set_last_error(4029);  // ERR_INVALID_ARRAY
    return 0;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.items().data(), data.items().size(), digest, &size, EVP_sha256(), nullptr) != 1) return 0;
  result.items().assign(digest, digest + size);
  return static_cast<int>(size);
}

namespace {

size_t collect_body(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t collect_header(char* data, size_t size, size_t count, void* out) {
  std::string line(data, size * count);
  // WebRequest gives the answer's header fields, not its status line.
  if (line.rfind("HTTP/", 0) != 0 && line != "\r\n") static_cast<std::string*>(out)->append(line);
  return size * count;
}

}  // namespace

int WebRequest(const mql_string& method, const mql_string& url, const mql_string& headers, int timeout_ms,
               const mql_array<char>& data, mql_array<char>& result, mql_string& result_headers) {
  std::string target = url.utf8();
  std::string fail = env_or("MQL5_SIM_FAIL", ""), lose = env_or("MQL5_SIM_LOSE", "");
  result.items().clear();
  result_headers = mql_string();
  if (!fail.empty() && target.find(fail) != std::string::npos) {
    mql_set_last_error(5203);  // ERR_WEBREQUEST_REQUEST_FAILED
    return -1;
  }
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  std::string header_text = headers.utf8();
  for (size_t start = 0; start < header_text.size();) {
    size_t end = header_text.find("\r\n", start);
    if (end == std::string::npos) end = header_text.size();
    if (end > start) list = curl_slist_append(list, header_text.substr(start, end - start).c_str());
    start = end + 2;
  }
  list = curl_slist_append(list, "Expect:");
  std::string body, answer_headers;
  std::string verb = method.utf8();
  curl_easy_setopt(curl, CURLOPT_URL, target.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer_headers);
  if (verb == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, data.items().data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(data.items().size()));
  } else if (verb != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, verb.c_str());
  }
  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) {
    mql_set_last_error(code == CURLE_OPERATION_TIMEDOUT ? 5202 : code == CURLE_COULDNT_CONNECT ? 5201 : 5203);
    return -1;
  }
  if (!lose.empty() && target.find(lose) != std::string::npos) {
    mql_set_last_error(5203);
    return -1;
  }
  result.items().assign(body.begin(), body.end());
  result_headers = mql_string::from_utf8(answer_headers);
  return static_cast<int>(status);
}

int GetLastError() {
  return last_error;
}
void ResetLastError() {
  last_error = 0;
}
void mql_set_last_error(int code) {
  last_error = code;
}

uint GetTickCount() {
  return static_cast<uint>(GetTickCount64());
}

ulong GetTickCount64() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

ulong GetMicrosecondCount() {
  static const auto started = std::chrono::steady_clock::now();
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
}

datetime TimeGMT() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
         std::atol(env_or("MQL5_SIM_CLOCK_OFFSET_S", "0"));
}

datetime TimeLocal() {
  return TimeGMT();
}

int MathRand() {
  return static_cast<int>(rand_engine() % 32768);
}
void MathSrand(int seed) {
  rand_engine.seed(seed);
}

namespace {

struct OpenFile {
  std::FILE* file;
};
std::map<int, OpenFile> files;
int next_handle = 1;

}  // namespace

int FileOpen(const mql_string& name, int flags) {
  // This subset opens text files in UTF-16 (FILE_TXT | FILE_UNICODE) only.
  if ((flags & FILE_TXT) == 0 || (flags & FILE_UNICODE) == 0) {
    mql_set_last_error(5002);
    return INVALID_HANDLE;
  }
  std::string dir = env_or((flags & FILE_COMMON) != 0 ? "MQL5_COMMON_FILES_DIR" : "MQL5_FILES_DIR", ".");
  std::string path = dir + "/" + name.utf8();
  const char* mode = (flags & FILE_READ) != 0 && (flags & FILE_WRITE) != 0 ? "r+b"
                     : (flags & FILE_WRITE) != 0                           ? "wb"
                                                                           : "rb";
  std::FILE* file = std::fopen(path.c_str(), mode);
  if (file == nullptr && (flags & FILE_WRITE) != 0) file = std::fopen(path.c_str(), "w+b");
  if (file == nullptr) {
    mql_set_last_error(5004);  // ERR_CANNOT_OPEN_FILE
    return INVALID_HANDLE;
  }
  files[next_handle] = {file};
  return next_handle++;
}

void FileClose(int handle) {
  auto it = files.find(handle);
  if (it == files.end()) return;
  std::fclose(it->second.file);
  files.erase(it);
}

bool FileIsEnding(int handle) {
  auto it = files.find(handle);
  if (it == files.end()) return true;
  int c = std::fgetc(it->second.file);
  if (c == EOF) return true;
  std::ungetc(c, it->second.file);
  return false;
}

mql_string FileReadString(int handle, int) {
  auto it = files.find(handle);
  if (it == files.end()) return mql_string();
  std::u16string line;
  while (true) {
    int low = std::fgetc(it->second.file), high = low == EOF ? EOF : std::fgetc(it->second.file);
    if (high == EOF) break;
    char16_t unit = static_cast<char16_t>(low | (high << 8));
    if (unit == u'\n') break;
    line += unit;
  }
  if (!line.empty() && line.back() == u'\r') line.pop_back();
  return mql_string(line);
}

uint FileWriteString(int handle, const mql_string& text, int) {
  auto it = files.find(handle);
  if (it == files.end()) return 0;
  std::string bytes;
  for (char16_t unit : text.units()) {
    bytes += static_cast<char>(unit & 0xff);
    bytes += static_cast<char>(unit >> 8);
  }
  return static_cast<uint>(std::fwrite(bytes.data(), 1, bytes.size(), it->second.file));
}

void FileFlush(int handle) {
  auto it = files.find(handle);
  if (it != files.end()) std::fflush(it->second.file);
}

bool FileSeek(int handle, long offset, ENUM_FILE_POSITION origin) {
  auto it = files.find(handle);
  return it != files.end() && std::fseek(it->second.file, offset, static_cast<int>(origin)) == 0;
}

void mql_print_line(const std::string& line) {
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fflush(stdout);
}

bool EventSetTimer(int seconds) {
  if (seconds <= 0) return false;
  timer_seconds = seconds;
  return true;
}

void EventKillTimer() {
  timer_seconds = 0;
}

int mql_timer_seconds() {
  return timer_seconds;
}
