// vigil-ea: an EA loop against a Vigil server with a simulated broker.
// Exit codes: 0 done (or stopped by SIGINT/SIGTERM), 1 the server refused
// the device or --once met a failure, 64 bad command line.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "examples/ea-client/cli_options.hpp"
#include "examples/ea-client/ea_loop.hpp"
#include "examples/ea-client/json_log.hpp"

namespace {

std::atomic<bool> stopping{false};

void request_stop(int) {
  stopping = true;
}

// Sleeps up to `ms`, waking early when asked to stop.
void pause(int ms) {
  for (int waited = 0; waited < ms && !stopping; waited += 50)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

int run(const vigil::ea::CliOptions& options) {
  vigil::ea::EaApi api(options.url, options.credentials);
  api.session().set_stop_flag(&stopping);
  if (options.trace) api.session().set_trace(stderr);
  vigil::ea::SimulatedBroker broker(options.broker);
  vigil::ea::EaLoop loop(api, broker, options.wait_s, stopping);
  vigil::ea::log_action("start", {{"url", options.url}, {"device_id", options.credentials.device_id}});
  while (!stopping) {
    try {
      loop.run_once();
      if (options.once) return 0;
    } catch (const vigil::ea::AuthRefused& e) {
      std::cerr << "vigil-ea: the server refused device " << options.credentials.device_id << ": " << e.what() << "\n";
      return 1;
    } catch (const vigil::ea::TransientFailure& e) {
      if (options.once) return 1;
      pause(1000);  // the server is away or busy: do not hammer it
    }
  }
  vigil::ea::log_action("stop", {});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  vigil::ea::CliOptions options;
  try {
    options = vigil::ea::parse_cli(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const vigil::ea::UsageError& e) {
    std::cerr << "vigil-ea: " << e.what() << "\n" << vigil::ea::kUsage;
    return 64;
  }
  if (options.help) {
    std::cout << vigil::ea::kUsage;
    return 0;
  }
  if (options.version) {
    std::cout << "vigil-ea " << VIGIL_EA_VERSION << "\n";
    return 0;
  }
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  return run(options);
}
