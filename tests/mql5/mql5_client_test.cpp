// examples/mql5/VigilClient.mqh, translated to C++ (mql5_to_cpp.py) and run
// on the MQL5 shim: its HMAC against RFC 4231, its signatures against the
// README's recorded exchanges and against the reference C++ signer
// (examples/ea-client/signer.cpp, OpenSSL) on random requests, its JSON
// reader and writer, and its journal across a reopen.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "VigilClient.mqh.hpp"
#include "examples/ea-client/signer.hpp"

namespace {

mql_string S(const std::string& utf8) {
  return mql_string::from_utf8(utf8);
}

mql_array<uchar> bytes(const std::string& raw) {
  mql_array<uchar> out;
  out.items().assign(raw.begin(), raw.end());
  return out;
}

std::string unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

std::string hmac_hex(const std::string& key, const std::string& message) {
  mql_array<uchar> mac;
  if (!VigilHmacSha256(bytes(key), bytes(message), mac)) return "failed";
  return VigilHex(mac, ArraySize(mac)).utf8();
}

// RFC 4231 section 4, HMAC-SHA-256 (case 5 is truncated to 128 bits);
// the values are those published in the RFC.
TEST(Mql5Client, ComputesTheHmacOfEveryRfc4231TestCase) {
  const std::string long_key(131, '\xaa');
  struct Case {
    std::string key, data, mac;
  } cases[] = {
      {std::string(20, '\x0b'), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {std::string(20, '\x0c'), "Test With Truncation", "a3b6167473100ee06e0c796c2955552b"},
      {long_key, "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {long_key,
       "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
       "hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  int number = 1;
  for (const auto& c : cases) {
    EXPECT_EQ(hmac_hex(c.key, c.data).substr(0, c.mac.size()), c.mac) << "RFC 4231 test case " << number;
    ++number;
  }
}

TEST(Mql5Client, CutsTheNulStringToCharArrayAppends) {
  mql_array<uchar> raw;
  EXPECT_EQ(StringToCharArray(S("abc"), raw, 0, WHOLE_ARRAY, CP_UTF8), 4) << "the shim must count the NUL as MQL5";
  mql_array<uchar> out;
  VigilUtf8(S("abc"), out);
  EXPECT_EQ(ArraySize(out), 3);
  VigilUtf8(S(""), out);
  EXPECT_EQ(ArraySize(out), 0);
  VigilUtf8(S("\xc3\xa9\xe2\x82\xac"), out);  // é€: 2 + 3 bytes of UTF-8
  EXPECT_EQ(ArraySize(out), 5);
  EXPECT_EQ(VigilSha256Hex(out).utf8(), vigil::ea::sha256_hex("\xc3\xa9\xe2\x82\xac"));
}

TEST(Mql5Client, HashesTheEmptyBodyWithoutAskingCryptEncode) {
  mql_array<uchar> none, digest;
  EXPECT_EQ(CryptEncode(CRYPT_HASH_SHA256, none, none, digest), 0) << "the shim refuses an empty input";
  EXPECT_EQ(VigilSha256Hex(none).utf8(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// README.md "EA protocol": four signed requests recorded from vigil-ea
// against a real vigild, with the secret of that throw-away device.
TEST(Mql5Client, SignsTheReadmeExchangesExactlyAsRecorded) {
  const std::string secret = "6b71330198788663d82e503c376a108b4f8688421d98189639c47417e36b4deb";
  const std::string device = "dev_aabcf5dbbf4fa1e34f47f60af35cecec";
  struct Exchange {
    std::string method, name, query, body, timestamp, nonce, signature;
  } exchanges[] = {
      {"GET", "poll", "", "", "1795602481501", "4f56f3e7a8697d7448f04faa2c89af83",
       "eaaaf836d8278cf59242dbdb765cb42456fc6d1b4c28494f29a32109c76730e4"},
      {"POST", "ack", "",
       R"({"actual_entry_price":"1.09998","broker_ticket":"5000000000","execution_id":"sim-5000000000","filled_volume":"1.00","position_id":"pos_b3ee76776c8147fd929271b82051eb76","status":"executed"})",
       "1795602481506", "70b7a509f8c7bcf22e42114f269dc528",
       "95f15f535c52ea126d337ad9ff1ff4d671759d637b43894b908e77533a1eebf5"},
      {"GET", "close-commands", "wait=10", "", "1795602474177", "7e412ba627588277cd9f26709d03270a",
       "f22749943075337db6efd5c14fbae9fb24cc44aa8c16a4bd5cda8ccf58d906ce"},
      {"POST", "close-ack", "",
       R"({"actual_close_price":"1.08988","command_id":"cmd_f9277c4fca49851662bb1c8897a44c21","status":"executed"})",
       "1795602475181", "bde2ae9203502838709800cf56d62771",
       "b34c3f1899ef49a227767ef82bdd816d7cfbeab6d9da8ee37e962360ede1570e"},
  };
  CVigilClient client;
  client.Init(S("http://127.0.0.1:8080/"), S(device), S(secret), 10000);
  for (const auto& e : exchanges) {
    mql_string url, headers;
    mql_array<uchar> body;
    client.BuildRequest(S(e.method), S(e.name), S(e.query), S(e.body), S(e.timestamp), S(e.nonce), url, headers, body);
    std::string expected = "X-Device-Id: " + device + "\r\nX-Timestamp: " + e.timestamp + "\r\nX-Nonce: " + e.nonce +
                           "\r\nX-Signature: " + e.signature + "\r\n" +
                           (e.body.empty() ? "" : "Content-Type: application/json\r\n");
    EXPECT_EQ(headers.utf8(), expected) << e.name;
    EXPECT_EQ(url.utf8(), "http://127.0.0.1:8080/api/v1/client/" + e.name + (e.query.empty() ? "" : "?" + e.query));
    EXPECT_EQ(std::string(body.items().begin(), body.items().end()), e.body) << "the body sent is the body signed";
  }
}

// Random requests: text bodies with non-ASCII characters, queries, keys of
// every length around SHA-256's 64-byte block.
TEST(Mql5Client, SignsTwoThousandRandomRequestsAsTheReferenceSigner) {
  std::mt19937 random(4231);
  auto pick = [&](const std::string& alphabet, size_t size) {
    std::string out;
    for (size_t i = 0; i < size; ++i) out += alphabet[random() % alphabet.size()];
    return out;
  };
  const std::string text = "abcXYZ019 {}[]\":,._-/\\";
  const std::string nonce_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  const std::string names[] = {"poll", "ack", "close-commands", "close-ack", "positions-snapshot"};
  for (int i = 0; i < 2000; ++i) {
    std::string method = random() % 2 ? "POST" : "GET";
    std::string name = names[random() % 5];
    std::string query = random() % 2 ? "wait=" + std::to_string(random() % 31) : "";
    std::string body =
        method == "POST" ? pick(text, random() % 300) + (random() % 3 ? "" : "\xc3\xa9\xf0\x9f\x98\x80") : "";
    std::string secret = pick("0123456789abcdef", random() % 3 ? 64 : random() % 200);
    std::string device = "dev_" + pick("0123456789abcdef", 32);
    std::string nonce = pick(nonce_chars, 16 + random() % 49);
    int64_t timestamp = 1700000000000 + static_cast<int64_t>(random() % 100000000);
    std::string path = "/api/v1/client/" + name;

    vigil::ea::SignedHeaders reference = vigil::ea::sign({method, path, query, body}, device, secret, timestamp, nonce);
    EXPECT_EQ(
        VigilStringToSign(S(method), S(path), S(query), S(std::to_string(timestamp)), S(nonce), bytes(body)).utf8(),
        vigil::ea::string_to_sign(method, path, query, std::to_string(timestamp), nonce, body));
    CVigilClient client;
    client.Init(S("http://vigil.example:8080"), S(device), S(secret), 10000);
    mql_string url, headers;
    mql_array<uchar> sent;
    client.BuildRequest(S(method), S(name), S(query), S(body), S(std::to_string(timestamp)), S(nonce), url, headers,
                        sent);
    std::string expected = "X-Device-Id: " + reference.device_id + "\r\nX-Timestamp: " + reference.timestamp +
                           "\r\nX-Nonce: " + reference.nonce + "\r\nX-Signature: " + reference.signature + "\r\n" +
                           (body.empty() ? "" : "Content-Type: application/json\r\n");
    ASSERT_EQ(headers.utf8(), expected) << "request " << i << " secret length " << secret.size();
    ASSERT_EQ(std::string(sent.items().begin(), sent.items().end()), body);
    ASSERT_EQ(hmac_hex(secret, body), vigil::ea::hmac_sha256_hex(secret, body)) << "key length " << secret.size();
  }
}

TEST(Mql5Client, ReadsTheAnswersOfTheReadme) {
  CVigilJson json;
  ASSERT_TRUE(json.Parse(S(
      R"({"actual_entry_price":"1.09998","fill_ratio":"0.5","filled_volume":"1","position_id":"pos_b3ee","slippage":{"points":2,"price":"0.00002"},"state":"open","catastrophe_sl":"1.13000"})")));
  int root = json.Root();
  EXPECT_EQ(json.Get(root, S("state")).utf8(), "open");
  EXPECT_EQ(json.Get(json.Find(root, S("slippage")), S("points")).utf8(), "2");
  EXPECT_EQ(json.Get(root, S("catastrophe_sl")).utf8(), "1.13000");
  EXPECT_EQ(json.Get(root, S("missing")).utf8(), "");

  ASSERT_TRUE(json.Parse(S(
      R"( {"commands":[{"attempt":1,"broker_ticket":"5000000000","command_id":"cmd_1","expected_price":"1.08990","volume":"1"},
                         {"attempt":2,"command_id":"cmd_2","expected_price":null}]} )")));
  int list = json.Find(json.Root(), S("commands"));
  ASSERT_EQ(json.Size(list), 2);
  EXPECT_EQ(json.Get(json.At(list, 0), S("broker_ticket")).utf8(), "5000000000") << "tickets stay strings";
  EXPECT_EQ(json.Get(json.At(list, 1), S("command_id")).utf8(), "cmd_2");
  EXPECT_EQ(json.Type(json.Find(json.At(list, 1), S("expected_price"))), VIGIL_JSON_NULL);
  EXPECT_EQ(json.At(list, 2), -1);
}

TEST(Mql5Client, UnescapesStringsAndRefusesWhatIsNotOneJsonValue) {
  CVigilJson json;
  ASSERT_TRUE(json.Parse(S(R"({"m":"a\"b\\c\/d\n\u00e9\ud83d\ude00"})")));
  EXPECT_EQ(json.Get(json.Root(), S("m")).utf8(), "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80");
  for (const char* bad : {"", "{", "{\"a\":}", "{\"a\":1,}", "[1 2]", "{\"a\":1} x", "\"\\x\"", "{\"a\":\"\x01\"}",
                          "{a:1}", "[\"\\u12\"]"})
    EXPECT_FALSE(json.Parse(S(bad))) << bad;
  EXPECT_TRUE(json.Parse(S(std::string(64, '[') + std::string(64, ']'))));
  EXPECT_FALSE(json.Parse(S(std::string(70, '[') + std::string(70, ']')))) << "nesting is bounded";
}

TEST(Mql5Client, WritesJsonStringsAnyParserReadsBack) {
  std::mt19937 random(7);
  for (int i = 0; i < 500; ++i) {
    std::u16string units;
    for (int k = random() % 40; k > 0; --k) {
      int kind = random() % 4;
      units += kind == 0   ? static_cast<char16_t>(random() % 0x20)
               : kind == 1 ? static_cast<char16_t>(0x20 + random() % 0x5f)
               : kind == 2 ? static_cast<char16_t>(0xa0 + random() % 0xd000)
                           : u'"';
    }
    mql_string text(units);
    std::string quoted = VigilJsonQuote(text).utf8();
    ASSERT_EQ(quoted.find_first_not_of(std::string(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                                                   "abcdefghijklmnopqrstuvwxyz{|}~")),
              std::string::npos)
        << "bodies are ASCII";
    EXPECT_EQ(nlohmann::json::parse(quoted).get<std::string>(), text.utf8());
    CVigilJson json;
    ASSERT_TRUE(json.Parse(VigilJsonQuote(text)));
    EXPECT_EQ(json.Text(json.Root()), text);
  }
}

TEST(Mql5Client, KeepsItsJournalAcrossAReopenAndIgnoresALineCutShort) {
  auto dir = std::filesystem::temp_directory_path() / ("mql5-journal-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  setenv("MQL5_FILES_DIR", dir.c_str(), 1);
  {
    CVigilJournal journal;
    ASSERT_TRUE(journal.Open(S("dev_1")));
    ASSERT_TRUE(journal.Started(S("ack"), S("pos_1"), S(""), S("")));
    ASSERT_TRUE(journal.Decided(S("ack"), S("pos_1"), S("5000000000"), S(R"({"position_id":"pos_1"})")));
    ASSERT_TRUE(journal.Answered(S("ack"), S("pos_1")));
    ASSERT_TRUE(journal.Started(S("close"), S("cmd_1"), S("5000000000"), S("1.00000000")));
    journal.Close();
  }
  {
    // A crash in the middle of a line: its end marker is missing.
    std::ofstream cut(dir / "vigil-dev_1.journal", std::ios::app | std::ios::binary);
    std::u16string line = u"D\tclose\tcmd_1\t5000000000\t{\"command_id\":\"cmd_1\"";
    for (char16_t unit : line) cut << static_cast<char>(unit & 0xff) << static_cast<char>(unit >> 8);
  }
  CVigilJournal journal;
  ASSERT_TRUE(journal.Open(S("dev_1")));
  ASSERT_EQ(journal.Count(), 2);
  int ack = journal.Find(S("ack"), S("pos_1"));
  EXPECT_EQ(journal.Ticket(ack).utf8(), "5000000000");
  EXPECT_TRUE(journal.IsAnswered(ack));
  int close = journal.Find(S("close"), S("cmd_1"));
  EXPECT_EQ(journal.Body(close).utf8(), "") << "still in doubt: the decision was never fully written";
  EXPECT_EQ(journal.Volume(close).utf8(), "1.00000000");
  EXPECT_FALSE(journal.IsAnswered(close));
  journal.Close();
  std::filesystem::remove_all(dir);
}

}  // namespace
