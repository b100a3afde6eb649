#include "tick_file.hpp"

#include <string_view>
#include <vector>

#include "vigil/cpp/iso_time.hpp"

namespace vigil::replay {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t at; (at = text.find(separator, start)) != std::string_view::npos; start = at + 1)
    out.push_back(text.substr(start, at - start));
  out.push_back(text.substr(start));
  return out;
}

// Digits with at most one point: what a price column may hold. Signs,
// exponents and spaces are refused here so they never reach the host.
bool is_plain_decimal(std::string_view text) {
  bool digit = false, point = false;
  for (char c : text) {
    if (c == '.' && !point)
      point = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else
      return false;
  }
  return digit;
}

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t") == std::string::npos;
}

const char* kCsvHeader = "time,instrument,bid,ask";
const char* kMt5Header = "<DATE>\t<TIME>\t<BID>\t<ASK>";

}  // namespace

TickFile::TickFile(const std::string& path, Format format, std::string instrument)
    : path_(path), format_(format), instrument_(std::move(instrument)), in_(path) {
  if (!in_) throw std::invalid_argument("feed-replay: option file: cannot open '" + path + "'");
  std::string header;
  if (!read_line(header)) throw RowError(path_, 1, "header", "the file is empty");
  if (header.rfind("\xEF\xBB\xBF", 0) == 0) header.erase(0, 3);  // a UTF-8 byte order mark
  bool ok = format_ == Format::csv ? header == kCsvHeader : header.rfind(kMt5Header, 0) == 0;
  if (!ok)
    throw RowError(path_, 1, "header",
                   format_ == Format::csv ? "expected \"time,instrument,bid,ask\""
                                          : "expected an MT5 tick export header \"<DATE> <TIME> <BID> <ASK> ...\"");
}

bool TickFile::read_line(std::string& text) {
  if (!std::getline(in_, text)) return false;
  ++line_;
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return true;
}

std::optional<TickRow> TickFile::next() {
  std::string text;
  while (read_line(text)) {
    if (is_blank(text)) continue;  // carries no tick, and is not a data row
    ++sequence_;
    if (auto row = parse(text)) return row;
  }
  return std::nullopt;
}

std::optional<TickRow> TickFile::parse(const std::string& text) {
  if (format_ == Format::csv) return parse_csv(text);
  return parse_mt5(text);
}

TickRow TickFile::parse_csv(const std::string& text) {
  auto fields = split(text, ',');
  if (fields.size() != 4)
    throw RowError(path_, line_, "row",
                   "expected 4 columns (time,instrument,bid,ask), found " + std::to_string(fields.size()));
  TickRow row{sequence_, line_, 0, std::string(fields[1]), std::string(fields[2]), std::string(fields[3])};
  auto time = sdk::parse_time(fields[0]);
  if (!time)
    throw RowError(
        path_, line_, "time",
        "'" + std::string(fields[0]) + "' is not ISO-8601 UTC (2024-01-02T10:00:00.123Z) or unix milliseconds");
  row.time_unix_ms = *time;
  if (row.instrument.empty()) throw RowError(path_, line_, "instrument", "is empty");
  if (row.bid.empty() && row.ask.empty()) throw RowError(path_, line_, "bid", "both bid and ask are empty");
  for (auto [field, value] : {std::pair{"bid", &row.bid}, std::pair{"ask", &row.ask}})
    if (!value->empty() && !is_plain_decimal(*value))
      throw RowError(path_, line_, field, "'" + *value + "' is not a decimal number");
  return row;
}

std::optional<TickRow> TickFile::parse_mt5(const std::string& text) {
  auto fields = split(text, '\t');
  if (fields.size() < 2) throw RowError(path_, line_, "row", "expected tab-separated <DATE> <TIME> <BID> <ASK>");
  std::string_view date = fields[0], time = fields[1];
  if (date.size() != 10 || date[4] != '.' || date[7] != '.')
    throw RowError(path_, line_, "date", "'" + std::string(date) + "' is not a date like 2024.01.02");
  std::string iso = std::string(date.substr(0, 4)) + "-" + std::string(date.substr(5, 2)) + "-" +
                    std::string(date.substr(8, 2)) + "T" + std::string(time) + "Z";
  auto at = sdk::parse_time(iso);
  if (!at) {
    bool date_ok = sdk::parse_time(iso.substr(0, 11) + "00:00:00Z").has_value();
    throw RowError(path_, line_, date_ok ? "time" : "date",
                   date_ok ? "'" + std::string(time) + "' is not a time like 10:00:00.123"
                           : "'" + std::string(date) + "' is not a valid date");
  }
  TickRow row{sequence_,
              line_,
              *at,
              instrument_,
              fields.size() > 2 ? std::string(fields[2]) : "",
              fields.size() > 3 ? std::string(fields[3]) : ""};
  if (row.bid.empty() && row.ask.empty()) return std::nullopt;  // a LAST/VOLUME-only row: no quote change
  for (auto [field, value] : {std::pair{"bid", &row.bid}, std::pair{"ask", &row.ask}})
    if (!value->empty() && !is_plain_decimal(*value))
      throw RowError(path_, line_, field, "'" + *value + "' is not a decimal number");
  return row;
}

}  // namespace vigil::replay
