"""Feeds swapped by editing the config and sending SIGHUP (issue 7): the
open position and its hidden levels stay; the new feed's prices breach it.
A config that does not load leaves the running feeds alone. Fallback
sources; staleness within trading hours and the hold after a stale gap.
Usage: reload_test.py VIGILD PLUGIN_DIR"""
import os
import signal
import sys
import time
import unittest

from vigil_client import Server, executed, new_device

VIGILD, PLUGINS = sys.argv[1:3]


class Reload(unittest.TestCase):
    def test_sighup_swaps_feeds_and_keeps_positions(self):
        server = Server(VIGILD, PLUGINS).start()
        self.addCleanup(server.cleanup)
        client = server.admin("POST", "/clients", {"name": "hup"}).json["client_id"]
        ea = new_device(server, client)
        signal_answer = server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD",
                                                          "side": "buy", "volume": "1", "owner_sl": "1.09000"})
        pid = signal_answer.json["positions"][0]["position_id"]
        ea.poll()
        ea.ack({"position_id": pid, "status": "executed", "execution_id": "e", "broker_ticket": "1",
                "actual_entry_price": "1.10000", "filled_volume": "1"})
        self.assertEqual(server.request("GET", "/healthz").json["feeds"], [])

        # A broken config first: nothing changes, the server keeps running.
        server.extra_yaml = "feeds:\n  - plugin: feed-nonexistent\n"
        server.write_config()
        server.process.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        self.assertIsNone(server.process.poll())
        self.assertEqual(server.request("GET", "/healthz").json["feeds"], [])

        now = int(time.time() * 1000)
        ticks = os.path.join(server.dir, "ticks.csv")
        with open(ticks, "w") as f:
            f.write("time,instrument,bid,ask\n")
            for i, bid in enumerate(["1.09500", "1.09100", "1.08990", "1.08800"]):
                f.write(f"{now + i},EURUSD,{bid},{float(bid) + 0.00002:.5f}\n")
        server.extra_yaml = f"feeds:\n  - plugin: feed-replay\n    options: {{file: {ticks}, format: csv}}\n"
        server.write_config()
        server.process.send_signal(signal.SIGHUP)
        [command] = ea.close_commands(wait=10).json["commands"]
        self.assertEqual((command["position_id"], command["reason"], command["expected_price"]),
                         (pid, "sl_hit", "1.08990"))
        feeds = server.request("GET", "/healthz").json["feeds"]
        self.assertEqual([f["name"] for f in feeds], ["feeds[0] (feed-replay)"])
        with open(os.path.join(server.dir, "vigild.log")) as log:
            text = log.read()
        self.assertIn("SIGHUP: feeds unchanged", text)
        self.assertIn("SIGHUP: feeds reloaded", text)


class Failover(unittest.TestCase):
    def test_fallback_prices_count_only_while_the_primary_is_silent(self):
        server = Server(VIGILD, PLUGINS)
        self.addCleanup(server.cleanup)
        ticks = os.path.join(server.dir, "primary.csv")
        with open(ticks, "w") as f:
            f.write(f"time,instrument,bid,ask\n{int(time.time() * 1000)},EURUSD,1.10000,1.10002\n")
        server.eurusd_extra = ", sources: [primary, push], failover_after_seconds: 3"
        server.extra_yaml = f"feeds:\n  - name: primary\n    plugin: feed-replay\n    options: {{file: {ticks}}}\n"
        server.write_config()
        server.start()
        client = server.admin("POST", "/clients", {"name": "fo"}).json["client_id"]
        ea = new_device(server, client)
        pid = server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD", "side": "buy",
                                                "volume": "1", "owner_sl": "1.09000"}).json["positions"][0]
        ea.poll()
        ea.ack(executed(pid["position_id"], "1"))
        breach = {"instrument": "EURUSD", "bid": "1.08000", "ask": "1.08002"}
        started = time.monotonic()
        server.admin("POST", "/ticks", breach)  # the primary quoted moments ago: the fallback stands by
        self.assertEqual(ea.close_commands(wait=1).json["commands"], [])
        self.assertLess(time.monotonic() - started, 2.5, "too slow to test the standby reliably")
        self.assertEqual(server.request("GET", "/healthz").json["active_sources"], {"EURUSD": "primary"})
        self.assertIn("vigil_ticks_standby_total 1", server.request("GET", "/metrics").text)
        time.sleep(3.2 - (time.monotonic() - started))
        server.admin("POST", "/ticks", breach)  # the primary has been silent: the fallback counts
        [command] = ea.close_commands(wait=3).json["commands"]
        self.assertEqual(command["expected_price"], "1.08000")
        self.assertEqual(server.request("GET", "/healthz").json["active_sources"], {"EURUSD": "push"})


class Staleness(unittest.TestCase):
    def test_first_tick_after_a_gap_waits_for_the_next_and_closed_markets_are_not_stale(self):
        server = Server(VIGILD, PLUGINS)
        self.addCleanup(server.cleanup)
        closed_today = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][(time.gmtime().tm_wday + 3) % 7]
        server.eurusd_extra = ", hold_when_stale: true"
        server.usdjpy_extra = f", trading_hours: ['{closed_today} 00:00-24:00']"  # not trading today
        server.extra_yaml = "guards: {stale_after_seconds: 1}\n"
        server.write_config()
        server.start()
        client = server.admin("POST", "/clients", {"name": "stale"}).json["client_id"]
        ea = new_device(server, client)
        pid = server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD", "side": "buy",
                                                "volume": "1", "owner_sl": "1.09000"}).json["positions"][0]
        ea.poll()
        ea.ack(executed(pid["position_id"], "1"))
        time.sleep(1.3)  # no EURUSD tick since the start: stale
        health = server.request("GET", "/healthz")
        self.assertEqual((health.status, health.json["status"]), (503, "degraded"))
        self.assertEqual(health.json["stale_instruments"], ["EURUSD"])  # USDJPY is closed, not stale

        server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.08990", "ask": "1.08992"})
        self.assertIn("vigil_ticks_stale_held_total 1", server.request("GET", "/metrics").text)
        server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.08991", "ask": "1.08993"})
        [command] = ea.close_commands(wait=5).json["commands"]
        self.assertEqual((command["reason"], command["expected_price"]), ("sl_hit", "1.08990"))
        metrics = server.request("GET", "/metrics").text
        self.assertIn("vigil_ticks_stale_released_total 1", metrics)
        self.assertIn("vigil_ticks_stale_dropped_total 0", metrics)
        self.assertEqual(server.request("GET", "/healthz").json["stale_instruments"], [])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
