// libFuzzer target: a positions file (JSON lines) read by
// hosts/common/positions_file.cpp, as `vigil replay` reads it. The only
// refusal allowed is InputError naming the file.
#include "hosts/common/input_error.hpp"
#include "hosts/common/positions_file.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static vigil::fuzz::ScratchFile file("positions");
  static const vigil::core::Instruments instruments = [] {
    vigil::core::Instruments out;
    out.add("EURUSD", 5);
    out.add("XAUUSD", 3);
    return out;
  }();
  const std::string& path = file.write(vigil::fuzz::text(data, size));
  try {
    for (const vigil::host::PositionLine& p : vigil::host::read_positions_file(path, instruments)) {
      // What the reader promises of every position it returns.
      if (p.line < 1 || p.position.id.empty() || p.position.volume <= 0 || p.position.entry_price <= 0) std::abort();
    }
  } catch (const vigil::host::InputError& e) {
    vigil::fuzz::require_prefix(e.what(), path + ":");
  }
  return 0;
}
