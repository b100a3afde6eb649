// libFuzzer target: a csv tick file (time,instrument,bid,ask) read by
// feed-replay's TickFile, each accepted row through the host's tick intake.
#include "tests/fuzz/tick_file_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return vigil::fuzz::fuzz_tick_file(data, size, vigil::replay::Format::csv);
}
