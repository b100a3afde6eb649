#include "key_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "key_text.hpp"

namespace vigil::keyring {
namespace {

// Generous for 64 hex characters plus line ending and stray whitespace.
constexpr size_t kMaxKeyFileBytes = 256;

class Fd {
 public:
  explicit Fd(int fd) noexcept : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Checks the opened file itself (fstat, not stat on the path) so the file
// checked is the file read.
void check_file(int fd, const std::string& where) {
  struct stat info {};
  if (fstat(fd, &info) != 0) throw std::invalid_argument(where + ": cannot inspect it: " + std::strerror(errno));
  if (!S_ISREG(info.st_mode)) throw std::invalid_argument(where + ": not a regular file");
  if (info.st_mode & (S_IRWXG | S_IRWXO))
    throw std::invalid_argument(where + ": group or others may access it (mode " + mode_text(info.st_mode) +
                                "); refusing to use it as a key: run chmod 600 on it");
}

SecretBytes from_file(const std::string& path, const std::string& where) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw std::invalid_argument(where + ": cannot open it: " + std::strerror(errno));
  check_file(fd.get(), where);
  SecretBytes text(kMaxKeyFileBytes + 1);
  size_t size = 0;
  while (size < text.size()) {
    ssize_t n = read(fd.get(), text.data() + size, text.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::invalid_argument(where + ": cannot read it: " + std::strerror(errno));
    if (n == 0) break;
    size += static_cast<size_t>(n);
  }
  if (size > kMaxKeyFileBytes) throw std::invalid_argument(where + ": too large to hold one key");
  SecretBytes key(kMasterKeyBytes);
  decode_key_text(std::string_view(reinterpret_cast<const char*>(text.data()), size), key.data(), where);
  return key;
}

SecretBytes from_env(const std::string& name, const std::string& where) {
  const char* value = std::getenv(name.c_str());
  if (!value || !*value)
    throw std::invalid_argument(where + " is not set (it must hold the 32-byte master key as 64 hex characters)");
  SecretBytes key(kMasterKeyBytes);
  decode_key_text(value, key.data(), where);
  return key;
}

}  // namespace

SecretBytes load_key(const KeySource& source, std::string_view plugin) {
  std::string where =
      std::string(plugin) + ": key version " + std::to_string(source.version) + ": " + source.describe();
  return source.origin == KeySource::Origin::env ? from_env(source.name, where) : from_file(source.name, where);
}

}  // namespace vigil::keyring
