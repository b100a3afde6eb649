// The body of the two tick file fuzzers (tick_csv, tick_mt5): the input is
// a whole file. Every row the file reader accepts goes on through the
// host's tick intake, as feed-replay publishes it, so the fuzzer covers the
// path from file bytes to engine prices.
#pragma once

#include <memory>

#include "core/app/tick_intake.hpp"
#include "plugins/feed-replay/tick_file.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace vigil::fuzz {

// A plain decimal: what TickFile promises a non-empty bid or ask is.
inline bool plain_decimal(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789.") == std::string::npos && s.find('.') == s.rfind('.') &&
         s != ".";
}

inline void check_and_publish(const replay::TickRow& row, const core::Instruments& instruments) {
  if ((row.bid.empty() && row.ask.empty()) || row.line < 2) std::abort();
  for (const std::string* side : {&row.bid, &row.ask})
    if (!side->empty() && !plain_decimal(*side)) std::abort();
  vigil_tick tick{sizeof(vigil_tick),
                  {row.instrument.data(), row.instrument.size()},
                  {row.bid.data(), row.bid.size()},
                  {row.ask.data(), row.ask.size()},
                  row.time_unix_ms,
                  row.sequence};
  try {
    core::parse_tick(instruments, tick);
  } catch (const core::TickRejected&) {
    // Refused by the host with the field named: feed-replay skips the row.
  }
}

// Reads the whole file as feed-replay does, going on after bad rows (at
// most 10,000 refusals, so a file of errors cannot run away).
inline int fuzz_tick_file(const uint8_t* data, size_t size, replay::Format format) {
  static ScratchFile file(format == replay::Format::csv ? "ticks-csv" : "ticks-mt5");
  static const core::Instruments instruments = [] {
    core::Instruments out;
    out.add("EURUSD", 5);
    out.add("XAUUSD", 3);
    out.add("US30", 0);
    return out;
  }();
  const std::string& path = file.write(text(data, size));
  std::unique_ptr<replay::TickFile> ticks;
  try {
    ticks = std::make_unique<replay::TickFile>(path, format, "EURUSD");
  } catch (const replay::RowError& e) {
    require_prefix(e.what(), path + ":1: field 'header': ");
    return 0;
  }
  for (int refused = 0; refused < 10000;) {
    try {
      std::optional<replay::TickRow> row = ticks->next();
      if (!row) break;
      check_and_publish(*row, instruments);
    } catch (const replay::RowError& e) {
      require_prefix(e.what(), path + ":");
      ++refused;
    }
  }
  return 0;
}

}  // namespace vigil::fuzz
