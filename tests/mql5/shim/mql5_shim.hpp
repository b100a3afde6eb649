// The MQL5 functions examples/mql5 calls, for its C++ translation
// (tests/mql5/mql5_to_cpp.py), with the behaviour MetaQuotes documents:
// strings are UTF-16, StringToCharArray copies the terminating NUL and
// counts it, arrays are bounds-checked (MQL5 stops a program on "array out
// of range": here, abort), WebRequest is one blocking HTTP exchange
// (libcurl), CryptEncode(CRYPT_HASH_SHA256) is OpenSSL's SHA-256, files
// live under $MQL5_FILES_DIR, and the terminal's trading functions read a
// simulated broker (mql5_trade.hpp). Getters take MQL5's distinct enum
// types, so a property of the wrong kind does not compile, as in MQL5.
//
// Test hooks, from the environment (read when first needed):
//   MQL5_FILES_DIR     the terminal's MQL5/Files folder (default ".")
//   MQL5_SIM_FAIL      WebRequest to a URL holding this text fails (-1, 5203) before sending
//   MQL5_SIM_LOSE      ... is sent, and its answer lost (-1, 5203)
//   MQL5_SIM_CLOCK_OFFSET_S  seconds added to TimeGMT()
// Threading: one thread, as an EA.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

// MQL5's integer types. glibc's <sys/types.h> already names ushort, uint
// and ulong with the same meaning.
using uchar = unsigned char;
using datetime = long;

class mql_string {
 public:
  mql_string() = default;
  mql_string(const char16_t* text) : text_(text) {}  // NOLINT: the translation of a literal
  explicit mql_string(std::u16string text) : text_(std::move(text)) {}
  static mql_string from_utf8(std::string_view utf8);
  std::string utf8() const;
  const std::u16string& units() const { return text_; }
  std::u16string& units() { return text_; }

  friend mql_string operator+(const mql_string& a, const mql_string& b) { return mql_string(a.text_ + b.text_); }
  mql_string& operator+=(const mql_string& b) {
    text_ += b.text_;
    return *this;
  }
  friend bool operator==(const mql_string& a, const mql_string& b) = default;

 private:
  std::u16string text_;
};

[[noreturn]] void mql_array_out_of_range(long index, long size);

template <typename T>
class mql_array {
 public:
  T& operator[](long index) {
    if (index < 0 || index >= static_cast<long>(items_.size())) mql_array_out_of_range(index, items_.size());
    return items_[index];
  }
  const T& operator[](long index) const {
    if (index < 0 || index >= static_cast<long>(items_.size())) mql_array_out_of_range(index, items_.size());
    return items_[index];
  }
  std::vector<T>& items() { return items_; }
  const std::vector<T>& items() const { return items_; }

 private:
  std::vector<T> items_;
};

template <typename T>
int ArraySize(const mql_array<T>& array) {
  return static_cast<int>(array.items().size());
}
template <typename T>
int ArrayResize(mql_array<T>& array, int size, int = 0) {
  if (size < 0) return -1;
  array.items().resize(size);
  return size;
}
template <typename T>
void ArrayFree(mql_array<T>& array) {
  array.items().clear();
}

constexpr int WHOLE_ARRAY = -1;
constexpr uint CP_ACP = 0;
constexpr uint CP_UTF8 = 65001;
enum ENUM_CRYPT_METHOD { CRYPT_HASH_SHA256 = 7 };

int StringToCharArray(const mql_string& text, mql_array<uchar>& array, int start = 0, int count = -1,
                      uint codepage = CP_ACP);
mql_string CharArrayToString(const mql_array<uchar>& array, int start = 0, int count = -1, uint codepage = CP_ACP);
int StringLen(const mql_string& text);
mql_string StringSubstr(const mql_string& text, int start, int length = -1);
int StringFind(const mql_string& text, const mql_string& match, int start = 0);
ushort StringGetCharacter(const mql_string& text, int pos);
mql_string ShortToString(ushort code);
bool StringToLower(mql_string& text);
int StringTrimLeft(mql_string& text);
int StringTrimRight(mql_string& text);
int StringSplit(const mql_string& text, ushort separator, mql_array<mql_string>& result);
long StringToInteger(const mql_string& text);
double StringToDouble(const mql_string& text);
mql_string IntegerToString(long number, int length = 0, ushort fill = ' ');
mql_string DoubleToString(double value, int digits = 8);

int CryptEncode(ENUM_CRYPT_METHOD method, const mql_array<uchar>& data, const mql_array<uchar>& key,
                mql_array<uchar>& result);
int WebRequest(const mql_string& method, const mql_string& url, const mql_string& headers, int timeout_ms,
               const mql_array<char>& data, mql_array<char>& result, mql_string& result_headers);

int GetLastError();
void ResetLastError();
void mql_set_last_error(int code);
uint GetTickCount();
ulong GetTickCount64();
ulong GetMicrosecondCount();
datetime TimeGMT();
datetime TimeLocal();
int MathRand();
void MathSrand(int seed);
inline double MathAbs(double value) {
  return value < 0 ? -value : value;
}

constexpr int INVALID_HANDLE = -1;
constexpr int FILE_READ = 1;
constexpr int FILE_WRITE = 2;
constexpr int FILE_TXT = 16;
constexpr int FILE_UNICODE = 64;
constexpr int FILE_SHARE_READ = 128;
constexpr int FILE_COMMON = 4096;
enum ENUM_FILE_POSITION { SEEK_SET_ = 0, SEEK_CUR_ = 1, SEEK_END_ = 2 };
// <cstdio> defines SEEK_END as a macro; MQL5's is an enum value.
#undef SEEK_END
constexpr ENUM_FILE_POSITION SEEK_END = SEEK_END_;
int FileOpen(const mql_string& name, int flags);
void FileClose(int handle);
bool FileIsEnding(int handle);
mql_string FileReadString(int handle, int length = -1);
uint FileWriteString(int handle, const mql_string& text, int length = -1);
void FileFlush(int handle);
bool FileSeek(int handle, long offset, ENUM_FILE_POSITION origin);

void mql_print_line(const std::string& line);
inline void mql_print_part(std::string& line, const mql_string& part) {
  line += part.utf8();
}
inline void mql_print_part(std::string& line, bool part) {
  line += part ? "true" : "false";
}
template <typename T>
requires std::is_arithmetic_v<T>
void mql_print_part(std::string& line, T part) {
  line += std::to_string(part);
}
template <typename... Parts>
void Print(const Parts&... parts) {
  std::string line;
  (mql_print_part(line, parts), ...);
  mql_print_line(line);
}

bool EventSetTimer(int seconds);
void EventKillTimer();
int mql_timer_seconds();  // 0 when no timer is set

constexpr int INIT_SUCCEEDED = 0;
constexpr int INIT_FAILED = 1;
constexpr int INIT_PARAMETERS_INCORRECT = 2;

#include "mql5_terminal.hpp"
