// <Trade\Trade.mqh>'s CTrade, the methods examples/mql5 calls, trading on
// the simulated broker of mql5_terminal.hpp. A market order fills at the
// price asked (or the quote when none is given) moved MQL5_SIM_SLIPPAGE_POINTS
// against the trader, for MQL5_SIM_FILL_RATIO of the volume (rounded down
// to 0.01 lots); MQL5_SIM_REJECT_OPEN=1 rejects every opening order.
// MQL5_SIM_CRASH=open|close ends the process (exit code 3) right after the
// broker executed that order, before CTrade returns: the terminal died
// between a trade and its journal. Threading: one thread.
#pragma once

#include "mql5_shim.hpp"

constexpr uint TRADE_RETCODE_REJECT = 10006;
constexpr uint TRADE_RETCODE_DONE = 10009;
constexpr uint TRADE_RETCODE_DONE_PARTIAL = 10010;
constexpr uint TRADE_RETCODE_INVALID_VOLUME = 10014;
constexpr uint TRADE_RETCODE_POSITION_CLOSED = 10036;

class CTrade {
 public:
  void SetExpertMagicNumber(ulong magic) { magic_ = magic; }
  void SetDeviationInPoints(ulong points) { deviation_ = points; }
  bool Buy(double volume, const mql_string& symbol, double price = 0, double sl = 0, double tp = 0,
           const mql_string& comment = mql_string());
  bool Sell(double volume, const mql_string& symbol, double price = 0, double sl = 0, double tp = 0,
            const mql_string& comment = mql_string());
  bool PositionClose(ulong ticket);
  bool PositionClosePartial(ulong ticket, double volume);
  bool PositionModify(ulong ticket, double sl, double tp);
  uint ResultRetcode() const { return retcode_; }
  mql_string ResultRetcodeDescription() const;
  ulong ResultOrder() const { return order_; }
  ulong ResultDeal() const { return deal_; }
  double ResultPrice() const { return price_; }
  double ResultVolume() const { return volume_; }

 private:
  bool Open(bool buy, double volume, const mql_string& symbol, double price, double sl, double tp,
            const mql_string& comment);
  bool Close(ulong ticket, double volume);
  void Clear();
  ulong magic_ = 0;
  ulong deviation_ = 10;
  uint retcode_ = 0;
  ulong order_ = 0;
  ulong deal_ = 0;
  double price_ = 0;
  double volume_ = 0;
};
