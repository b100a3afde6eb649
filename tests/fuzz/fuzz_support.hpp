// What the fuzzers share: the input as text, a scratch file for parsers
// that read files, and the check every refusal must pass (its message says
// where the input was wrong).
//
// A fuzzer lets through only the exception type a parser documents for bad
// input; anything else escapes LLVMFuzzerTestOneInput, std::terminate
// aborts, and libFuzzer reports it as a crash with the input that did it.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace vigil::fuzz {

inline std::string_view text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A file in memory (/dev/shm) where there is one, else in the temporary
// directory: ext4 flushes a file truncated and closed, which cut the file
// fuzzers to 300 inputs a second. One per process (libFuzzer's -fork and
// -jobs run several), rewritten with each input and removed at exit.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& stem)
      : path_(directory() / ("vigil-fuzz-" + stem + "-" + std::to_string(getpid()) + ".txt")) {}
  ~ScratchFile() { std::filesystem::remove(path_); }
  const std::string& write(std::string_view content) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc).write(content.data(), std::streamsize(content.size()));
    return path_;
  }
  const std::string& path() const { return path_; }

 private:
  static std::filesystem::path directory() {
    std::error_code ec;
    return std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm")
                                                         : std::filesystem::temp_directory_path();
  }
  std::string path_;
};

// Aborts (a finding) when a refusal's message does not start with `where`:
// every error must name the file (and line) it is about.
inline void require_prefix(const char* message, std::string_view where) {
  if (std::string_view(message).substr(0, where.size()) != where) std::abort();
}

}  // namespace vigil::fuzz
