"""VigilExecutor.mq5, translated to C++ and built on the MQL5 shim
(mql5_executor), against a real vigild on a temporary directory: it opens
what the server sends in the simulated broker, acks, places the catastrophe
stop, receives the close command of a breach, closes, close-acks; and the
terminal killed between a trade and its journal, or an answer lost, never
makes it trade twice.

Usage: executor_test.py MQL5_EXECUTOR VIGILD PLUGIN_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from vigil_client import Server  # noqa: E402

EXECUTOR, VIGILD, PLUGINS = sys.argv[1:4]
del sys.argv[1:4]


class Terminal:
    """One MetaTrader terminal: its Files folder, its broker, its quotes."""

    def __init__(self, server, device_id, secret):
        self.server, self.device_id, self.secret = server, device_id, secret
        self.dir = tempfile.mkdtemp(prefix="vigil-mql5-")
        self.broker_file = os.path.join(self.dir, "broker.txt")
        self.quotes_file = os.path.join(self.dir, "quotes.txt")
        self.quote("1.10000", "1.10002")

    def quote(self, bid, ask):
        with open(self.quotes_file, "w") as f:
            f.write(f"EURUSD 5 {bid} {ask}\n")

    def tick(self, bid, ask):
        """The same price at the broker and at Vigil."""
        self.quote(bid, ask)
        answer = self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": bid, "ask": ask})
        assert answer.status == 202, answer

    def command(self, rounds=1, wait=0, seconds=None, secret=None, **env):
        args = [EXECUTOR, "--url", f"http://127.0.0.1:{self.server.port}", "--device", self.device_id,
                "--secret", secret or self.secret, "--wait", str(wait)]
        args += ["--seconds", str(seconds)] if seconds else ["--rounds", str(rounds)]
        environment = dict(os.environ, MQL5_FILES_DIR=self.dir, MQL5_SIM_BROKER=self.broker_file,
                           MQL5_SIM_QUOTES=self.quotes_file, **env)
        return args, environment

    def run(self, **options):
        args, environment = self.command(**options)
        done = subprocess.run(args, env=environment, capture_output=True, text=True, timeout=60)
        return done.returncode, done.stdout + done.stderr

    def broker(self):
        positions, deals = {}, []
        lines = []
        if os.path.exists(self.broker_file):
            with open(self.broker_file) as f:
                lines = f.readlines()
        if lines:
            for line in lines:
                fields = line.split()
                if fields[0] == "position":
                    positions[fields[1]] = {"volume": float(fields[4]), "price": float(fields[5]),
                                            "sl": float(fields[6]), "comment": fields[9]}
                elif fields[0] == "deal":
                    deals.append({"position": fields[2], "entry": int(fields[3]), "price": float(fields[4])})
        return positions, deals


class ExecutorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(VIGILD, PLUGINS).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def setUp(self):
        client = self.server.admin("POST", "/clients", {"name": self.id()}).json["client_id"]
        device = self.server.admin("POST", f"/clients/{client}/devices", {"name": "mt5"}).json
        self.client = client
        self.terminal = Terminal(self.server, device["device_id"], device["device_secret"])

    def tearDown(self):
        shutil.rmtree(self.terminal.dir, ignore_errors=True)

    def signal(self, side="buy", **extra):
        sl, tp = ("1.09000", "1.11000") if side == "buy" else ("1.11000", "1.09000")
        body = {"client_id": self.client, "instrument": "EURUSD", "side": side, "volume": "1",
                "entry_price": "1.10000", "owner_sl": sl, "owner_tp": tp, **extra}
        answer = self.server.admin("POST", "/signals", body)
        self.assertEqual(answer.status, 201, answer)
        return answer.json["positions"][0]["position_id"]

    def view(self, position_id):
        return self.server.admin("GET", f"/positions/{position_id}").json

    def test_trades_once_although_killed_between_each_trade_and_its_journal(self):
        position = self.signal(catastrophe_stop=True)
        code, log = self.terminal.run(MQL5_SIM_CRASH="open")
        self.assertEqual(code, 3, log)
        positions, _ = self.terminal.broker()
        self.assertEqual(len(positions), 1, log)
        self.assertEqual(self.view(position)["state"], "acknowledged")

        code, log = self.terminal.run()
        self.assertEqual(code, 0, log)
        self.assertIn("was in doubt after a restart", log)
        positions, deals = self.terminal.broker()
        self.assertEqual(len(positions), 1, "opened once: " + log)
        [(ticket, opened)] = positions.items()
        view = self.view(position)
        self.assertEqual((view["state"], view["broker_ticket"], view["actual_entry_price"], view["filled_volume"]),
                         ("open", ticket, "1.10000", "1"), log)
        self.assertTrue(view.get("catastrophe_sl"), view)
        self.assertAlmostEqual(opened["sl"], float(view["catastrophe_sl"]), places=6, msg=log)
        self.assertLess(opened["sl"], 1.09, "behind the hidden stop")

        self.terminal.tick("1.08990", "1.08992")
        code, log = self.terminal.run(wait=3, MQL5_SIM_CRASH="close")
        self.assertEqual(code, 3, log)
        positions, deals = self.terminal.broker()
        self.assertEqual((len(positions), [d["entry"] for d in deals]), (0, [0, 1]), log)
        self.assertEqual(self.view(position)["state"], "closing")

        code, log = self.terminal.run()
        self.assertEqual(code, 0, log)
        view = self.view(position)
        self.assertEqual((view["state"], view["close_reason"], view["close_price"]), ("closed", "sl_hit", "1.08990"),
                         log)
        code, log = self.terminal.run(wait=1)
        self.assertEqual(code, 0, log)
        self.assertEqual([d["entry"] for d in self.terminal.broker()[1]], [0, 1], "closed once: " + log)
        self.assertNotIn("Vigil: close ", log)

    def test_a_waiting_executor_closes_on_the_breach_and_resends_a_lost_close_ack(self):
        position = self.signal(side="sell")
        code, log = self.terminal.run()
        self.assertEqual((code, self.view(position)["state"]), (0, "open"), log)
        # Waiting on close-commands when the breach comes; every close-ack
        # reaches the server but its answer is lost.
        args, environment = self.terminal.command(wait=5, seconds=3, MQL5_SIM_LOSE="/close-ack")
        waiting = subprocess.Popen(args, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(1)
        pushed = time.monotonic()
        self.terminal.tick("1.11000", "1.11002")
        while not any(d["entry"] == 1 for d in self.terminal.broker()[1]) and time.monotonic() - pushed < 5:
            time.sleep(0.005)
        closed_after = time.monotonic() - pushed
        log = waiting.communicate(timeout=30)[0]
        self.assertEqual(waiting.returncode, 0, log)
        self.assertLess(closed_after, 1.0, "the held close-commands answered at the breach: " + log)
        self.assertIn("no answer, error 5203", log)

        code, log = self.terminal.run()
        self.assertEqual(code, 0, log)
        self.assertIn("sending the close of", log)
        self.assertRegex(log, r"close-ack cmd_\w+: executed, position closed")
        view = self.view(position)
        self.assertEqual((view["state"], view["close_price"]), ("closed", "1.11002"), log)
        self.assertEqual([d["entry"] for d in self.terminal.broker()[1]], [0, 1], log)

    def test_tells_the_server_at_start_which_tickets_the_broker_closed(self):
        position = self.signal()
        code, log = self.terminal.run()
        self.assertEqual((code, self.view(position)["state"]), (0, "open"), log)
        # The broker closed it while the terminal was off.
        with open(self.terminal.broker_file) as f:
            kept = [line for line in f if not line.startswith("position")]
        with open(self.terminal.broker_file, "w") as f:
            f.writelines(kept)
        code, log = self.terminal.run()
        self.assertEqual(code, 0, log)
        view = self.view(position)
        self.assertEqual((view["state"], view["close_reason"]), ("closed", "broker_closed"), log)
        self.assertIn("1 positions closed by the broker", log)

    def test_acks_a_rejected_order_with_the_brokers_error(self):
        position = self.signal()
        code, log = self.terminal.run(MQL5_SIM_REJECT_OPEN="1")
        self.assertEqual(code, 0, log)
        view = self.view(position)
        self.assertEqual(view["state"], "rejected", log)
        self.assertIn("retcode 10006", view["error_message"])

    def test_refused_credentials_and_accounts_trade_nothing(self):
        position = self.signal()
        code, log = self.terminal.run(secret="0" * 64)
        self.assertEqual(code, 0, log)
        self.assertRegex(log, r"positions-snapshot: 401 ")
        self.assertEqual((self.terminal.broker()[0], self.view(position)["state"]), ({}, "pending"), log)
        code, log = self.terminal.run(MQL5_SIM_NETTING="1")
        self.assertEqual(code, 11, log)
        self.assertIn("not a hedging account", log)
        code, log = self.terminal.run(MQL5_SIM_CLOCK_OFFSET_S="120")
        self.assertIn("401", log)
        self.assertEqual(self.view(position)["state"], "pending", log)


if __name__ == "__main__":
    unittest.main(verbosity=2)
