#include "ladder_params.hpp"

#include <cmath>

#include "vigil/cpp/options.hpp"

namespace vigil::ladder {
namespace {

Step read_step(const sdk::Options& item, int digits, bool last) {
  Step step{item.required_price("price", digits), 0};
  if (last) {
    if (item.has("fraction")) item.fail("fraction", "the last step takes the rest");
  } else {
    double fraction = item.required_number("fraction");
    if (fraction <= 0 || fraction >= 1) item.fail("fraction", "expected a number between 0 and 1");
    step.fraction = std::llround(fraction * 1e6);
  }
  item.finish();
  return step;
}

}  // namespace

std::vector<Step> read_steps(const std::string& defaults, std::string_view position, int digits, bool buy,
                             int64_t entry) {
  auto params = sdk::Options::merge(defaults, position, {"steps"});
  std::vector<sdk::Options> items = params.objects("steps");
  std::vector<Step> out;
  int64_t total = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    Step step = read_step(items[i], digits, i + 1 == items.size());
    int64_t previous = out.empty() ? entry : out.back().price;
    if (buy ? step.price <= previous : step.price >= previous)
      items[i].fail("price", "steps must move away from the entry in the position's favour");
    total += step.fraction;
    out.push_back(step);
  }
  if (total >= 1000000) params.fail("steps", "the fractions must leave a rest for the last step");
  return out;
}

}  // namespace vigil::ladder
