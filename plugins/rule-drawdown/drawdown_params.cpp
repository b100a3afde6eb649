#include "drawdown_params.hpp"

#include <stdexcept>

#include "rule_params.hpp"

namespace vigil::drawdown {
namespace {

// A positive amount: a decimal string or a JSON number.
double amount(const nlohmann::json& value, const std::string& key) {
  double out = 0;
  if (value.is_number()) {
    out = value.get<double>();
  } else if (value.is_string()) {
    const std::string text = value.get<std::string>();
    size_t used = 0;
    try {
      out = std::stod(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size()) throw std::invalid_argument(key + ": expected a number, got '" + text + "'");
  } else {
    throw std::invalid_argument(key + ": expected a number");
  }
  if (!(out > 0)) throw std::invalid_argument(key + ": must be positive");
  return out;
}

}  // namespace

DrawdownParams read_params(const std::string& defaults_json, const std::string& position_json, int digits) {
  nlohmann::json merged = rule_params::merge(
      defaults_json, position_json, {"max_loss", "max_loss_percent", "balance", "point_value", "close", "resolution"});
  DrawdownParams out;
  if (merged.contains("max_loss") && merged.contains("max_loss_percent"))
    throw std::invalid_argument("max_loss: give max_loss or max_loss_percent with balance, not both");
  if (merged.contains("max_loss")) out.max_loss = amount(merged["max_loss"], "max_loss");
  if (merged.contains("max_loss_percent")) {
    double percent = amount(merged["max_loss_percent"], "max_loss_percent");
    if (percent > 100) throw std::invalid_argument("max_loss_percent: must be at most 100");
    if (!merged.contains("balance")) throw std::invalid_argument("balance: needed with max_loss_percent");
    out.max_loss = amount(merged["balance"], "balance") * percent / 100;
  }
  if (merged.contains("point_value")) out.point_value = amount(merged["point_value"], "point_value");
  if (merged.contains("close")) {
    const nlohmann::json& close = merged["close"];
    if (close != "all" && close != "worst") throw std::invalid_argument("close: expected \"all\" or \"worst\"");
    out.close_all = close == "all";
  }
  if (merged.contains("resolution")) {
    out.resolution = rule_params::distance(merged["resolution"], "resolution", digits);
    if (out.resolution <= 0) throw std::invalid_argument("resolution: must be positive");
  }
  return out;
}

}  // namespace vigil::drawdown
