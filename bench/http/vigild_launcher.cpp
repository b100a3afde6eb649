#include "bench/http/vigild_launcher.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace vigil::bench {
namespace {

void write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string config(const std::string& dir, const std::string& transport_options) {
  return "plugin_paths: [" VIGIL_PLUGIN_DIR
         "]\n"
         "instruments:\n  - {symbol: EURUSD, digits: 5}\n"
         "rules:\n  - plugin: rule-sltp\n"
         "store:\n  plugin: store-sqlite\n  options: {path: " +
         dir +
         "/vigil.db}\n"
         "cipher:\n  plugin: cipher-sodium\n  options: {key_file: " +
         dir +
         "/master.key}\n"
         "transport:\n  plugin: transport-http\n  options: " +
         transport_options + "\n";
}

pid_t spawn(const std::string& config_file, const std::string& log_file, int out) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  int log = open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(out, 1);
  dup2(log, 2);
  std::string vigild = VIGIL_BUILD_DIR "/bin/vigild";
  execl(vigild.c_str(), vigild.c_str(), "--config", config_file.c_str(), static_cast<char*>(nullptr));
  _exit(127);
}

// The port of vigild's "vigild: listening on http://127.0.0.1:PORT" line.
uint16_t read_port(int fd) {
  std::string line;
  char c = 0;
  while (read(fd, &c, 1) == 1 && c != '\n') line += c;
  if (line.find("listening on") == std::string::npos) throw std::runtime_error("vigild did not start: " + line);
  return static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
}

}  // namespace

VigildLauncher::VigildLauncher(const std::string& transport_options) {
  char pattern[] = "/tmp/vigil-bench-http-XXXXXX";
  dir_ = mkdtemp(pattern);
  write(dir_ + "/master.key", std::string(64, 'b') + "\n");
  chmod((dir_ + "/master.key").c_str(), 0600);
  write(dir_ + "/vigil.yaml", config(dir_, transport_options));
  setenv("VIGIL_ADMIN_TOKEN", kAdminToken, 1);
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_ = spawn(dir_ + "/vigil.yaml", dir_ + "/vigild.log", fds[1]);
  close(fds[1]);
  // Kept open until vigild ends: closing it would kill vigild with SIGPIPE
  // at its next line on stdout.
  out_ = fds[0];
  port_ = read_port(out_);
}

VigildLauncher::~VigildLauncher() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  if (out_ >= 0) close(out_);
  std::filesystem::remove_all(dir_);
}

}  // namespace vigil::bench
