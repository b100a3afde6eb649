//+------------------------------------------------------------------+
//| VigilExecutor.mq5: executes Vigil's positions and close commands |
//| at this terminal's broker (README.md beside this file).           |
//+------------------------------------------------------------------+
#property copyright "Vigil"
#property version   "1.00"
#property description "Opens the positions Vigil sends this device, acks them, waits for close commands and closes by ticket."

#include <Trade\Trade.mqh>
#include "VigilClient.mqh"

input string InpServerUrl = "http://127.0.0.1:8080"; // Vigil server, scheme://host:port (allow-listed)
input string InpDeviceId = "";                       // device_id given at device creation
input string InpDeviceSecret = "";                   // device_secret given at device creation
input int    InpPollSeconds = 1;                     // timer period: one round per tick of it
input int    InpWaitSeconds = 5;                     // long-poll of close commands (0-30)
input ulong  InpMagic = 7841;                        // magic number of this EA's positions
input int    InpDeviationPoints = 20;                // accepted distance from the entry price
input string InpSymbolSuffix = "";                   // appended to instruments (a broker's "EURUSD.m")

CVigilClient  g_client;
CVigilJournal g_journal;
CTrade        g_trade;
bool          g_started = false;        // in-doubt trades resolved, snapshot sent
ulong         g_pause_until = 0;        // GetTickCount64() before which no call is made
int           g_backoff = 0;            // seconds of the last pause for no answer
bool          g_snapshot_due = false;   // a command named a ticket the broker does not hold
ulong         g_stop_tickets[];         // catastrophe stops still to place
string        g_stop_levels[];

//--- Pauses -------------------------------------------------------------

void Pause(const int seconds)
  {
   g_pause_until = GetTickCount64() + (ulong)seconds * 1000;
  }

bool Paused(void)
  {
   return GetTickCount64() < g_pause_until;
  }

// Logs a call that got no 200 and pauses as its answer asks: Retry-After
// for 429 and 503, a minute for 401 (a clock or secret to fix), 1 s
// doubling to 30 s when there was no answer. Other refusals (400, 404,
// 409) are the server's last word on that request: logged, no pause.
void Refused(const string call, VigilAnswer &answer)
  {
   if(answer.status < 0)
     {
      if(answer.error == 4014)
         Print("Vigil: ", call, ": WebRequest refused: add ", InpServerUrl,
               " under Tools > Options > Expert Advisors > Allow WebRequest for listed URL");
      else
         Print("Vigil: ", call, ": no answer, error ", IntegerToString(answer.error));
      g_backoff = g_backoff == 0 ? 1 : (g_backoff >= 15 ? 30 : g_backoff * 2);
      Pause(g_backoff);
      return;
     }
   Print("Vigil: ", call, ": ", IntegerToString(answer.status), " ", answer.error_code, ": ", answer.error_message);
   if(answer.status == 401)
      Pause(60);
   else
      if(answer.status == 429 || answer.status >= 500)
         Pause(answer.retry_after > 0 ? answer.retry_after : 1);
  }

//--- The broker ---------------------------------------------------------

// The comment a position is opened with, to find it again when the
// terminal stopped before its result was journaled (31 characters at most).
string Tag(const string position_id)
  {
   int length = StringLen(position_id);
   return "V:" + (length > 24 ? StringSubstr(position_id, length - 24) : position_id);
  }

int Digits(const string symbol)
  {
   return (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
  }

string VolumeText(const double volume)
  {
   return DoubleToString(volume, 2);
  }

// The price of a deal, from the history.
double DealPrice(const ulong deal)
  {
   if(deal == 0 || !HistoryDealSelect(deal))
      return 0;
   return HistoryDealGetDouble(deal, DEAL_PRICE);
  }

// The price of the last deal that took volume out of position `ticket`,
// written with its symbol's digits; "" when there is none.
string LastClosePrice(const ulong ticket)
  {
   if(!HistorySelectByPosition(ticket))
      return "";
   for(int i = HistoryDealsTotal() - 1; i >= 0; i--)
     {
      ulong deal = HistoryDealGetTicket(i);
      if(HistoryDealGetInteger(deal, DEAL_ENTRY) == DEAL_ENTRY_OUT)
         return DoubleToString(HistoryDealGetDouble(deal, DEAL_PRICE), Digits(HistoryDealGetString(deal, DEAL_SYMBOL)));
     }
   return "";
  }

// Opens `position` at the broker and returns the ack to send. On a hedging
// account a position's ticket is the ticket of the order that opened it.
string OpenAtBroker(VigilPosition &position)
  {
   string symbol = position.instrument + InpSymbolSuffix;
   if(!SymbolSelect(symbol, true))
      return VigilRejectedAck(position.position_id, "unknown symbol " + symbol);
   bool buy = position.side == "buy";
   double volume = StringToDouble(position.volume);
   double price = position.entry_price != "" ? StringToDouble(position.entry_price)
                  : SymbolInfoDouble(symbol, buy ? SYMBOL_ASK : SYMBOL_BID);
   bool sent = buy ? g_trade.Buy(volume, symbol, price, 0, 0, Tag(position.position_id))
               : g_trade.Sell(volume, symbol, price, 0, 0, Tag(position.position_id));
   uint retcode = g_trade.ResultRetcode();
   if(!sent || (retcode != TRADE_RETCODE_DONE && retcode != TRADE_RETCODE_DONE_PARTIAL))
      return VigilRejectedAck(position.position_id,
                              "retcode " + IntegerToString(retcode) + ": " + g_trade.ResultRetcodeDescription());
   ulong ticket = g_trade.ResultOrder();
   double fill_price = g_trade.ResultPrice();
   if(fill_price <= 0)
      fill_price = DealPrice(g_trade.ResultDeal());
   return VigilExecutedAck(position.position_id, "deal-" + IntegerToString((long)g_trade.ResultDeal()),
                           IntegerToString((long)ticket), DoubleToString(fill_price, Digits(symbol)),
                           VolumeText(g_trade.ResultVolume()));
  }

// Closes `command` (all of its ticket, or its volume when that is less)
// and returns the close-ack to send.
string CloseAtBroker(VigilCommand &command)
  {
   ulong ticket = (ulong)StringToInteger(command.broker_ticket);
   if(!PositionSelectByTicket(ticket))
     {
      g_snapshot_due = true;
      return VigilFailedCloseAck(command.command_id, "ticket " + command.broker_ticket + " is not open at the broker");
     }
   string symbol = PositionGetString(POSITION_SYMBOL);
   double open_volume = PositionGetDouble(POSITION_VOLUME);
   double volume = command.volume != "" ? StringToDouble(command.volume) : open_volume;
   bool sent = volume < open_volume - 0.000001 ? g_trade.PositionClosePartial(ticket, volume)
               : g_trade.PositionClose(ticket);
   uint retcode = g_trade.ResultRetcode();
   if(!sent || (retcode != TRADE_RETCODE_DONE && retcode != TRADE_RETCODE_DONE_PARTIAL))
      return VigilFailedCloseAck(command.command_id,
                                 "retcode " + IntegerToString(retcode) + ": " + g_trade.ResultRetcodeDescription());
   double price = g_trade.ResultPrice();
   if(price <= 0)
      price = DealPrice(g_trade.ResultDeal());
   return VigilExecutedCloseAck(command.command_id, DoubleToString(price, Digits(symbol)));
  }

// Places the catastrophe stop on `ticket`; false when the broker refused.
bool PlaceStop(const ulong ticket, const string level)
  {
   if(!PositionSelectByTicket(ticket))
      return true;
   double stop = StringToDouble(level);
   double point = SymbolInfoDouble(PositionGetString(POSITION_SYMBOL), SYMBOL_POINT);
   if(MathAbs(PositionGetDouble(POSITION_SL) - stop) < point / 2)
      return true;
   if(g_trade.PositionModify(ticket, stop, PositionGetDouble(POSITION_TP)))
     {
      Print("Vigil: catastrophe stop ", level, " placed on ticket ", IntegerToString((long)ticket));
      return true;
     }
   Print("Vigil: catastrophe stop ", level, " on ticket ", IntegerToString((long)ticket), " refused: ",
         g_trade.ResultRetcodeDescription(), "; will retry");
   return false;
  }

void PlacePendingStops(void)
  {
   int kept = 0;
   for(int i = 0; i < ArraySize(g_stop_tickets); i++)
      if(!PlaceStop(g_stop_tickets[i], g_stop_levels[i]))
        {
         g_stop_tickets[kept] = g_stop_tickets[i];
         g_stop_levels[kept] = g_stop_levels[i];
         kept++;
        }
   ArrayResize(g_stop_tickets, kept);
   ArrayResize(g_stop_levels, kept);
  }

//--- Sending results ----------------------------------------------------

// Sends the journaled ack of `position_id`; true when the server gave its
// last word on it.
bool SendAck(const int at)
  {
   string id = g_journal.Id(at);
   VigilAckResult result;
   VigilAnswer answer;
   g_client.Ack(g_journal.Body(at), result, answer);
   if(answer.status == 200)
     {
      Print("Vigil: ack ", id, ": ", result.state, ", ticket ", g_journal.Ticket(at), ", fill ratio ",
            result.fill_ratio, ", slippage ", result.slippage_points, " points");
      if(result.catastrophe_sl != "")
        {
         ulong ticket = (ulong)StringToInteger(g_journal.Ticket(at));
         if(!PlaceStop(ticket, result.catastrophe_sl))
           {
            int size = ArraySize(g_stop_tickets);
            ArrayResize(g_stop_tickets, size + 1);
            ArrayResize(g_stop_levels, size + 1);
            g_stop_tickets[size] = ticket;
            g_stop_levels[size] = result.catastrophe_sl;
           }
        }
     }
   else
      Refused("ack " + id, answer);
   if(!VigilFinal(answer.status))
      return false;
   if(!g_journal.IsAnswered(at))
      g_journal.Answered("ack", id);
   return true;
  }

bool SendCloseAck(const int at)
  {
   string id = g_journal.Id(at);
   VigilCloseAckResult result;
   VigilAnswer answer;
   g_client.CloseAck(g_journal.Body(at), result, answer);
   if(answer.status == 200)
      Print("Vigil: close-ack ", id, ": ", result.status, ", position ", result.position_state);
   else
      Refused("close-ack " + id, answer);
   if(!VigilFinal(answer.status))
      return false;
   if(!g_journal.IsAnswered(at))
      g_journal.Answered("close", id);
   return true;
  }

bool SendResult(const int at)
  {
   return g_journal.Kind(at) == "ack" ? SendAck(at) : SendCloseAck(at);
  }

// Results decided but not yet taken by the server, in journal order
// (an answer lost in the network, a 503, a restart): sent again, same body.
bool ResendUnanswered(void)
  {
   for(int i = 0; i < g_journal.Count(); i++)
      if(g_journal.Body(i) != "" && !g_journal.IsAnswered(i))
        {
         Print("Vigil: sending the ", g_journal.Kind(i), " of ", g_journal.Id(i), " again");
         if(!SendResult(i))
            return false;
        }
   return true;
  }

// The trades the terminal sent but stopped before journaling their
// results: the broker tells what happened, and that is the result.
void ResolveInDoubt(void)
  {
   for(int i = 0; i < g_journal.Count(); i++)
     {
      if(g_journal.Body(i) != "")
         continue;
      string id = g_journal.Id(i);
      if(g_journal.Kind(i) == "ack")
        {
         string body = VigilRejectedAck(id, "the terminal stopped while opening; no position of it is open");
         string ticket = "";
         for(int p = PositionsTotal() - 1; p >= 0; p--)
           {
            ulong open_ticket = PositionGetTicket(p);
            if(PositionGetInteger(POSITION_MAGIC) == (long)InpMagic && PositionGetString(POSITION_COMMENT) == Tag(id))
              {
               string symbol = PositionGetString(POSITION_SYMBOL);
               ticket = IntegerToString((long)open_ticket);
               body = VigilExecutedAck(id, "position-" + ticket, ticket,
                                       DoubleToString(PositionGetDouble(POSITION_PRICE_OPEN), Digits(symbol)),
                                       VolumeText(PositionGetDouble(POSITION_VOLUME)));
              }
           }
         g_journal.Decided("ack", id, ticket, body);
        }
      else
        {
         ulong ticket = (ulong)StringToInteger(g_journal.Ticket(i));
         bool untouched = PositionSelectByTicket(ticket) && g_journal.Volume(i) != "" &&
                          PositionGetDouble(POSITION_VOLUME) >= StringToDouble(g_journal.Volume(i)) - 0.000001;
         string price = untouched ? "" : LastClosePrice(ticket);
         // Not closed: reported failed, and the server issues a new command.
         string body = price != "" ? VigilExecutedCloseAck(id, price)
                       : VigilFailedCloseAck(id, "the terminal stopped while closing; nothing was closed");
         g_journal.Decided("close", id, g_journal.Ticket(i), body);
        }
      Print("Vigil: ", g_journal.Kind(i), " of ", id, " was in doubt after a restart: ", g_journal.Body(i));
     }
  }

// Tells the server which of this EA's tickets are open at the broker.
bool SendSnapshot(void)
  {
   string tickets[];
   for(int p = PositionsTotal() - 1; p >= 0; p--)
     {
      ulong ticket = PositionGetTicket(p);
      if(PositionGetInteger(POSITION_MAGIC) != (long)InpMagic)
         continue;
      int size = ArraySize(tickets);
      ArrayResize(tickets, size + 1);
      tickets[size] = IntegerToString((long)ticket);
     }
   string closed[];
   string unknown[];
   VigilAnswer answer;
   if(!g_client.PositionsSnapshot(tickets, closed, unknown, answer))
     {
      Refused("positions-snapshot", answer);
      return VigilFinal(answer.status);
     }
   Print("Vigil: positions-snapshot of ", IntegerToString(ArraySize(tickets)), " tickets: ",
         IntegerToString(ArraySize(closed)), " positions closed by the broker, ", IntegerToString(ArraySize(unknown)),
         " tickets unknown to Vigil");
   for(int i = 0; i < ArraySize(closed); i++)
      Print("Vigil: position ", closed[i], " was closed at the broker");
   g_snapshot_due = false;
   return true;
  }

//--- Rounds -------------------------------------------------------------

void ExecutePosition(VigilPosition &position)
  {
   int at = g_journal.Find("ack", position.position_id);
   if(at >= 0)
     {
      // Delivered again: its ack was lost or crossed this poll. Never
      // opened twice; its result goes again.
      if(g_journal.Body(at) != "")
         SendAck(at);
      return;
     }
   Print("Vigil: open ", position.position_id, ": ", position.side, " ", position.volume, " ", position.instrument,
         " at ", position.entry_price == "" ? "market" : position.entry_price);
   if(!g_journal.Started("ack", position.position_id, "", ""))
     {
      Print("Vigil: the journal ", g_journal.Name(), " cannot be written: not trading");
      Pause(60);
      return;
     }
   string body = OpenAtBroker(position);
   CVigilJson json;
   json.Parse(body);
   g_journal.Decided("ack", position.position_id, json.Get(json.Root(), "broker_ticket"), body);
   SendAck(g_journal.Find("ack", position.position_id));
  }

void ExecuteCommand(VigilCommand &command)
  {
   int at = g_journal.Find("close", command.command_id);
   if(at >= 0)
     {
      if(g_journal.Body(at) != "")
         SendCloseAck(at);
      return;
     }
   Print("Vigil: close ", command.command_id, " (", command.reason, ", attempt ", command.attempt, "): ticket ",
         command.broker_ticket, ", volume ", command.volume);
   ulong ticket = (ulong)StringToInteger(command.broker_ticket);
   string before = PositionSelectByTicket(ticket) ? DoubleToString(PositionGetDouble(POSITION_VOLUME), 8) : "";
   if(!g_journal.Started("close", command.command_id, command.broker_ticket, before))
     {
      Print("Vigil: the journal ", g_journal.Name(), " cannot be written: not trading");
      Pause(60);
      return;
     }
   string body = CloseAtBroker(command);
   g_journal.Decided("close", command.command_id, command.broker_ticket, body);
   SendCloseAck(g_journal.Find("close", command.command_id));
  }

void TakePositions(void)
  {
   VigilPosition positions[];
   VigilAnswer answer;
   if(!g_client.Poll(positions, answer))
     {
      Refused("poll", answer);
      return;
     }
   g_backoff = 0;
   for(int i = 0; i < ArraySize(positions) && !Paused(); i++)
      ExecutePosition(positions[i]);
  }

void TakeCloseCommands(void)
  {
   VigilCommand commands[];
   VigilAnswer answer;
   if(!g_client.CloseCommands(InpWaitSeconds, commands, answer))
     {
      Refused("close-commands", answer);
      return;
     }
   for(int i = 0; i < ArraySize(commands) && !Paused(); i++)
      ExecuteCommand(commands[i]);
  }

//--- Events -------------------------------------------------------------

int OnInit(void)
  {
   if(InpServerUrl == "" || InpDeviceId == "" || InpDeviceSecret == "")
     {
      Print("Vigil: set the server URL, the device id and the device secret");
      return INIT_PARAMETERS_INCORRECT;
     }
   if(InpWaitSeconds < 0 || InpWaitSeconds > 30 || InpPollSeconds < 1)
     {
      Print("Vigil: the wait is 0 to 30 seconds and the poll period at least 1 second");
      return INIT_PARAMETERS_INCORRECT;
     }
   if(AccountInfoInteger(ACCOUNT_MARGIN_MODE) != ACCOUNT_MARGIN_MODE_RETAIL_HEDGING)
     {
      Print("Vigil: this account is not a hedging account: every Vigil position needs its own ticket");
      return INIT_FAILED;
     }
   g_client.Init(InpServerUrl, InpDeviceId, InpDeviceSecret, 10000);
   if(!g_journal.Open(InpDeviceId))
     {
      Print("Vigil: cannot open the journal vigil-", InpDeviceId, ".journal, error ", IntegerToString(GetLastError()));
      return INIT_FAILED;
     }
   g_trade.SetExpertMagicNumber(InpMagic);
   g_trade.SetDeviationInPoints(InpDeviationPoints);
   Print("Vigil: device ", InpDeviceId, " at ", InpServerUrl, ", journal ", g_journal.Name(), " with ",
         IntegerToString(g_journal.Count()), " records");
   // The network calls wait for the first timer event, not OnInit.
   if(!EventSetTimer(InpPollSeconds))
      return INIT_FAILED;
   return INIT_SUCCEEDED;
  }

void OnDeinit(const int reason)
  {
   EventKillTimer();
   g_journal.Close();
   Print("Vigil: stopped, reason ", IntegerToString(reason));
  }

// One round: at the first, settle what a restart left in doubt and tell
// the server the open tickets; then results not yet taken, positions to
// open, and close commands (held up to InpWaitSeconds for one to come).
void OnTimer(void)
  {
   if(Paused())
      return;
   if(!g_started)
     {
      ResolveInDoubt();
      if(!ResendUnanswered() || !SendSnapshot())
         return;
      g_started = true;
     }
   else
      if(!ResendUnanswered())
         return;
   PlacePendingStops();
   TakePositions();
   if(Paused())
      return;
   TakeCloseCommands();
   if(g_snapshot_due && !Paused())
      SendSnapshot();
  }
//+------------------------------------------------------------------+
