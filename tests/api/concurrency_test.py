"""Everything at once against one vigild, for a few seconds: EAs opening
positions (every rule, a drawdown guard across both shards), acking them,
long-polling close commands and acking those (some as failed, so they are
re-issued); pushed ticks and a synthetic feed; /healthz, /metrics and the
admin views read meanwhile; SIGHUP swapping the feed every two seconds.

The other API tests mostly send one request at a time: here transport
threads, engine shards, the feed, the maintenance timer and the reload
really overlap, which is what the ThreadSanitizer stage (script/tsan) needs
to see. Every answer must be one the contract gives for the request,
breaches must have been delivered and closed, and vigild must stop cleanly
with no sanitizer report in its log (Server.cleanup).
Usage: concurrency_test.py VIGILD PLUGIN_DIR [SECONDS]"""
import collections
import random
import re
import signal
import sys
import threading
import time
import unittest

from vigil_client import Server, executed, new_device

VIGILD, PLUGINS = sys.argv[1], sys.argv[2]
SECONDS = float(sys.argv[3]) if len(sys.argv) > 3 else 15
RULES = ("rule-sltp", "rule-trailing", "rule-breakeven", "rule-ladder", "rule-expiry", "rule-drawdown")
CONFIG = """feeds:
  - plugin: feed-synthetic
    options:
      ticks_per_second: 200
      instruments:
        - {symbol: EURUSD, digits: 5, start: "1.10000", volatility_points: 8, spread_points: 2}
        - {symbol: USDJPY, digits: 3, start: "150.000", volatility_points: 12, spread_points: 3}
escalation:
  command_alert_after_seconds: 1
  command_expire_after_seconds: 2
  device_silent_after_seconds: 1
"""
MARKET = {"EURUSD": ("1.10000", "0.00020"), "USDJPY": ("150.000", "0.020")}  # entry, trailing distance


class Everything(unittest.TestCase):
    def setUp(self):
        self.server = Server(VIGILD, PLUGINS, extra_yaml=CONFIG, rules=RULES).start()
        self.addCleanup(self.server.cleanup)
        self.deadline = time.monotonic() + SECONDS
        self.lock = threading.Lock()
        self.unexpected = []  # (what, answer)
        self.counts = collections.Counter()

    def expect(self, what, answer, *statuses):
        with self.lock:
            self.counts[what] += 1
            if answer.status not in statuses:
                self.unexpected.append((what, answer))
        return answer

    def loop(self, step):
        def run():
            try:
                while time.monotonic() < self.deadline:
                    step()
            except Exception as e:  # a refused connection, a timeout: the server failed
                with self.lock:
                    self.unexpected.append((step.__name__, repr(e)))
        return threading.Thread(target=run)

    def ea(self, number):
        client = self.server.admin("POST", "/clients", {"name": f"ea{number}"}).json["client_id"]
        device = new_device(self.server, client)
        seq = iter(range(1, 1 << 30))

        def ea_round():
            instrument = random.choice(list(MARKET))
            entry, distance = MARKET[instrument]
            signal_answer = self.expect("signal", self.server.admin("POST", "/signals", {
                "client_id": client, "instrument": instrument, "side": random.choice(["buy", "sell"]),
                "volume": "1", "rules": {"rule-trailing": {"distance": distance}, "rule-expiry": {"after": "2s"},
                                         "rule-drawdown": {"max_loss": "30", "point_value": "1"}}}), 201)
            self.expect("poll", device.poll(), 200)
            for p in (signal_answer.json or {}).get("positions", []):
                ticket = f"{number}-{next(seq)}"
                self.expect("ack", device.ack(executed(p["position_id"], ticket, price=entry)), 200)
            commands = self.expect("close_commands", device.close_commands(wait=1), 200)
            for c in (commands.json or {}).get("commands", []):
                done = {"command_id": c["command_id"], "status": "executed",
                        "actual_close_price": c.get("expected_price") or entry}
                if random.random() < 0.3:
                    done = {"command_id": c["command_id"], "status": "failed", "error_message": "requote"}
                # 409: the command expired meanwhile and a late execution closed the position.
                self.expect("close_ack", device.close_ack(done), 200, 409)

        ea_round.__name__ = f"ea{number}"
        return ea_round

    def push(self):
        bid = 1.1 + random.uniform(-0.005, 0.005)
        self.expect("push_tick", self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": f"{bid:.5f}",
                                                                      "ask": f"{bid + 0.0002:.5f}"}), 202)

    def read(self):
        self.expect("healthz", self.server.request("GET", "/healthz"), 200)
        self.expect("metrics", self.server.request("GET", "/metrics"), 200)
        self.expect("alerts", self.server.admin("GET", "/alerts"), 200)
        self.expect("slippage", self.server.admin("GET", "/reports/slippage"), 200)

    def reload(self):
        time.sleep(2)
        self.server.process.send_signal(signal.SIGHUP)
        with self.lock:
            self.counts["sighup"] += 1

    def test_transport_shards_feed_timer_and_reload_at_once(self):
        threads = [self.loop(self.ea(n)) for n in range(4)]
        threads += [self.loop(self.push), self.loop(self.read), self.loop(self.reload)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(self.unexpected[:5], [])
        metrics = self.server.request("GET", "/metrics").text
        breaches = int(float(re.search(r"^vigil_breaches_total (\S+)", metrics, re.M).group(1)))
        self.assertGreater(breaches, 0, metrics)
        self.assertGreater(self.counts["close_ack"], 0, self.counts)
        self.assertGreater(self.counts["sighup"], 0, self.counts)
        time.sleep(0.5)  # the last SIGHUP's reload is logged
        with open(self.server.log.name, errors="replace") as log:
            self.assertIn("SIGHUP: feeds reloaded", log.read())


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
