// VigilExecutor.mq5, translated to C++, run as a terminal would: OnInit,
// OnTimer rounds, OnDeinit. Inputs from the command line:
//   mql5_executor --url U --device D --secret S [--wait W] [--magic M]
//                 [--rounds N] [--seconds T]
// runs N rounds (default 1) or, with --seconds, rounds until T seconds
// passed. Exit code: 0, 10 + OnInit's code when OnInit refused, 64 for a
// bad command line; the simulated broker may end it with 3 (MQL5_SIM_CRASH).
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "VigilExecutor.mq5.hpp"

int main(int argc, char** argv) {
  int rounds = 1;
  double seconds = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    mql_string value = mql_string::from_utf8(argv[i + 1]);
    if (flag == "--url") {
      InpServerUrl = value;
    } else if (flag == "--device") {
      InpDeviceId = value;
    } else if (flag == "--secret") {
      InpDeviceSecret = value;
    } else if (flag == "--wait") {
      InpWaitSeconds = static_cast<int>(StringToInteger(value));
    } else if (flag == "--magic") {
      InpMagic = static_cast<ulong>(StringToInteger(value));
    } else if (flag == "--rounds") {
      rounds = static_cast<int>(StringToInteger(value));
    } else if (flag == "--seconds") {
      seconds = StringToDouble(value);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 64;
    }
  }
  int init = OnInit();
  if (init != INIT_SUCCEEDED) {
    OnDeinit(1);
    return 10 + init;
  }
  if (mql_timer_seconds() != InpPollSeconds) {
    std::fprintf(stderr, "OnInit did not set the timer to the poll period\n");
    return 1;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (int round = 0; seconds > 0 ? std::chrono::steady_clock::now() < deadline : round < rounds; ++round) {
    if (Paused()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    OnTimer();
  }
  OnDeinit(0);
  return 0;
}
