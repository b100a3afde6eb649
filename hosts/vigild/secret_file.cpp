#include "hosts/vigild/secret_file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "hosts/common/config.hpp"

namespace vigil::host {
namespace {

std::string random_hex(std::string_view what) {
  unsigned char bytes[32];
  if (getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes))
    throw ConfigError("cannot create the " + std::string(what) + ": no random bytes from the kernel");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : bytes) hex += {kHex[b >> 4], kHex[b & 15]};
  std::memset(bytes, 0, sizeof bytes);
  return hex + "\n";
}

}  // namespace

bool create_secret_file(const std::filesystem::path& file, std::string_view what) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return false;  // another start made it first: use that one
    throw ConfigError(file.string() + ": cannot create the " + std::string(what) + " file: " + std::strerror(errno));
  }
  std::string secret = random_hex(what);
  bool written = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    std::filesystem::remove(file);
    throw ConfigError(file.string() + ": cannot write the " + std::string(what) + " file");
  }
  return true;
}

void ensure_data_dir(const std::filesystem::path& data_dir) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) throw ConfigError(data_dir.string() + ": cannot create the data directory: " + error.message());
}

}  // namespace vigil::host
