// rule-expiry: closes a position at a deadline or after a holding time.
// Reason "expired". Driven by the engine's deadline heap (never a scan):
// the deadline fires on the first tick at or after it, or on the wall clock
// in vigild, whichever comes first. The close carries the position's current
// trigger price (0 if its instrument has not ticked yet) as price and level.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "rule_params.hpp"
#include "vigil/cpp/iso_time.hpp"
#include "vigil/sdk.hpp"

namespace {

using Json = nlohmann::json;

struct ExpiryParams {
  std::optional<int64_t> at;        // absolute, unix ms
  std::optional<int64_t> after_ms;  // holding time from opened_at
};

// "90s", "15m", "4h", "2d" or a number of seconds.
int64_t read_duration_ms(const Json& value) {
  if (value.is_number_integer() && value.get<int64_t>() > 0) return value.get<int64_t>() * 1000;
  if (value.is_string()) {
    std::string text = value;
    size_t used = 0;
    int64_t amount = 0;
    try {
      amount = std::stoll(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    std::string unit = text.substr(used);
    const std::pair<const char*, int64_t> units[] = {{"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
    for (const auto& [name, ms] : units)
      if (used > 0 && amount > 0 && unit == name) return amount * ms;
  }
  throw std::invalid_argument("after: expected a positive duration like \"90s\", \"15m\", \"4h\", \"2d\" or seconds");
}

ExpiryParams read_params(const std::string& defaults, std::string_view position) {
  Json merged = vigil::rule_params::merge(defaults, position, {"at", "after"});
  ExpiryParams out;
  for (const auto& [key, value] : merged.items()) {
    if (key == "at") {
      auto at = value.is_string() ? vigil::sdk::parse_time(value.get<std::string>()) : std::nullopt;
      if (value.is_number_integer()) at = value.get<int64_t>();
      if (!at) throw std::invalid_argument("at: expected ISO-8601 UTC or unix milliseconds");
      out.at = at;
    } else {
      out.after_ms = read_duration_ms(value);
    }
  }
  return out;
}

class ExpiryRule final : public vigil::sdk::Rule {
 public:
  enum : uint32_t { kDeadline = 1 };

  explicit ExpiryRule(const vigil::sdk::CreateArgs& args) : defaults_(args.options_json) {
    read_params(defaults_, "");  // refuse bad options at start
  }

  void attach(const vigil::sdk::Position& p, const vigil::sdk::Actions& a) override {
    ExpiryParams params = read_params(defaults_, p.params_json);
    std::optional<int64_t> deadline = params.at;
    if (params.after_ms) {
      if (p.opened_at_unix_ms == 0)
        throw std::invalid_argument("after: the position has no opened_at to count the holding time from");
      // Saturating: a position opened in the far future (the host's probe
      // of a new signal is) must not overflow into the past.
      int64_t held =
          p.opened_at_unix_ms > INT64_MAX - *params.after_ms ? INT64_MAX : p.opened_at_unix_ms + *params.after_ms;
      deadline = deadline ? std::min(*deadline, held) : held;
    }
    if (deadline) a.set_deadline(kDeadline, *deadline);
  }

  void on_trigger(const vigil::sdk::Position&, const vigil::sdk::Trigger& t, const vigil::sdk::Actions& a) override {
    if (t.is_deadline && t.id == kDeadline) a.close("expired", t.price, t.price);
  }

 private:
  std::string defaults_;
};

}  // namespace

VIGIL_PLUGIN("rule-expiry", "1.0.0", "closes a position at a deadline or after a holding time",
             vigil::sdk::rule<ExpiryRule>())
