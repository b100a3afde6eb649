#include "drawdown_params.hpp"

#include "vigil/cpp/options.hpp"

namespace vigil::drawdown {
namespace {

// A positive amount: a decimal string or a JSON number.
double amount(const sdk::Options& merged, const char* key) {
  double out = merged.required_number(key);
  if (!(out > 0)) merged.fail(key, "must be positive");
  return out;
}

}  // namespace

DrawdownParams read_params(const std::string& defaults_json, const std::string& position_json, int digits) {
  auto merged = sdk::Options::merge(defaults_json, position_json,
                                    {"max_loss", "max_loss_percent", "balance", "point_value", "close", "resolution"});
  DrawdownParams out;
  if (merged.has("max_loss") && merged.has("max_loss_percent"))
    merged.fail("max_loss", "give max_loss or max_loss_percent with balance, not both");
  if (merged.has("max_loss")) out.max_loss = amount(merged, "max_loss");
  if (merged.has("max_loss_percent")) {
    double percent = amount(merged, "max_loss_percent");
    if (percent > 100) merged.fail("max_loss_percent", "must be at most 100");
    if (!merged.has("balance")) merged.fail("balance", "needed with max_loss_percent");
    out.max_loss = amount(merged, "balance") * percent / 100;
  }
  if (merged.has("point_value")) out.point_value = amount(merged, "point_value");
  out.close_all = merged.one_of("close", {"all", "worst"}, "all") == "all";
  if (merged.has("resolution")) {
    out.resolution = merged.required_distance("resolution", digits);
    if (out.resolution <= 0) merged.fail("resolution", "must be positive");
  }
  return out;
}

}  // namespace vigil::drawdown
