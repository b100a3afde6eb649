#include "ladder_params.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "rule_params.hpp"
#include "vigil/cpp/decimal.hpp"

namespace vigil::ladder {
namespace {

using Json = nlohmann::json;

Step read_step(const Json& item, const std::string& where, int digits, bool last) {
  if (!item.is_object() || !item.contains("price") || !item["price"].is_string())
    throw std::invalid_argument(where + ".price: expected a decimal string");
  auto price = sdk::parse_decimal(item["price"].get<std::string>(), digits);
  if (!price.ok() || price.value <= 0)
    throw std::invalid_argument(where + ".price: '" + item["price"].get<std::string>() + "' is not a valid price");
  Step step{price.value, 0};
  if (last) {
    if (item.contains("fraction")) throw std::invalid_argument(where + ".fraction: the last step takes the rest");
    return step;
  }
  if (!item.contains("fraction") || !item["fraction"].is_number())
    throw std::invalid_argument(where + ".fraction: expected a number between 0 and 1");
  double fraction = item["fraction"];
  if (fraction <= 0 || fraction >= 1)
    throw std::invalid_argument(where + ".fraction: expected a number between 0 and 1");
  step.fraction = std::llround(fraction * 1e6);
  return step;
}

}  // namespace

std::vector<Step> read_steps(const std::string& defaults, std::string_view position, int digits, bool buy,
                             int64_t entry) {
  Json params = rule_params::merge(defaults, position, {"steps"});
  if (!params.contains("steps")) return {};
  const Json& steps = params["steps"];
  if (!steps.is_array() || steps.empty()) throw std::invalid_argument("steps: expected a non-empty list");
  std::vector<Step> out;
  int64_t total = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    std::string where = "steps[" + std::to_string(i) + "]";
    Step step = read_step(steps[i], where, digits, i + 1 == steps.size());
    int64_t previous = out.empty() ? entry : out.back().price;
    if (buy ? step.price <= previous : step.price >= previous)
      throw std::invalid_argument(where + ".price: steps must move away from the entry in the position's favour");
    total += step.fraction;
    out.push_back(step);
  }
  if (total >= 1000000) throw std::invalid_argument("steps: the fractions must leave a rest for the last step");
  return out;
}

}  // namespace vigil::ladder
