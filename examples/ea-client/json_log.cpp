#include "examples/ea-client/json_log.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>

namespace vigil::ea {

void log_action(const std::string& action, nlohmann::json fields) {
  static std::mutex mutex;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  fields["ts"] = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  fields["action"] = action;
  std::string line = fields.dump() + "\n";
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);  // a reader (a test, `tail -f`) sees the line now
}

}  // namespace vigil::ea
