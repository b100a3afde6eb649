// Vigil C++ SDK — rules. Derive from vigil::sdk::Rule and register the class
// with VIGIL_PLUGIN (plugin.hpp). See rule.h for the model.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vigil/cpp/host.hpp"
#include "vigil/rule.h"

namespace vigil::sdk {

enum class Side : int32_t { buy = VIGIL_SIDE_BUY, sell = VIGIL_SIDE_SELL };
enum class Cross : int32_t { at_or_below = VIGIL_CROSS_AT_OR_BELOW, at_or_above = VIGIL_CROSS_AT_OR_ABOVE };

// The position as a rule sees it; views valid during the call only.
struct Position {
  std::string_view id;
  std::string_view instrument;
  int digits = 0;
  Side side = Side::buy;
  int64_t volume = 0;  // VIGIL_VOLUME_SCALE
  int64_t entry_price = 0;
  std::optional<int64_t> owner_sl;
  std::optional<int64_t> owner_tp;
  int64_t opened_at_unix_ms = 0;
  std::string_view params_json;
  std::string_view state;
  std::string_view group;  // the account (client) the position belongs to; 1.1

  explicit Position(const vigil_position_view& p)
      : id(view(p.position_id)),
        instrument(view(p.instrument)),
        digits(p.digits),
        side(static_cast<Side>(p.side)),
        volume(p.volume),
        entry_price(p.entry_price),
        owner_sl(p.has_sl ? std::optional<int64_t>(p.owner_sl) : std::nullopt),
        owner_tp(p.has_tp ? std::optional<int64_t>(p.owner_tp) : std::nullopt),
        opened_at_unix_ms(p.opened_at_unix_ms),
        params_json(view(p.params_json)),
        state(view(p.state)),
        group(VIGIL_HAS_FIELD(&p, vigil_position_view, group) ? view(p.group) : std::string_view()) {}

  bool is_buy() const noexcept { return side == Side::buy; }
};

struct Trigger {
  bool is_deadline = false;
  uint32_t id = 0;
  int64_t level = 0;
  int64_t price = 0;
  int64_t bid = 0;
  int64_t ask = 0;
  int64_t time_unix_ms = 0;

  explicit Trigger(const vigil_rule_trigger& t)
      : is_deadline(t.kind == VIGIL_TRIGGER_DEADLINE),
        id(t.id),
        level(t.level),
        price(t.price),
        bid(t.bid),
        ask(t.ask),
        time_unix_ms(t.time_unix_ms) {}
};

// What a rule can ask of the engine for the position at hand.
class Actions {
 public:
  explicit Actions(const vigil_rule_actions* a) noexcept : a_(a) {}
  void set_level(uint32_t id, Cross cross, int64_t price) const noexcept {
    a_->set_level(a_->ctx, id, static_cast<int32_t>(cross), price);
  }
  void clear_level(uint32_t id) const noexcept { a_->clear_level(a_->ctx, id); }
  void set_deadline(uint32_t id, int64_t unix_ms) const noexcept { a_->set_deadline(a_->ctx, id, unix_ms); }
  void clear_deadline(uint32_t id) const noexcept { a_->clear_deadline(a_->ctx, id); }
  // reason must be NUL-terminated (a literal is the usual choice).
  void close(const char* reason, int64_t price, int64_t level, int64_t volume = 0) const noexcept {
    a_->close(a_->ctx, reason, price, level, volume);
  }
  void save_state(std::string_view state) const noexcept { a_->save_state(a_->ctx, str(state)); }
  // Closes another live position of the same group, all of it (1.1).
  void close_other(std::string_view position_id, const char* reason) const noexcept {
    if (VIGIL_HAS_FIELD(a_, vigil_rule_actions, close_other)) a_->close_other(a_->ctx, str(position_id), reason);
  }

 private:
  const vigil_rule_actions* a_;
};

class Rule {
 public:
  virtual ~Rule() = default;
  // Validate (throw std::invalid_argument to reject) and declare levels.
  virtual void attach(const Position& position, const Actions& actions) = 0;
  virtual void on_trigger(const Position& position, const Trigger& trigger, const Actions& actions) = 0;
  // The position left the engine: forget it (1.1). Override only if the
  // rule keeps something per position outside save_state; the engine then
  // calls it for every position that leaves.
  virtual void detach(const Position& /*position*/) {}
};

}  // namespace vigil::sdk
