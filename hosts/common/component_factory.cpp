#include "hosts/common/component_factory.hpp"

#include "hosts/common/input_error.hpp"

namespace vigil::host {

core::Instruments instruments_from(const Config& config, const std::vector<std::string>& overrides) {
  core::Instruments instruments;
  for (const auto& i : config.instruments) instruments.add(i.symbol, i.digits);
  for (const auto& text : overrides) {
    auto eq = text.find('=');
    std::string digits = eq == std::string::npos ? "" : text.substr(eq + 1);
    bool numeric = !digits.empty() && digits.size() <= 2 && digits.find_first_not_of("0123456789") == std::string::npos;
    if (eq == 0 || !numeric || std::stoi(digits) > 10)
      throw InputError("--digits " + text + ": expected SYMBOL=N with N from 0 to 10");
    instruments.add(text.substr(0, eq), std::stoi(digits));
  }
  return instruments;
}

}  // namespace vigil::host
