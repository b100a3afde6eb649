"""The package alone against a real vigild (started on a temporary
directory by tests/api's launcher): an operator creates a client, a device
and a signal; the EA polls, acks, is told of a manual close by its
long-poll, and close-acks; a breach reaches a waiting EA; refusals arrive
as typed errors; the admin's list calls page through what was made, and a
deactivated device is refused; the package README's EA loop runs as
written.
Arguments: vigild, plugin directory."""
import os
import re
import sys
import types
import tempfile
import threading
import time
import unittest

import package_path
from vigil_api import (AdminClient, BadRequest, EaClient, Executor, Journal, NotFound, Unauthorized, executed_ack,
                       executed_close)

sys.path.insert(0, os.path.join(package_path.ROOT, "tests", "api"))
from vigil_client import ADMIN_TOKEN, Server  # noqa: E402  (the launcher only)

VIGILD, PLUGINS = sys.argv[1], sys.argv[2]


class AgainstVigild(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(VIGILD, PLUGINS).start()
        cls.addClassCleanup(cls.server.cleanup)
        cls.url = f"http://127.0.0.1:{cls.server.port}"

    def setUp(self):
        self.admin = AdminClient(self.url, ADMIN_TOKEN)
        self.addCleanup(self.admin.close)
        self.client_id = self.admin.create_client("alice")
        device = self.admin.create_device(self.client_id, "mt5-terminal-1")
        self.ea = EaClient(self.url, device["device_id"], device["device_secret"])
        self.addCleanup(self.ea.close)
        directory = tempfile.TemporaryDirectory(prefix="vigil-e2e-")
        self.addCleanup(directory.cleanup)
        self.executor = Executor(self.ea, Journal(os.path.join(directory.name, "journal.json")))

    def open_position(self, **levels):
        signal = self.admin.create_signal(self.client_id, "EURUSD", "buy", "1", entry_price="1.10000", **levels)
        position_id = signal["positions"][0]["position_id"]
        polled = [p for p in self.ea.poll() if p["position_id"] == position_id]
        self.assertEqual(len(polled), 1)
        self.assertNotIn("owner_sl", polled[0])
        answer = self.executor.open(polled[0], lambda p: executed_ack(p["position_id"], "deal-1", "5000000000",
                                                                      "1.10002", "1"))
        self.assertEqual(answer["state"], "open")
        return position_id

    def test_signal_poll_ack_manual_close_close_commands_close_ack(self):
        position_id = self.open_position(owner_sl="1.09000", owner_tp="1.12000")
        again = self.ea.ack(executed_ack(position_id, "deal-1", "5000000000", "1.10002", "1"))
        self.assertEqual(again["state"], "open")  # a repeated ack is answered as the first
        command_id = self.admin.close_position(position_id)
        commands = self.ea.close_commands(wait=5)
        self.assertEqual([c["command_id"] for c in commands], [command_id])
        self.assertEqual(commands[0]["broker_ticket"], "5000000000")
        answer = self.executor.close(commands[0], lambda c: executed_close(c["command_id"], "1.10010"))
        self.assertEqual((answer["status"], answer["position_state"]), ("executed", "closed"))
        view = self.admin.position(position_id)
        self.assertEqual((view["state"], view["owner_sl"]), ("closed", "1.09000"))
        self.assertEqual(self.ea.close_commands(), [])
        self.assertEqual(self.executor.journal.unanswered(), [])

    def test_a_breach_reaches_an_ea_waiting_on_close_commands(self):
        self.open_position(owner_sl="1.09000")
        got = {}

        def wait():
            started = time.monotonic()
            got["commands"] = self.ea.close_commands(wait=10)
            got["seconds"] = time.monotonic() - started
        waiter = threading.Thread(target=wait)
        waiter.start()
        time.sleep(0.3)
        self.admin.push_tick("EURUSD", "1.08990", "1.08992")
        waiter.join(15)
        self.assertEqual([c["reason"] for c in got["commands"]], ["sl_hit"])
        self.assertLess(got["seconds"], 5)

    def test_refusals_arrive_as_typed_errors_naming_their_code(self):
        with self.assertRaises(NotFound):
            self.ea.ack(executed_ack("pos_nonexistent", "d", "1", "1.1", "1"))
        with self.assertRaises(BadRequest) as bad:
            self.ea.call("POST", "positions-snapshot", {"tickets": "1001"})
        self.assertIn("tickets", bad.exception.message)
        stranger = EaClient(self.url, self.ea.device_id, "0" * 64)
        self.addCleanup(stranger.close)
        with self.assertRaises(Unauthorized) as refused:
            stranger.poll()
        self.assertEqual(refused.exception.code, "unauthenticated")

    def test_the_admin_reports_answer_through_the_package(self):
        self.assertEqual(self.ea.positions_snapshot([]), {"closed_positions": [], "unknown_tickets": []})
        self.assertIn("status", self.admin.healthz())
        self.assertIn("silent_devices", self.admin.alerts())
        self.assertIn("instruments", self.admin.health())
        self.assertIn("rows", self.admin.slippage_report())
        self.assertEqual(self.admin.push_tick("EURUSD", "1.10000", "1.10002"), {"accepted": True})
        self.assertIn("vigil_", self.admin.metrics())

    def test_the_console_reads_and_a_deactivation_go_through_the_package(self):
        position_id = self.open_position(owner_sl="1.09000")
        second = self.admin.create_device(self.client_id, "mt5-terminal-2")
        devices = list(self.admin.all_items(self.admin.devices, self.client_id, limit=1))  # a page each
        self.assertEqual(sorted(d["device_id"] for d in devices), sorted([self.ea.device_id, second["device_id"]]))
        self.assertIn(self.client_id, [c["client_id"] for c in self.admin.all_items(self.admin.clients, limit=2)])
        page = self.admin.positions(client_id=self.client_id, state="open")
        self.assertEqual([p["position_id"] for p in page["items"]], [position_id])
        self.assertIsNone(page["next_cursor"])
        with self.assertRaises(BadRequest) as bad:
            self.admin.positions(state="sideways")
        self.assertIn("state", bad.exception.message)
        command_id = self.admin.close_position(position_id)
        pending = self.admin.all_items(self.admin.close_commands, state="pending", overdue=False)
        self.assertIn(command_id, [c["command_id"] for c in pending])
        audit = self.admin.audit(position_id=position_id)
        self.assertTrue(audit["chain"]["verified"])
        self.assertIn("opened", [row["action"] for row in audit["items"]])
        self.assertIn("EURUSD", [i["instrument"] for i in self.admin.instruments()])
        self.assertEqual(self.admin.deactivate_device(self.ea.device_id),
                         {"device_id": self.ea.device_id, "active": False})
        with self.assertRaises(Unauthorized):
            self.ea.poll()


class ReadmeLoop(unittest.TestCase):
    """The EA loop of clients/python/README.md, run as written (two rounds
    instead of forever, a one-second wait) with a stand-in broker."""

    def setUp(self):
        self.server = Server(VIGILD, PLUGINS).start()
        self.addCleanup(self.server.cleanup)
        self.url = f"http://127.0.0.1:{self.server.port}"
        with open(os.path.join(package_path.PACKAGE_DIR, "README.md")) as f:
            code = re.search(r"```python\n(.*?)```", f.read(), re.S).group(1)
        self.assertIn("while True:", code)
        self.assertIn("wait=10", code)
        self.code = code.replace("while True:", "for _ in range(2):").replace("wait=10", "wait=1")
        self.code = self.code.replace('"http://vigil.example:8080"', repr(self.url))
        self.code = self.code.replace('"vigil-journal.json"', repr(os.path.join(self.server.dir, "journal.json")))

    def test_the_readme_loop_opens_a_position_and_closes_it_once(self):
        admin = AdminClient(self.url, ADMIN_TOKEN)
        self.addCleanup(admin.close)
        client_id = admin.create_client("readme")
        device = admin.create_device(client_id, "terminal")
        position_id = admin.create_signal(client_id, "EURUSD", "sell", "2",
                                          entry_price="1.10000")["positions"][0]["position_id"]
        trades = []

        class Broker:
            def open(self, instrument, side, volume, price):
                trades.append(("open", instrument, side, volume))
                return types.SimpleNamespace(ok=True, deal="d-1", ticket="5000000000", price="1.09998", volume="2")

            def close(self, ticket, volume):
                trades.append(("close", ticket, volume))
                return types.SimpleNamespace(ok=True, price="1.10005")

        names = {"DEVICE_ID": device["device_id"], "DEVICE_SECRET": device["device_secret"], "broker": Broker()}
        exec(self.code, dict(names))
        self.assertEqual(admin.position(position_id)["state"], "open")
        admin.close_position(position_id)
        exec(self.code, dict(names))  # a restart: the journal is read again
        self.assertEqual(admin.position(position_id)["state"], "closed")
        self.assertEqual(trades, [("open", "EURUSD", "sell", "2"), ("close", "5000000000", "2")])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
