#include "hosts/common/positions_file.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/app/tick_intake.hpp"
#include "core/support/json_fields.hpp"
#include "hosts/common/input_error.hpp"
#include "vigil/cpp/decimal.hpp"
#include "vigil/cpp/iso_time.hpp"

namespace vigil::host {
namespace {

using core::JsonField;

struct LineReader {
  std::string where;  // "file:line: "
  const core::JsonFields& fields;

  [[noreturn]] void fail(const std::string& field, const std::string& why) const {
    throw InputError(where + "field '" + field + "': " + why);
  }
  const JsonField* find(const std::string& field) const {
    auto it = fields.find(field);
    return it == fields.end() || it->second.kind == JsonField::Kind::null ? nullptr : &it->second;
  }
  const JsonField& require(const std::string& field) const {
    const JsonField* value = find(field);
    if (!value) fail(field, "missing");
    return *value;
  }
  // A string or a number, as written.
  std::string text(const std::string& field, const JsonField& value) const {
    if (value.kind != JsonField::Kind::string && value.kind != JsonField::Kind::number)
      fail(field, std::string("expected a string or a number, found ") + core::kind_name(value.kind));
    if (value.text.empty()) fail(field, "is empty");
    return value.text;
  }
  int64_t price(const std::string& field, const core::Instruments& instruments, core::InstrumentId id) const {
    std::string written = text(field, require(field));
    try {
      return core::parse_price(instruments, id, written, field);
    } catch (const core::TickRejected& e) {
      throw InputError(where + e.what());
    }
  }
  std::optional<int64_t> optional_price(const std::string& field, const core::Instruments& instruments,
                                        core::InstrumentId id) const {
    if (!find(field)) return std::nullopt;
    return price(field, instruments, id);
  }
};

core::NewPosition read_position(const LineReader& r, const core::Instruments& instruments) {
  core::NewPosition p;
  p.id = r.text("position_id", r.require("position_id"));
  const JsonField& symbol = r.require("instrument");
  if (symbol.kind != JsonField::Kind::string) r.fail("instrument", "expected a string");
  auto instrument = instruments.find(symbol.text);
  if (!instrument)
    r.fail("instrument",
           "unknown instrument '" + symbol.text + "' (add it to the config or pass --digits " + symbol.text + "=N)");
  p.instrument = *instrument;
  std::string side = r.text("side", r.require("side"));
  for (char& c : side) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (side != "buy" && side != "sell") r.fail("side", "expected \"buy\" or \"sell\"");
  p.side = side == "buy" ? core::Side::buy : core::Side::sell;
  auto volume = sdk::parse_decimal(r.text("volume", r.require("volume")), 8);
  if (!volume.ok()) r.fail("volume", std::string(sdk::describe(*volume.error)));
  if (volume.value <= 0) r.fail("volume", "must be positive");
  p.volume = volume.value;
  p.entry_price = r.price("entry_price", instruments, p.instrument);
  p.owner_sl = r.optional_price("owner_sl", instruments, p.instrument);
  p.owner_tp = r.optional_price("owner_tp", instruments, p.instrument);
  if (const JsonField* opened = r.find("opened_at")) {
    auto at = sdk::parse_time(r.text("opened_at", *opened));
    if (!at) r.fail("opened_at", "expected ISO-8601 UTC (2024-01-02T10:00:00.123Z) or unix milliseconds");
    p.opened_at_unix_ms = *at;
  }
  // The account, for rules that judge a client's positions together.
  if (const JsonField* client = r.find("client_id")) p.group = r.text("client_id", *client);
  return p;
}

// The "rules" object, kept as JSON text per rule for the rule to read.
std::map<std::string, std::string> read_rule_params(const LineReader& r, const std::string& line) {
  std::map<std::string, std::string> out;
  if (!r.find("rules")) return out;
  nlohmann::json rules = nlohmann::json::parse(line)["rules"];
  if (!rules.is_object()) r.fail("rules", "expected an object of rule name -> parameters");
  for (const auto& [name, params] : rules.items()) {
    if (!params.is_object()) r.fail("rules." + name, "expected an object of parameters");
    out[name] = params.dump();
  }
  return out;
}

}  // namespace

std::vector<PositionLine> read_positions_file(const std::filesystem::path& file, const core::Instruments& instruments) {
  std::ifstream in(file);
  if (!in) throw InputError(file.string() + ": cannot read the positions file");
  std::vector<PositionLine> out;
  std::set<std::string> ids;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    std::string where = file.string() + ":" + std::to_string(line) + ": ";
    core::JsonFields fields;
    try {
      fields = core::parse_json_fields(text);
    } catch (const core::JsonError& e) {
      throw InputError(where + e.what());
    }
    LineReader reader{where, fields};
    core::NewPosition position = read_position(reader, instruments);
    if (!ids.insert(position.id).second) reader.fail("position_id", "duplicate position id '" + position.id + "'");
    position.key = out.size();
    out.push_back({line, std::move(position), read_rule_params(reader, text)});
  }
  return out;
}

}  // namespace vigil::host
