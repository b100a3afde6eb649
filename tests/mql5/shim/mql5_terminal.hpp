// The terminal's account, symbol, position and history functions of
// MQL5, answered by a simulated broker (one hedging account) whose state
// lives in a file, so that it outlives a restart of the EA as a real
// broker does:
//   MQL5_SIM_BROKER   the broker's state: positions, deals, next ticket
//   MQL5_SIM_QUOTES   quotes, one "SYMBOL DIGITS BID ASK" a line, read at
//                     every use (the test writes it as it pushes ticks)
//   MQL5_SIM_NETTING  "1": the account is a netting account
// CTrade (mql5_trade.hpp) trades on it. Threading: one thread.
#pragma once

enum ENUM_ACCOUNT_INFO_INTEGER { ACCOUNT_MARGIN_MODE = 32 };
enum ENUM_ACCOUNT_MARGIN_MODE {
  ACCOUNT_MARGIN_MODE_RETAIL_NETTING = 0,
  ACCOUNT_MARGIN_MODE_EXCHANGE = 1,
  ACCOUNT_MARGIN_MODE_RETAIL_HEDGING = 2
};
enum ENUM_SYMBOL_INFO_INTEGER { SYMBOL_DIGITS = 17 };
enum ENUM_SYMBOL_INFO_DOUBLE { SYMBOL_BID = 1, SYMBOL_ASK = 4, SYMBOL_POINT = 16 };
enum ENUM_POSITION_PROPERTY_INTEGER { POSITION_MAGIC = 12, POSITION_TYPE = 3 };
enum ENUM_POSITION_PROPERTY_DOUBLE { POSITION_VOLUME = 0, POSITION_PRICE_OPEN = 1, POSITION_SL = 2, POSITION_TP = 3 };
enum ENUM_POSITION_PROPERTY_STRING { POSITION_SYMBOL = 0, POSITION_COMMENT = 1 };
enum ENUM_DEAL_PROPERTY_INTEGER { DEAL_ENTRY = 5, DEAL_POSITION_ID = 6 };
enum ENUM_DEAL_PROPERTY_DOUBLE { DEAL_PRICE = 1, DEAL_VOLUME = 0 };
enum ENUM_DEAL_PROPERTY_STRING { DEAL_SYMBOL = 0 };
enum ENUM_DEAL_ENTRY { DEAL_ENTRY_IN = 0, DEAL_ENTRY_OUT = 1 };

long AccountInfoInteger(ENUM_ACCOUNT_INFO_INTEGER property);
bool SymbolSelect(const mql_string& symbol, bool select);
long SymbolInfoInteger(const mql_string& symbol, ENUM_SYMBOL_INFO_INTEGER property);
double SymbolInfoDouble(const mql_string& symbol, ENUM_SYMBOL_INFO_DOUBLE property);
int PositionsTotal();
ulong PositionGetTicket(int index);
bool PositionSelectByTicket(ulong ticket);
double PositionGetDouble(ENUM_POSITION_PROPERTY_DOUBLE property);
long PositionGetInteger(ENUM_POSITION_PROPERTY_INTEGER property);
mql_string PositionGetString(ENUM_POSITION_PROPERTY_STRING property);
bool HistorySelectByPosition(ulong position);
bool HistoryDealSelect(ulong deal);
int HistoryDealsTotal();
ulong HistoryDealGetTicket(int index);
long HistoryDealGetInteger(ulong deal, ENUM_DEAL_PROPERTY_INTEGER property);
double HistoryDealGetDouble(ulong deal, ENUM_DEAL_PROPERTY_DOUBLE property);
mql_string HistoryDealGetString(ulong deal, ENUM_DEAL_PROPERTY_STRING property);
