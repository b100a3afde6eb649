#include "tests/ea-client/vigild_server.hpp"

#include <sys/stat.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>

namespace vigil::test {
namespace {

std::string config(const std::string& dir, const std::string& key_file) {
  return "plugin_paths: [" VIGIL_PLUGIN_DIR
         "]\n"
         "instruments:\n"
         "  - {symbol: EURUSD, digits: 5}\n"
         "  - {symbol: USDJPY, digits: 3}\n"
         "rules:\n"
         "  - plugin: rule-sltp\n"
         "store:\n"
         "  plugin: store-sqlite\n"
         "  options: {path: " +
         dir +
         "/vigil.db}\n"
         "cipher:\n"
         "  plugin: cipher-sodium\n"
         "  options: {key_file: " +
         key_file +
         "}\n"
         "transport:\n"
         "  plugin: transport-http\n"
         "  options: {listen: \"127.0.0.1:0\", threads: 4}\n";
}

}  // namespace

VigildServer::VigildServer() {
  // A fixed key is fine for a throwaway store; the file must be 0600.
  std::string key = dir_.write("master.key", std::string(64, 'a') + "\n");
  chmod(key.c_str(), 0600);
  std::string config_file = dir_.write("vigil.yaml", config(dir_.path().string(), key));
  setenv("VIGIL_ADMIN_TOKEN", kAdminToken, 1);
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{built_binary("vigild"), "--config", config_file});
  if (!process_->wait_for_output("listening on", 20000))
    throw std::runtime_error("vigild did not start: " + process_->wait(1000).err);
  port_ = process_->listening_port();
}

VigildServer::~VigildServer() {
  process_->send_signal(SIGTERM);
  process_->wait(20000);
}

std::string VigildServer::write_file(const std::string& name, const std::string& text) const {
  return dir_.write(name, text);
}

}  // namespace vigil::test
