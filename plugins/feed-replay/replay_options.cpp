#include "replay_options.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace vigil::replay {
namespace {

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw std::invalid_argument("feed-replay: option " + key + ": " + why);
}

std::string text(const nlohmann::json& json, const char* key) {
  if (!json[key].is_string() || json[key].get<std::string>().empty()) fail(key, "expected a non-empty string");
  return json[key];
}

}  // namespace

Options parse_options(const std::string& json_text) {
  nlohmann::json json = nlohmann::json::parse(json_text, nullptr, false);
  if (!json.is_object()) fail("(all)", "expected a mapping");
  for (const auto& [key, value] : json.items())
    if (key != "file" && key != "format" && key != "instrument" && key != "speed" && key != "on_error")
      fail(key, "unknown option");
  Options out;
  if (!json.contains("file")) fail("file", "missing: name the tick file to replay");
  out.file = text(json, "file");
  if (json.contains("format")) {
    std::string format = text(json, "format");
    if (format != "csv" && format != "mt5") fail("format", "expected csv or mt5");
    out.format = format == "csv" ? Format::csv : Format::mt5;
  }
  if (json.contains("instrument")) out.instrument = text(json, "instrument");
  if (out.format == Format::mt5 && out.instrument.empty())
    fail("instrument", "required for the mt5 format (an MT5 export holds one instrument)");
  if (json.contains("speed")) {
    if (!json["speed"].is_number() || json["speed"].get<double>() < 0) fail("speed", "expected a number >= 0");
    out.speed = json["speed"];
  }
  if (json.contains("on_error")) {
    std::string mode = text(json, "on_error");
    if (mode != "fail" && mode != "skip") fail("on_error", "expected fail or skip");
    out.skip_bad_rows = mode == "skip";
  }
  return out;
}

}  // namespace vigil::replay
