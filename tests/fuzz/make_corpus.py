#!/usr/bin/env python3
"""Writes the seed corpora, tests/fuzz/corpus/<target>/, of the targets
listed here from the project's sample data (examples/) and hand-written
real-looking inputs. Run it again
after changing it; the seeds are committed so script/fuzz needs no Python.

    python3 tests/fuzz/make_corpus.py [build-dir-with-data]   # default build-fuzz
"""
import base64
import os
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/fuzz/corpus"
DATA = ROOT / (sys.argv[1] if len(sys.argv) > 1 else "build-fuzz") / "data"


CLEARED = set()


def write(target, name, content):
    """Writes one seed; the first write to a target empties its folder. The
    folders of targets made elsewhere (http_request) are left alone."""
    d = OUT / target
    if target not in CLEARED:
        shutil.rmtree(d, ignore_errors=True)
        CLEARED.add(target)
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(content if isinstance(content, bytes) else content.encode())


def head(path, n):
    with open(path, "rb") as f:
        return b"".join(f.readline() for _ in range(n))


def ticks():
    write("tick_csv", "eurusd", head(DATA / "eurusd-2014-05-08.csv", 6))
    write("tick_csv", "xauusd", head(DATA / "xauusd-2014-05-08.csv", 6))
    write("tick_csv", "unix-ms-and-blank-sides",
          "time,instrument,bid,ask\r\n1399507208715,EURUSD,1.39101,\r\n1399507215681,EURUSD,,1.39116\r\n")
    write("tick_csv", "bom-and-bad-row",
          "\xef\xbb\xbftime,instrument,bid,ask\n2014-05-08T00:00:08Z,EURUSD,1.391x,1.39114\n\n"
          "2014-05-08T00:00:09.5Z,EURUSD,1.39101,1.39114\n".encode("latin-1"))
    write("tick_mt5", "eurusd", head(DATA / "eurusd-2014-05-08.mt5.tsv", 6))
    write("tick_mt5", "one-side-and-last-only",
          "<DATE>\t<TIME>\t<BID>\t<ASK>\t<LAST>\t<VOLUME>\t<FLAGS>\r\n"
          "2014.05.08\t00:00:08.715\t1.39101\t\t\t\t2\r\n2014.05.08\t00:00:09\t\t1.39116\t\t\t4\r\n"
          "2014.05.08\t00:00:10.000\t\t\t1.39110\t1\t8\r\n2014.02.30\t25:00:00\t1.3\t1.4\r\n")


def configs():
    for f in sorted((ROOT / "examples/configs").glob("*.yaml")):
        write("config", f.stem, f.read_bytes())
    write("config", "everything", """instruments:
  - symbol: EURUSD
    digits: 5
    sources: [fix, push]
    failover_after_seconds: 5
    trading_hours: ['Mon-Fri 00:00-24:00', 'Sun 22:00-24:00']
    hold_when_stale: true
feeds:
  - name: fix
    plugin: feed-fix
    options: {host: 127.0.0.1, port: 9878, symbols: [{fix: EUR/USD, instrument: EURUSD}]}
rules: [rule-sltp, {plugin: rule-trailing, options: {distance: "0.00100", steps: [1, 2.5, null, ~, true]}}]
store: {plugin: store-sqlite, options: {path: vigil.db, synchronous_full: false}}
cipher: cipher-sodium
transport: {plugin: transport-http, options: {listen: "127.0.0.1:8080", threads: 4}}
secrets: {admin_token_file: secrets/admin, master_key_file: /etc/vigil/master}
guards: {spike: hold, spike_factor: 20, warmup_ticks: 50, stale_after_seconds: 30}
escalation: {command_alert_after_seconds: 30, command_expire_after_seconds: 300, retry_backoff_ms: 1000, device_silent_after_seconds: 60}
catastrophe_stop: {multiple_percent: 300, random_percent: 100}
plugin_paths: [plugins, /opt/vigil/plugins]
log_level: debug
""")


def positions():
    write("positions_file", "eurusd", (ROOT / "examples/data/positions-eurusd.jsonl").read_bytes())
    write("positions_file", "rules-and-client",
          '{"position_id":"g1","instrument":"XAUUSD","side":"SELL","volume":1,"entry_price":"1290.33",'
          '"owner_tp":1280,"opened_at":1399507208715,"client_id":"acme",'
          '"rules":{"rule-trailing":{"distance":"0.500"},"rule-expiry":{"minutes":90}}}\r\n\r\n'
          '{"position_id":"g2","instrument":"EURUSD","side":"buy","volume":"0.01","entry_price":1.39,"owner_sl":null}\n')


BODIES = {
    "signal": '{"client_id":"c-1","instrument":"EURUSD","side":"buy","volume":"0.10","entry_price":1.39110,'
              '"owner_sl":"1.38800","owner_tp":"1.39500","payload":{"comment":"caf\\u00e9","n":[1,2.5e3,true,null]},'
              '"rules":{"rule-trailing":{"distance":"0.00100"}}}',
    "ack": '{"position_id":"p-1","status":"executed","execution_id":"e-9","broker_ticket":"123456789",'
           '"actual_entry_price":"1.39112","filled_volume":0.1,"error_message":""}',
    "close-ack": '{"command_id":"cmd-1","status":"failed","actual_close_price":null,"broker_deal":"77",'
                 '"error_message":"requote \\"off quotes\\" \\ud83d\\ude00"}',
    "tick": '{"instrument":"EURUSD","bid":"1.39101","ask":1.39114,"time":"2014-05-08T00:00:08.715Z"}',
    "snapshot": '{"tickets":["1001","1002"]}',
    "client": '{"name":"Acme \\u0041 Ltd"}',
}
# request_body's first byte picks the route (core/workflow/body_limits.hpp order).
ROUTES = {"client": 0, "signal": 2, "tick": 4, "ack": 5, "close-ack": 6, "snapshot": 7}


def json_bodies():
    for name, body in BODIES.items():
        write("json_fields", name, body)
        write("request_body", name, bytes([ROUTES[name]]) + body.encode())


def tokens():
    raw = bytes(range(48))
    sodium = "xc1.1." + base64.urlsafe_b64encode(raw).decode().rstrip("=")
    fernet = base64.urlsafe_b64encode(b"\x80" + (1704067200).to_bytes(8, "big") + raw).decode()
    write("base64url", "sodium-token-body", sodium[6:])
    write("base64url", "fernet-token", fernet)
    write("base64url", "short", "QUI")
    # Mode byte (cipher fuzzers): top bits 00 = the text as a token, 01 =
    # shaped/signed token of the bytes, 10-11 = round trip of the bytes.
    write("cipher_sodium_decrypt", "token", b"\x00" + sodium.encode())
    write("cipher_sodium_decrypt", "token-client", b"\x01" + sodium.encode())
    write("cipher_sodium_decrypt", "shaped", b"\x40" + raw)
    write("cipher_sodium_decrypt", "round-trip", b"\x81" + b'{"comment":"hello"}')
    write("cipher_fernet_decrypt", "token", b"\x00" + fernet.encode())
    write("cipher_fernet_decrypt", "signed", b"\x40" + raw)
    write("cipher_fernet_decrypt", "signed-stamped", b"\x80" + raw)
    write("cipher_fernet_decrypt", "round-trip", b"\xc1" + b'{"comment":"hello"}')


def fix():
    soh = "\x01"
    header = "35={t}|49=VENUE|56=VIGIL|34=12|52=20241125-10:00:00.123|"
    messages = {
        "snapshot": header.format(t="W") + "55=EUR/USD|268=2|269=0|270=1.08512|271=1000000|"
                    "269=1|270=1.08515|271=1000000|",
        "incremental": header.format(t="X") + "268=3|279=0|269=0|55=EUR/USD|270=1.08513|"
                       "272=20241125|273=10:00:00.456|279=2|269=1|55=EUR/USD|270=1.08515|"
                       "279=1|269=1|55=XAU/USD|270=2650.125|",
        "no-symbol": header.format(t="W") + "268=1|269=1|270=1.08600|",
        "reject": header.format(t="Y") + "262=vigil-1|281=0|58=unknown symbol|",
    }
    for name, body in messages.items():
        # First byte: 0 = two symbols subscribed, framed by the fuzzer; 1 = one symbol.
        write("fix_market_data", name, b"\x00" + body.replace("|", soh).encode())
    write("fix_market_data", "no-symbol-one-subscribed", b"\x01" + messages["no-symbol"].replace("|", soh).encode())
    whole = "8=FIX.4.4|9=5|35=0|10=000|".replace("|", soh)
    write("fix_market_data", "whole-message", b"\x02" + whole.encode())


def store():
    # "<entity> <op> <after_seq> <limit>", then one column value per line.
    rows = {
        "position": ("4 1 0 10", ["p-1", "s-1", "d-1", "c-1", "EURUSD", "buy", "open", "1", "10000000",
                                  "139110", "138800", "139500", "e-1", "123456789", "139112", "10000000", "", "",
                                  '{"rule-trailing":{"best":139200}}', "", "1704067200000", "1704067200100", "0",
                                  "1704067200100"]),
        "command": ("5 2 0 0", ["cmd-1", "p-1", "d-1", "owner_sl", "138800", "sl", "10000000", "pending", "2", "", "",
                                "requote \"off\" \\ quotes", "1", "1704067200000", "0", "1704067200000"]),
        "signal": ("3 3 0 0", ["s-1", "c-1", "EURUSD", "sell", "10000000", "139110", "", "", "xc1.1.AAAA",
                               '{"rule-sltp":{}}', "1704067200000"]),
        "client": ("1 1 0 0", ["c-1", "Caf\u00e9 \u4e2d\u6587 \U0001F600", "1704067200000"]),
        "device": ("2 3 0 0", ["d-1", "c-1", "EA #1", "xc1.1.BBBB", "1", "1704067200000"]),
        "audit": ("6 1 5 100", ["", "1704067200000", "position", "p-1", "opened", '{"price":"1.39110"}', "00", "11"]),
        "meta": ("7 3 0 0", ["schema_note", "pending, open ,closed"]),
        "query-states": ("4 0 0 5", ["", "d-1", "pending, open ,closed"]),
    }
    for name, (head_line, values) in rows.items():
        write("store_text", name, "\n".join([head_line] + values))


if __name__ == "__main__":
    for make in (ticks, configs, positions, json_bodies, tokens, fix, store):
        make()
    seeds = sum(1 for t in CLEARED for f in (OUT / t).iterdir())
    print(seeds, "seeds for", len(CLEARED), "targets in", os.path.relpath(OUT, ROOT))
