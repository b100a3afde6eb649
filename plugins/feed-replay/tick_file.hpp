// Reading tick files row by row (docs/file-formats.md):
//   csv: header "time,instrument,bid,ask"; time ISO-8601 UTC or unix ms
//   mt5: MetaTrader 5 export, tab-separated, "<DATE>\t<TIME>\t<BID>\t<ASK>..."
// An empty bid or ask means "unchanged". Streams: one line in memory.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

#include "replay_options.hpp"

namespace vigil::replay {

struct TickRow {
  int64_t sequence = 0;  // 0-based data row
  int64_t line = 0;      // 1-based line in the file
  int64_t time_unix_ms = 0;
  std::string instrument;
  std::string bid, ask;  // as written; empty: unchanged
};

// A malformed row, or a bad header: "FILE:LINE: field 'bid': why".
class RowError : public std::invalid_argument {
 public:
  RowError(const std::string& file, int64_t line, const std::string& field, const std::string& why)
      : std::invalid_argument(file + ":" + std::to_string(line) + ": field '" + field + "': " + why) {}
};

class TickFile {
 public:
  // Opens the file and checks its header; throws RowError or invalid_argument.
  TickFile(const std::string& path, Format format, std::string instrument);

  // The next data row, or nothing at the end. A malformed row throws
  // RowError; reading may continue after it (the row counts as read).
  // MT5 rows with neither bid nor ask carry no price and are passed over.
  std::optional<TickRow> next();

 private:
  std::optional<TickRow> parse(const std::string& text);
  TickRow parse_csv(const std::string& text);
  std::optional<TickRow> parse_mt5(const std::string& text);
  bool read_line(std::string& text);

  std::string path_;
  Format format_;
  std::string instrument_;
  std::ifstream in_;
  int64_t line_ = 0;
  int64_t sequence_ = -1;
};

}  // namespace vigil::replay
