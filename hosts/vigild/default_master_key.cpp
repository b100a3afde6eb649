#include "hosts/vigild/default_master_key.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "core/support/log.hpp"

namespace vigil::host {
namespace {

std::string random_key_hex() {
  unsigned char key[32];
  if (getrandom(key, sizeof key, 0) != static_cast<ssize_t>(sizeof key))
    throw ConfigError("cannot create a master key: no random bytes from the kernel");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : key) hex += {kHex[b >> 4], kHex[b & 15]};
  std::memset(key, 0, sizeof key);
  return hex + "\n";
}

void create_key_file(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;  // another start made it first: use that one
    throw ConfigError(file.string() + ": cannot create the master key file: " + std::strerror(errno));
  }
  std::string key = random_key_hex();
  bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    std::filesystem::remove(file);
    throw ConfigError(file.string() + ": cannot write the master key file");
  }
  core::log(core::LogLevel::warn, "vigild",
            "created the master key " + file.string() + ": back it up; without it stored secrets cannot be read");
}

}  // namespace

void use_default_master_key(Config& config, const std::filesystem::path& data_dir) {
  const char* env = std::getenv("VIGIL_MASTER_KEY");
  if (!config.cipher || (env && *env)) return;
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) throw ConfigError(data_dir.string() + ": cannot create the data directory: " + error.message());
  std::filesystem::path file = data_dir / "master.key";
  if (!std::filesystem::exists(file)) create_key_file(file);
  nlohmann::json options =
      nlohmann::json::parse(config.cipher->options_json.empty() ? "{}" : config.cipher->options_json);
  options["key_file"] = std::filesystem::absolute(file).string();
  config.cipher->options_json = options.dump();
}

}  // namespace vigil::host
