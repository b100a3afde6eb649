//+------------------------------------------------------------------+
//| VigilClient.mqh: the EA side of Vigil's API (docs/http-api.md)    |
//+------------------------------------------------------------------+
// What it gives an Expert Advisor:
//   - HMAC-SHA256 on top of CryptEncode(CRYPT_HASH_SHA256) (MQL5 has no
//     HMAC), the contract's string to sign, and the four X- headers;
//   - CVigilClient: the five signed calls (poll, ack, close-commands with
//     a long-poll wait, close-ack, positions-snapshot) through WebRequest,
//     their answers read into typed structs;
//   - CVigilJson: a small JSON reader for those answers;
//   - CVigilJournal: a file in the terminal's own MQL5\Files folder that
//     remembers, for every position and close command, that a trade was
//     started, the answer decided for it, and whether the server took
//     that answer, so that a restart never trades the same id twice.
//
// Threading: MQL5 runs an EA's events one at a time on one thread; none of
// this is meant to be shared with another program.
// Errors: WebRequest failures come back as status -1 with GetLastError()'s
// code in VigilAnswer.error; a refused call keeps the server's error code,
// message and Retry-After. Nothing here retries by itself: the EA decides.
//
// The subset of MQL5 used here is checked by tests/mql5 (a translator to
// C++ that refuses anything it does not know): keep to it.

//--- Bytes and hashing ------------------------------------------------

// The UTF-8 bytes of a string, without the terminating NUL that
// StringToCharArray always appends (its return value counts it). Hashing
// or sending that NUL would change every signature and corrupt every JSON
// body, so it is cut off here, in the one place strings become bytes.
void VigilUtf8(const string text, uchar &bytes[])
  {
   ArrayFree(bytes);
   int copied = StringToCharArray(text, bytes, 0, WHOLE_ARRAY, CP_UTF8);
   ArrayResize(bytes, copied > 0 ? copied - 1 : 0);
  }

// Lowercase hex of the first `count` bytes.
string VigilHex(const uchar &bytes[], const int count)
  {
   string digits = "0123456789abcdef";
   string out = "";
   for(int i = 0; i < count; i++)
      out += StringSubstr(digits, bytes[i] >> 4, 1) + StringSubstr(digits, bytes[i] & 15, 1);
   return out;
  }

bool VigilSha256(const uchar &data[], uchar &digest[])
  {
   uchar no_key[];
   return CryptEncode(CRYPT_HASH_SHA256, data, no_key, digest) == 32;
  }

// "" when CryptEncode fails.
string VigilSha256Hex(const uchar &data[])
  {
   // What CryptEncode does with an empty array is not documented; the
   // empty body (every GET) has this well-known digest.
   if(ArraySize(data) == 0)
      return "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
   uchar digest[];
   if(!VigilSha256(data, digest))
      return "";
   return VigilHex(digest, 32);
  }

// HMAC-SHA256 (RFC 2104): H((K ^ opad) || H((K ^ ipad) || message)), K the
// key padded with zeros to SHA-256's 64-byte block, or first hashed when
// it is longer than the block.
bool VigilHmacSha256(const uchar &key[], const uchar &message[], uchar &mac[])
  {
   uchar block[];
   ArrayResize(block, 64);
   for(int i = 0; i < 64; i++)
      block[i] = 0;
   int key_size = ArraySize(key);
   if(key_size > 64)
     {
      uchar hashed[];
      if(!VigilSha256(key, hashed))
         return false;
      for(int i = 0; i < 32; i++)
         block[i] = hashed[i];
     }
   else
     {
      for(int i = 0; i < key_size; i++)
         block[i] = key[i];
     }
   int size = ArraySize(message);
   uchar inner[];
   ArrayResize(inner, 64 + size);
   for(int i = 0; i < 64; i++)
      inner[i] = (uchar)(block[i] ^ 0x36);
   for(int i = 0; i < size; i++)
      inner[64 + i] = message[i];
   uchar inner_digest[];
   if(!VigilSha256(inner, inner_digest))
      return false;
   uchar outer[];
   ArrayResize(outer, 96);
   for(int i = 0; i < 64; i++)
      outer[i] = (uchar)(block[i] ^ 0x5c);
   for(int i = 0; i < 32; i++)
      outer[64 + i] = inner_digest[i];
   return VigilSha256(outer, mac);
  }

// "" when CryptEncode fails.
string VigilHmacSha256Hex(const string key, const string message)
  {
   uchar key_bytes[];
   uchar message_bytes[];
   uchar mac[];
   VigilUtf8(key, key_bytes);
   VigilUtf8(message, message_bytes);
   if(!VigilHmacSha256(key_bytes, message_bytes, mac))
      return "";
   return VigilHex(mac, 32);
  }

// METHOD \n PATH \n RAW_QUERY \n TIMESTAMP \n NONCE \n hex(sha256(body)):
// the query as sent without '?', the body as the bytes sent.
string VigilStringToSign(const string method, const string path, const string query, const string timestamp,
                         const string nonce, const uchar &body[])
  {
   return method + "\n" + path + "\n" + query + "\n" + timestamp + "\n" + nonce + "\n" + VigilSha256Hex(body);
  }

// The key is the device secret's ASCII characters (all 64), not the 32
// bytes they spell.
string VigilSignature(const string secret, const string method, const string path, const string query,
                      const string timestamp, const string nonce, const uchar &body[])
  {
   return VigilHmacSha256Hex(secret, VigilStringToSign(method, path, query, timestamp, nonce, body));
  }

// WebRequest's header block: "Name: value" lines, each ended by CRLF.
string VigilHeaders(const string device_id, const string timestamp, const string nonce, const string signature,
                    const bool json_body)
  {
   string headers = "X-Device-Id: " + device_id + "\r\n" + "X-Timestamp: " + timestamp + "\r\n" + "X-Nonce: " + nonce +
                    "\r\n" + "X-Signature: " + signature + "\r\n";
   if(json_body)
      headers += "Content-Type: application/json\r\n";
   return headers;
  }

//--- JSON ---------------------------------------------------------------

// A JSON string literal. Everything outside printable ASCII is escaped as
// \uXXXX (MQL5 strings are UTF-16, so a character beyond the BMP comes out
// as its surrogate pair): bodies are pure ASCII, whatever the broker's
// language, and a body kept in the journal is sent again byte for byte.
string VigilJsonQuote(const string text)
  {
   string digits = "0123456789abcdef";
   string out = "\"";
   int size = StringLen(text);
   for(int i = 0; i < size; i++)
     {
      ushort c = StringGetCharacter(text, i);
      if(c == '"')
         out += "\\\"";
      else
         if(c == '\\')
            out += "\\\\";
         else
            if(c < 0x20 || c > 0x7e)
               out += "\\u" + StringSubstr(digits, (c >> 12) & 15, 1) + StringSubstr(digits, (c >> 8) & 15, 1) +
                      StringSubstr(digits, (c >> 4) & 15, 1) + StringSubstr(digits, c & 15, 1);
            else
               out += ShortToString(c);
     }
   return out + "\"";
  }

enum ENUM_VIGIL_JSON
  {
   VIGIL_JSON_NULL,
   VIGIL_JSON_BOOL,
   VIGIL_JSON_NUMBER,
   VIGIL_JSON_STRING,
   VIGIL_JSON_ARRAY,
   VIGIL_JSON_OBJECT
  };

// A JSON document read into a flat list of nodes in document order (no
// pointers: each node knows its parent). Node 0 is the root; -1 means
// "none" everywhere, and asking anything of -1 answers "" or 0, so a
// missing field reads as empty. Numbers keep their text as written.
class CVigilJson
  {
private:
   string            m_text;
   int               m_length;
   int               m_pos;
   int               m_count;
   int               m_type[];
   int               m_parent[];
   string            m_key[];
   string            m_value[];

   ushort            Peek(void) const
     {
      return m_pos < m_length ? StringGetCharacter(m_text, m_pos) : 0;
     }

   void              SkipSpace(void)
     {
      while(m_pos < m_length)
        {
         ushort c = StringGetCharacter(m_text, m_pos);
         if(c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return;
         m_pos++;
        }
     }

   int               Add(const int type, const int parent, const string key, const string value)
     {
      if(m_count >= ArraySize(m_type))
        {
         int capacity = m_count * 2 + 16;
         ArrayResize(m_type, capacity);
         ArrayResize(m_parent, capacity);
         ArrayResize(m_key, capacity);
         ArrayResize(m_value, capacity);
        }
      m_type[m_count] = type;
      m_parent[m_count] = parent;
      m_key[m_count] = key;
      m_value[m_count] = value;
      m_count++;
      return m_count - 1;
     }

   int               HexDigit(const ushort c) const
     {
      if(c >= '0' && c <= '9')
         return c - '0';
      if(c >= 'a' && c <= 'f')
         return c - 'a' + 10;
      if(c >= 'A' && c <= 'F')
         return c - 'A' + 10;
      return -1;
     }

   // At the opening quote; unescapes into `out`.
   bool              ParseString(string &out)
     {
      m_pos++;
      out = "";
      int start = m_pos;
      while(m_pos < m_length)
        {
         ushort c = StringGetCharacter(m_text, m_pos);
         if(c == '"')
           {
            out += StringSubstr(m_text, start, m_pos - start);
            m_pos++;
            return true;
           }
         if(c < 0x20)
            return false;
         if(c != '\\')
           {
            m_pos++;
            continue;
           }
         out += StringSubstr(m_text, start, m_pos - start);
         if(m_pos + 1 >= m_length)
            return false;
         ushort e = StringGetCharacter(m_text, m_pos + 1);
         m_pos += 2;
         if(e == '"' || e == '\\' || e == '/')
            out += ShortToString(e);
         else
            if(e == 'n')
               out += "\n";
            else
               if(e == 'r')
                  out += "\r";
               else
                  if(e == 't')
                     out += "\t";
                  else
                     if(e == 'b')
                        out += ShortToString(8);
                     else
                        if(e == 'f')
                           out += ShortToString(12);
                        else
                           if(e == 'u')
                             {
                              if(m_pos + 4 > m_length)
                                 return false;
                              int code = 0;
                              for(int i = 0; i < 4; i++)
                                {
                                 int digit = HexDigit(StringGetCharacter(m_text, m_pos + i));
                                 if(digit < 0)
                                    return false;
                                 code = code * 16 + digit;
                                }
                              m_pos += 4;
                              out += ShortToString((ushort)code);
                             }
                           else
                              return false;
         start = m_pos;
        }
      return false;
     }

   bool              ParseValue(const int parent, const string key, const int depth)
     {
      if(depth > 64)
         return false;
      SkipSpace();
      ushort c = Peek();
      if(c == '{' || c == '[')
        {
         bool object = c == '{';
         ushort close = object ? '}' : ']';
         int node = Add(object ? VIGIL_JSON_OBJECT : VIGIL_JSON_ARRAY, parent, key, "");
         m_pos++;
         SkipSpace();
         if(Peek() == close)
           {
            m_pos++;
            return true;
           }
         while(true)
           {
            string name = "";
            if(object)
              {
               SkipSpace();
               if(Peek() != '"' || !ParseString(name))
                  return false;
               SkipSpace();
               if(Peek() != ':')
                  return false;
               m_pos++;
              }
            if(!ParseValue(node, name, depth + 1))
               return false;
            SkipSpace();
            ushort next = Peek();
            m_pos++;
            if(next == close)
               return true;
            if(next != ',')
               return false;
           }
        }
      if(c == '"')
        {
         string text = "";
         if(!ParseString(text))
            return false;
         Add(VIGIL_JSON_STRING, parent, key, text);
         return true;
        }
      int start = m_pos;
      while(m_pos < m_length)
        {
         ushort d = StringGetCharacter(m_text, m_pos);
         if(!((d >= '0' && d <= '9') || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || d == '-' || d == '+' ||
              d == '.'))
            break;
         m_pos++;
        }
      string word = StringSubstr(m_text, start, m_pos - start);
      if(word == "true" || word == "false")
         Add(VIGIL_JSON_BOOL, parent, key, word);
      else
         if(word == "null")
            Add(VIGIL_JSON_NULL, parent, key, "");
         else
            if(word != "" && (c == '-' || (c >= '0' && c <= '9')))
               Add(VIGIL_JSON_NUMBER, parent, key, word);
            else
               return false;
      return true;
     }

public:
                     CVigilJson(void) : m_length(0), m_pos(0), m_count(0)
     {
     }

   // False (and no nodes) unless `text` is one JSON value and nothing else.
   bool              Parse(const string text)
     {
      m_text = text;
      m_length = StringLen(text);
      m_pos = 0;
      m_count = 0;
      if(ParseValue(-1, "", 0))
        {
         SkipSpace();
         if(m_pos == m_length)
            return true;
        }
      m_count = 0;
      return false;
     }

   int               Root(void) const
     {
      return m_count > 0 ? 0 : -1;
     }

   int               Type(const int node) const
     {
      return node >= 0 && node < m_count ? m_type[node] : VIGIL_JSON_NULL;
     }

   // The member `key` of an object node.
   int               Find(const int node, const string key) const
     {
      if(node < 0)
         return -1;
      for(int i = node + 1; i < m_count; i++)
         if(m_parent[i] == node && m_key[i] == key)
            return i;
      return -1;
     }

   // Members of an object or items of an array.
   int               Size(const int node) const
     {
      if(node < 0)
         return 0;
      int size = 0;
      for(int i = node + 1; i < m_count; i++)
         if(m_parent[i] == node)
            size++;
      return size;
     }

   int               At(const int node, const int index) const
     {
      if(node < 0)
         return -1;
      int seen = 0;
      for(int i = node + 1; i < m_count; i++)
         if(m_parent[i] == node)
           {
            if(seen == index)
               return i;
            seen++;
           }
      return -1;
     }

   // A string's text, a number or boolean as written; "" otherwise.
   string            Text(const int node) const
     {
      return node >= 0 && node < m_count ? m_value[node] : "";
     }

   string            Get(const int node, const string key) const
     {
      return Text(Find(node, key));
     }
  };

//--- Typed answers ------------------------------------------------------

// One signed call's outcome.
struct VigilAnswer
  {
   int               status;        // HTTP status; -1 when there was no answer
   int               error;         // GetLastError() after a failed WebRequest, else 0
   string            body;
   string            error_code;    // the contract's error.code of a refusal
   string            error_message;
   int               retry_after;   // seconds, from Retry-After (429, 503); 0 when absent
                     VigilAnswer(void) : status(0), error(0), retry_after(0)
     {
     }
  };

// A position waiting for this device (GET /poll).
struct VigilPosition
  {
   string            position_id;
   string            signal_id;
   string            instrument;
   string            side;          // "buy" | "sell"
   string            volume;
   string            entry_price;   // "" for a market signal
  };

// A close command (GET /close-commands).
struct VigilCommand
  {
   string            command_id;
   string            position_id;
   string            broker_ticket;
   string            instrument;
   string            side;
   string            volume;         // the volume to close: less than the position's for a partial close
   string            reason;
   string            expected_price; // "" for a manual close
   string            attempt;
  };

// The server's answer to an ack.
struct VigilAckResult
  {
   string            position_id;
   string            state;
   string            fill_ratio;
   string            slippage_points;
   string            catastrophe_sl; // the broker stop to place, "" when the signal asked for none
  };

// The server's answer to a close-ack.
struct VigilCloseAckResult
  {
   string            command_id;
   string            status;
   string            position_state;
  };

//--- Request bodies -----------------------------------------------------

string VigilExecutedAck(const string position_id, const string execution_id, const string ticket, const string price,
                        const string volume)
  {
   return "{\"position_id\":" + VigilJsonQuote(position_id) + ",\"status\":\"executed\",\"execution_id\":" +
          VigilJsonQuote(execution_id) + ",\"broker_ticket\":" + VigilJsonQuote(ticket) +
          ",\"actual_entry_price\":" + VigilJsonQuote(price) + ",\"filled_volume\":" + VigilJsonQuote(volume) + "}";
  }

string VigilRejectedAck(const string position_id, const string error)
  {
   return "{\"position_id\":" + VigilJsonQuote(position_id) + ",\"status\":\"rejected\",\"error_message\":" +
          VigilJsonQuote(error) + "}";
  }

string VigilExecutedCloseAck(const string command_id, const string price)
  {
   return "{\"command_id\":" + VigilJsonQuote(command_id) + ",\"status\":\"executed\",\"actual_close_price\":" +
          VigilJsonQuote(price) + "}";
  }

string VigilFailedCloseAck(const string command_id, const string error)
  {
   return "{\"command_id\":" + VigilJsonQuote(command_id) + ",\"status\":\"failed\",\"error_message\":" +
          VigilJsonQuote(error) + "}";
  }

// Whether `status` is the server's last word on a request: the same
// request will always get it (200, or a refusal such as 400, 404, 409).
// 401 (the clock or the secret may be fixed), 408, 429, 5xx and no answer
// (-1) are worth sending again.
bool VigilFinal(const int status)
  {
   if(status == 200)
      return true;
   return status >= 400 && status < 500 && status != 401 && status != 408 && status != 429;
  }

//--- The client ---------------------------------------------------------

// Signs and sends the EA calls. `base_url` is scheme://host[:port] exactly
// as allow-listed in the terminal (no path: the signed path is the one the
// server sees). One call at a time (WebRequest blocks the EA's thread).
class CVigilClient
  {
private:
   string            m_base_url;
   string            m_device_id;
   string            m_secret;
   int               m_timeout_ms;
   long              m_nonces;

   // 32 hex characters that never repeat for this device: a hash of the
   // secret (so nobody else can predict them), a counter, the time and
   // MathRand.
   string            NewNonce(void)
     {
      m_nonces++;
      string seed = m_secret + "|" + m_device_id + "|" + IntegerToString(m_nonces) + "|" +
                    IntegerToString((long)GetMicrosecondCount()) + "|" + IntegerToString((long)TimeLocal()) + "|" +
                    IntegerToString(MathRand());
      uchar bytes[];
      VigilUtf8(seed, bytes);
      return StringSubstr(VigilSha256Hex(bytes), 0, 32);
     }

   // The value of header `name` (lowercase) in WebRequest's answer headers.
   string            HeaderValue(const string headers, const string name) const
     {
      string lower = headers;
      StringToLower(lower);
      int at = StringFind(lower, "\n" + name + ":");
      if(at < 0)
        {
         if(StringFind(lower, name + ":") != 0)
            return "";
         at = -1;
        }
      int start = at + 1 + StringLen(name) + 1;
      int end = StringFind(headers, "\r", start);
      if(end < 0)
         end = StringFind(headers, "\n", start);
      string value = end < 0 ? StringSubstr(headers, start) : StringSubstr(headers, start, end - start);
      StringTrimLeft(value);
      StringTrimRight(value);
      return value;
     }

public:
                     CVigilClient(void) : m_timeout_ms(10000), m_nonces(0)
     {
     }

   void              Init(const string base_url, const string device_id, const string secret, const int timeout_ms)
     {
      m_base_url = base_url;
      while(StringLen(m_base_url) > 0 && StringSubstr(m_base_url, StringLen(m_base_url) - 1) == "/")
         m_base_url = StringSubstr(m_base_url, 0, StringLen(m_base_url) - 1);
      m_device_id = device_id;
      m_secret = secret;
      m_timeout_ms = timeout_ms;
      MathSrand((uint)GetTickCount());
     }

   // Everything a call sends, for a given timestamp and nonce: the URL,
   // the header block and the body's bytes (no NUL).
   void              BuildRequest(const string method, const string name, const string query, const string body,
                                  const string timestamp, const string nonce, string &url, string &headers,
                                  uchar &body_bytes[]) const
     {
      string path = "/api/v1/client/" + name;
      VigilUtf8(body, body_bytes);
      string signature = VigilSignature(m_secret, method, path, query, timestamp, nonce, body_bytes);
      headers = VigilHeaders(m_device_id, timestamp, nonce, signature, ArraySize(body_bytes) > 0);
      url = m_base_url + path;
      if(query != "")
         url += "?" + query;
     }

   // One signed call under /api/v1/client; the timeout covers `wait_s`.
   void              Send(const string method, const string name, const string query, const string body,
                          const int wait_s, VigilAnswer &answer)
     {
      string url = "";
      string headers = "";
      uchar body_bytes[];
      BuildRequest(method, name, query, body, IntegerToString((long)TimeGMT() * 1000), NewNonce(), url, headers,
                   body_bytes);
      int size = ArraySize(body_bytes);
      char data[];
      ArrayResize(data, size);
      for(int i = 0; i < size; i++)
         data[i] = (char)body_bytes[i];
      char result[];
      string result_headers = "";
      ResetLastError();
      answer.status = WebRequest(method, url, headers, m_timeout_ms + wait_s * 1000, data, result, result_headers);
      answer.error = answer.status < 0 ? GetLastError() : 0;
      answer.body = "";
      answer.error_code = "";
      answer.error_message = "";
      answer.retry_after = 0;
      int received = ArraySize(result);
      if(received > 0)
        {
         uchar bytes[];
         ArrayResize(bytes, received);
         for(int i = 0; i < received; i++)
            bytes[i] = (uchar)result[i];
         answer.body = CharArrayToString(bytes, 0, received, CP_UTF8);
        }
      if(answer.status < 0 || answer.status == 200)
         return;
      answer.retry_after = (int)StringToInteger(HeaderValue(result_headers, "retry-after"));
      CVigilJson json;
      if(json.Parse(answer.body))
        {
         int error = json.Find(json.Root(), "error");
         answer.error_code = json.Get(error, "code");
         answer.error_message = json.Get(error, "message");
        }
     }

   // GET /poll: the positions waiting for this device.
   bool              Poll(VigilPosition &positions[], VigilAnswer &answer)
     {
      ArrayResize(positions, 0);
      Send("GET", "poll", "", "", 0, answer);
      CVigilJson json;
      if(answer.status != 200 || !json.Parse(answer.body))
         return false;
      int list = json.Find(json.Root(), "positions");
      int count = json.Size(list);
      ArrayResize(positions, count);
      for(int i = 0; i < count; i++)
        {
         int item = json.At(list, i);
         positions[i].position_id = json.Get(item, "position_id");
         positions[i].signal_id = json.Get(item, "signal_id");
         positions[i].instrument = json.Get(item, "instrument");
         positions[i].side = json.Get(item, "side");
         positions[i].volume = json.Get(item, "volume");
         positions[i].entry_price = json.Get(item, "entry_price");
        }
      return true;
     }

   // POST /ack with a body from VigilExecutedAck or VigilRejectedAck.
   bool              Ack(const string body, VigilAckResult &result, VigilAnswer &answer)
     {
      Send("POST", "ack", "", body, 0, answer);
      CVigilJson json;
      if(answer.status != 200 || !json.Parse(answer.body))
         return false;
      int root = json.Root();
      result.position_id = json.Get(root, "position_id");
      result.state = json.Get(root, "state");
      result.fill_ratio = json.Get(root, "fill_ratio");
      result.slippage_points = json.Get(json.Find(root, "slippage"), "points");
      result.catastrophe_sl = json.Get(root, "catastrophe_sl");
      return true;
     }

   // GET /close-commands?wait=S: held up to `wait_s` seconds until a
   // command exists.
   bool              CloseCommands(const int wait_s, VigilCommand &commands[], VigilAnswer &answer)
     {
      ArrayResize(commands, 0);
      Send("GET", "close-commands", "wait=" + IntegerToString(wait_s), "", wait_s, answer);
      CVigilJson json;
      if(answer.status != 200 || !json.Parse(answer.body))
         return false;
      int list = json.Find(json.Root(), "commands");
      int count = json.Size(list);
      ArrayResize(commands, count);
      for(int i = 0; i < count; i++)
        {
         int item = json.At(list, i);
         commands[i].command_id = json.Get(item, "command_id");
         commands[i].position_id = json.Get(item, "position_id");
         commands[i].broker_ticket = json.Get(item, "broker_ticket");
         commands[i].instrument = json.Get(item, "instrument");
         commands[i].side = json.Get(item, "side");
         commands[i].volume = json.Get(item, "volume");
         commands[i].reason = json.Get(item, "reason");
         commands[i].expected_price = json.Get(item, "expected_price");
         commands[i].attempt = json.Get(item, "attempt");
        }
      return true;
     }

   // POST /close-ack with a body from VigilExecutedCloseAck or VigilFailedCloseAck.
   bool              CloseAck(const string body, VigilCloseAckResult &result, VigilAnswer &answer)
     {
      Send("POST", "close-ack", "", body, 0, answer);
      CVigilJson json;
      if(answer.status != 200 || !json.Parse(answer.body))
         return false;
      int root = json.Root();
      result.command_id = json.Get(root, "command_id");
      result.status = json.Get(root, "status");
      result.position_state = json.Get(root, "position_state");
      return true;
     }

   // POST /positions-snapshot: the tickets open at the broker. The server
   // closes (reason broker_closed) its open positions of this device whose
   // ticket is missing, and names the tickets it does not know.
   bool              PositionsSnapshot(const string &tickets[], string &closed[], string &unknown[],
                                       VigilAnswer &answer)
     {
      ArrayResize(closed, 0);
      ArrayResize(unknown, 0);
      string body = "{\"tickets\":[";
      for(int i = 0; i < ArraySize(tickets); i++)
         body += (i > 0 ? "," : "") + VigilJsonQuote(tickets[i]);
      body += "]}";
      Send("POST", "positions-snapshot", "", body, 0, answer);
      CVigilJson json;
      if(answer.status != 200 || !json.Parse(answer.body))
         return false;
      int list = json.Find(json.Root(), "closed_positions");
      ArrayResize(closed, json.Size(list));
      for(int i = 0; i < ArraySize(closed); i++)
         closed[i] = json.Text(json.At(list, i));
      list = json.Find(json.Root(), "unknown_tickets");
      ArrayResize(unknown, json.Size(list));
      for(int i = 0; i < ArraySize(unknown); i++)
         unknown[i] = json.Text(json.At(list, i));
      return true;
     }
  };

//--- The journal ----------------------------------------------------------

// What the journal knows of one position (kind "ack") or command ("close").
struct VigilRecord
  {
   string            kind;
   string            id;
   string            ticket;    // the broker ticket opened or being closed
   string            volume;    // close: the ticket's volume just before the close
   string            body;      // the ack or close-ack decided; "" while in doubt
   bool              answered;  // the server gave its last word on `body`
                     VigilRecord(void) : answered(false)
     {
     }
  };

// An append-only text file, "vigil-<device id>.journal", in this
// terminal's MQL5\Files folder (FileOpen without FILE_COMMON: each terminal
// is its own device and keeps its own journal; the common folder is shared
// by every terminal of the computer). One line per step, written and
// flushed before the step is acted on:
//   S <kind> <id> <ticket> <volume> .   a trade is about to be sent
//   D <kind> <id> <ticket> <body> .     its result, the body to send
//   A <kind> <id> .                     the server's last word on that body
// fields separated by tabs (bodies hold none: VigilJsonQuote escapes
// control characters). A line cut short by a crash lacks its final "." and
// is ignored. A record with S and no D is "in doubt": the terminal stopped
// between sending a trade and learning its result.
class CVigilJournal
  {
private:
   string            m_name;
   int               m_handle;
   VigilRecord       m_records[];
   int               m_count;

   int               Add(const string kind, const string id)
     {
      int at = Find(kind, id);
      if(at >= 0)
         return at;
      if(m_count >= ArraySize(m_records))
         ArrayResize(m_records, m_count * 2 + 16);
      m_records[m_count].kind = kind;
      m_records[m_count].id = id;
      m_records[m_count].ticket = "";
      m_records[m_count].volume = "";
      m_records[m_count].body = "";
      m_records[m_count].answered = false;
      m_count++;
      return m_count - 1;
     }

   void              Apply(const string line)
     {
      string parts[];
      int size = StringSplit(line, '\t', parts);
      if(size < 4 || parts[size - 1] != ".")
         return;
      if(parts[0] == "S" && size == 6)
        {
         int at = Add(parts[1], parts[2]);
         m_records[at].ticket = parts[3];
         m_records[at].volume = parts[4];
        }
      if(parts[0] == "D" && size == 6)
        {
         int at = Add(parts[1], parts[2]);
         m_records[at].ticket = parts[3];
         m_records[at].body = parts[4];
        }
      if(parts[0] == "A" && size == 4)
         m_records[Add(parts[1], parts[2])].answered = true;
     }

   bool              Write(const string line)
     {
      if(m_handle == INVALID_HANDLE)
         return false;
      if(FileWriteString(m_handle, line + "\t.\r\n") <= 0)
         return false;
      FileFlush(m_handle);
      Apply(line + "\t.");
      return true;
     }

public:
                     CVigilJournal(void) : m_handle(INVALID_HANDLE), m_count(0)
     {
     }

   // Opens (or creates) the device's journal and reads what it holds.
   bool              Open(const string device_id)
     {
      m_name = "vigil-" + device_id + ".journal";
      m_count = 0;
      m_handle = FileOpen(m_name, FILE_READ | FILE_WRITE | FILE_TXT | FILE_UNICODE | FILE_SHARE_READ);
      if(m_handle == INVALID_HANDLE)
         return false;
      while(!FileIsEnding(m_handle))
         Apply(FileReadString(m_handle));
      FileSeek(m_handle, 0, SEEK_END);
      // A line cut short by a crash must not swallow the next one.
      FileWriteString(m_handle, "\r\n");
      FileFlush(m_handle);
      return true;
     }

   void              Close(void)
     {
      if(m_handle != INVALID_HANDLE)
         FileClose(m_handle);
      m_handle = INVALID_HANDLE;
     }

   string            Name(void) const
     {
      return m_name;
     }
   int               Count(void) const
     {
      return m_count;
     }

   int               Find(const string kind, const string id) const
     {
      for(int i = 0; i < m_count; i++)
         if(m_records[i].kind == kind && m_records[i].id == id)
            return i;
      return -1;
     }

   string            Kind(const int at) const
     {
      return m_records[at].kind;
     }
   string            Id(const int at) const
     {
      return m_records[at].id;
     }
   string            Ticket(const int at) const
     {
      return m_records[at].ticket;
     }
   string            Volume(const int at) const
     {
      return m_records[at].volume;
     }
   string            Body(const int at) const
     {
      return m_records[at].body;
     }
   bool              IsAnswered(const int at) const
     {
      return m_records[at].answered;
     }

   // False when the line could not be written: then nothing may be traded.
   bool              Started(const string kind, const string id, const string ticket, const string volume)
     {
      return Write("S\t" + kind + "\t" + id + "\t" + ticket + "\t" + volume);
     }

   bool              Decided(const string kind, const string id, const string ticket, const string body)
     {
      return Write("D\t" + kind + "\t" + id + "\t" + ticket + "\t" + body);
     }

   bool              Answered(const string kind, const string id)
     {
      return Write("A\t" + kind + "\t" + id);
     }
  };
//+------------------------------------------------------------------+
