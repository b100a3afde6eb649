"""End to end over real HTTP: vigild with store-sqlite, cipher-sodium,
rule-sltp and transport-http loaded from build/plugins, driven as an
operator (admin API) and as EAs (signed EA API). Usage:
    ea_api_test.py VIGILD PLUGIN_DIR"""
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import unittest

from vigil_client import Server, new_device

VIGILD, PLUGINS = sys.argv[1], sys.argv[2]
HIDDEN_SL, HIDDEN_TP = "1.09123", "1.11987"
TOKEN_TAG = "xc1"  # cipher-sodium's token prefix


class Flow(unittest.TestCase):
    def setUp(self):
        self.server = Server(VIGILD, PLUGINS).start()
        self.addCleanup(self.server.cleanup)
        answer = self.server.admin("POST", "/clients", {"name": "alice"})
        self.assertEqual(answer.status, 201, answer)
        self.client_id = answer.json["client_id"]
        self.ea = new_device(self.server, self.client_id)

    def signal(self, **fields):
        body = {"client_id": self.client_id, "instrument": "EURUSD", "side": "buy", "volume": "1",
                "entry_price": "1.10000", "owner_sl": HIDDEN_SL, "owner_tp": HIDDEN_TP,
                "payload": {"strategy": "secret-sauce-42"}}
        body.update(fields)
        return self.server.admin("POST", "/signals", body)

    def open_position(self, **fields):
        signal = self.signal(**fields)
        self.assertEqual(signal.status, 201, signal)
        position_id = signal.json["positions"][0]["position_id"]
        poll = self.ea.poll()
        self.assertEqual(poll.status, 200, poll)
        ack = self.ea.ack({"position_id": position_id, "status": "executed", "execution_id": "x-" + position_id,
                           "broker_ticket": "9007199254740993", "actual_entry_price": "1.10002",
                           "filled_volume": "1"})
        self.assertEqual(ack.status, 200, ack)
        return position_id, poll, ack

    def tick(self, bid, ask):
        answer = self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": bid, "ask": ask})
        self.assertEqual(answer.status, 202, answer)

    def test_signal_to_close_over_the_wire(self):
        position_id, poll, ack = self.open_position()
        # The EA sees its position, never the hidden levels or the payload.
        self.assertEqual([p["position_id"] for p in poll.json["positions"]], [position_id])
        for leak in (HIDDEN_SL, HIDDEN_TP, "secret-sauce", "owner_sl", "owner_tp"):
            self.assertNotIn(leak, poll.text)
            self.assertNotIn(leak, ack.text)
        self.assertEqual(ack.json["state"], "open")
        self.assertEqual(ack.json["slippage"], {"price": "0.00002", "points": 2})
        self.assertEqual(ack.json["fill_ratio"], "1")
        # A waiting EA hears of the breach at once.
        waited = {}
        waiter = threading.Thread(target=lambda: waited.update(answer=self.ea.close_commands(wait=10)))
        waiter.start()
        time.sleep(0.5)
        self.tick("1.10050", "1.10052")  # crosses nothing
        pushed = time.monotonic()
        self.tick("1.09120", "1.09122")  # bid <= owner_sl
        waiter.join()
        commands = waited["answer"]
        self.assertEqual(commands.status, 200, commands)
        self.assertLess(time.monotonic() - pushed, 2.0)
        [command] = commands.json["commands"]
        self.assertEqual(command["position_id"], position_id)
        self.assertEqual(command["reason"], "sl_hit")
        self.assertEqual(command["expected_price"], "1.09120")
        self.assertEqual(command["broker_ticket"], "9007199254740993")
        self.assertNotIn(HIDDEN_SL, commands.text)
        # Delivered again until the EA reports a result (at least once).
        self.assertEqual([c["command_id"] for c in self.ea.close_commands().json["commands"]], [command["command_id"]])
        done = {"command_id": command["command_id"], "status": "executed", "actual_close_price": "1.09118"}
        first = self.ea.close_ack(done)
        self.assertEqual(first.status, 200, first)
        self.assertEqual(first.json["position_state"], "closed")
        again = self.ea.close_ack(done)
        self.assertEqual((again.status, again.json), (200, first.json))
        conflicting = self.ea.close_ack(dict(done, status="failed"))
        self.assertEqual(conflicting.status, 409, conflicting)
        self.assertEqual(self.ea.close_commands().json["commands"], [])
        view = self.server.admin("GET", f"/positions/{position_id}")
        self.assertEqual(view.status, 200, view)
        self.assertEqual(view.json["state"], "closed")
        self.assertEqual(view.json["owner_sl"], HIDDEN_SL)
        self.assertEqual(view.json["close_reason"], "sl_hit")
        self.assertEqual(view.json["close_price"], "1.09118")
        [stored] = view.json["close_commands"]
        self.assertEqual((stored["level"], stored["expected_price"]), (HIDDEN_SL, "1.09120"))

    def test_repeated_ack_same_answer_conflicting_ack_409(self):
        position_id, _, ack = self.open_position()
        again = self.ea.ack({"position_id": position_id, "status": "executed", "execution_id": "x-" + position_id,
                             "broker_ticket": "9007199254740993", "actual_entry_price": "1.10002",
                             "filled_volume": "1"})
        self.assertEqual((again.status, again.json), (200, ack.json))
        other = self.ea.ack({"position_id": position_id, "status": "executed", "execution_id": "other",
                             "broker_ticket": "1", "actual_entry_price": "1.10002", "filled_volume": "1"})
        self.assertEqual(other.status, 409, other)

    def test_a_broker_ticket_belongs_to_one_position(self):
        self.open_position()
        other = self.signal().json["positions"][0]["position_id"]
        self.ea.poll()
        dup = self.ea.ack({"position_id": other, "status": "executed", "execution_id": "x2",
                           "broker_ticket": "9007199254740993", "actual_entry_price": "1.1", "filled_volume": "1"})
        self.assertEqual((dup.status, dup.json["error"]["code"]), (409, "duplicate_ticket"), dup)

    def test_partial_fill_and_rejection(self):
        signal = self.signal(volume="2")
        position_id = signal.json["positions"][0]["position_id"]
        self.ea.poll()
        ack = self.ea.ack({"position_id": position_id, "status": "executed", "execution_id": "e1",
                           "broker_ticket": "77", "actual_entry_price": "1.09998", "filled_volume": "0.5"})
        self.assertEqual(ack.status, 200, ack)
        self.assertEqual((ack.json["fill_ratio"], ack.json["filled_volume"]), ("0.25", "0.5"))
        self.assertEqual(ack.json["slippage"], {"price": "-0.00002", "points": -2})  # in our favour
        too_much = self.signal()
        pid = too_much.json["positions"][0]["position_id"]
        self.ea.poll()
        over = self.ea.ack({"position_id": pid, "status": "executed", "execution_id": "e2", "broker_ticket": "78",
                            "actual_entry_price": "1.1", "filled_volume": "3"})
        self.assertEqual(over.status, 400, over)
        self.assertIn("filled_volume", over.json["error"]["message"])
        rejected = self.ea.ack({"position_id": pid, "status": "rejected", "error_message": "no money"})
        self.assertEqual((rejected.status, rejected.json["state"]), (200, "rejected"))

    def test_failed_close_is_retried(self):
        position_id, _, _ = self.open_position()
        self.tick("1.12000", "1.12002")  # take profit
        [command] = self.ea.close_commands(wait=5).json["commands"]
        self.assertEqual(command["reason"], "tp_hit")
        failed = self.ea.close_ack({"command_id": command["command_id"], "status": "failed",
                                    "error_message": "requote"})
        self.assertEqual((failed.status, failed.json["position_state"]), (200, "closing"))
        retry = self.ea.close_commands(wait=10)
        [again] = retry.json["commands"]
        self.assertNotEqual(again["command_id"], command["command_id"])
        self.assertEqual((again["position_id"], again["reason"], again["attempt"]), (position_id, "tp_hit", 2))

    def test_manual_close(self):
        position_id, _, _ = self.open_position()
        self.tick("1.10050", "1.10052")
        close = self.server.admin("POST", f"/positions/{position_id}/close", {"reason": "manual"})
        self.assertEqual(close.status, 202, close)
        [command] = self.ea.close_commands().json["commands"]
        self.assertEqual((command["command_id"], command["reason"]), (close.json["command_id"], "manual"))
        # At market: the last bid a BUY closes at, for the EA and the slippage report.
        self.assertEqual(command["expected_price"], "1.10050")
        twice = self.server.admin("POST", f"/positions/{position_id}/close", {"reason": "manual"})
        self.assertEqual(twice.status, 409, twice)

    def test_bad_signals_are_refused_naming_the_field(self):
        cases = [({"instrument": "NOPE"}, "instrument"), ({"side": "up"}, "side"),
                 ({"owner_sl": "1.123456"}, "owner_sl"), ({"volume": "-1"}, "volume"),
                 ({"owner_sl": "1.2", "owner_tp": "1.1"}, "sl")]
        for fields, named in cases:
            answer = self.signal(**fields)
            self.assertEqual(answer.status, 400, (fields, answer))
            self.assertIn(named, answer.json["error"]["message"], fields)
        missing = self.server.admin("POST", "/signals", {"client_id": "cl_nobody", "instrument": "EURUSD",
                                                         "side": "buy", "volume": "1"})
        self.assertEqual(missing.status, 404, missing)

    def test_secrets_and_payloads_are_ciphertext_at_rest(self):
        self.open_position()
        db = sqlite3.connect(os.path.join(self.server.dir, "vigil.db"))
        dump = "\n".join(db.iterdump())
        self.assertNotIn("secret-sauce-42", dump)
        self.assertNotIn(self.ea.secret, dump)
        [(token,)] = db.execute("SELECT payload_token FROM signals").fetchall()
        self.assertTrue(token.startswith(TOKEN_TAG + "."), token)
        [(secret,)] = db.execute("SELECT secret_token FROM devices").fetchall()
        self.assertTrue(secret.startswith(TOKEN_TAG + "."), secret)
        db.close()


class CiphertextAtRestPostgres(unittest.TestCase):
    def test_payloads_and_secrets_in_postgres_are_ciphertext(self):
        server = Server(VIGILD, PLUGINS, store="postgres").start()
        self.addCleanup(server.cleanup)
        client = server.admin("POST", "/clients", {"name": "pg"}).json["client_id"]
        ea = new_device(server, client)
        self.assertEqual(server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD",
                                                           "side": "buy", "volume": "1",
                                                           "payload": {"strategy": "secret-sauce-42"}}).status, 201)
        dump = subprocess.run(server.postgres.prefix + ["pg_dump", "-h", server.postgres.dir, "-U", "vigil",
                                                        "postgres"], capture_output=True, text=True, check=True).stdout
        self.assertIn("signals", dump)
        self.assertNotIn("secret-sauce-42", dump)
        self.assertNotIn(ea.secret, dump)
        self.assertIn(TOKEN_TAG + ".1.", dump)


class Reconciliation(unittest.TestCase):
    def setUp(self):
        self.server = Server(VIGILD, PLUGINS).start()
        self.addCleanup(self.server.cleanup)
        self.client = self.server.admin("POST", "/clients", {"name": "erin"}).json["client_id"]
        self.ea = new_device(self.server, self.client)

    def open(self, ticket, entry="1.10000", sl="1.09000", side="buy", actual="1.10003"):
        signal = self.server.admin("POST", "/signals", {"client_id": self.client, "instrument": "EURUSD",
                                                        "side": side, "volume": "1", "entry_price": entry,
                                                        "owner_sl": sl})
        pid = signal.json["positions"][0]["position_id"]
        self.ea.poll()
        ack = self.ea.ack({"position_id": pid, "status": "executed", "execution_id": "e" + ticket,
                           "broker_ticket": ticket, "actual_entry_price": actual, "filled_volume": "1"})
        self.assertEqual(ack.status, 200, ack)
        return pid

    def test_snapshot_closes_what_the_broker_closed_and_reports_strangers(self):
        kept, gone = self.open("1001"), self.open("1002")
        answer = self.ea.call("POST", "positions-snapshot", {"tickets": ["1001", "5555"]})
        self.assertEqual(answer.status, 200, answer)
        self.assertEqual(answer.json, {"closed_positions": [gone], "unknown_tickets": ["5555"]})
        view = self.server.admin("GET", f"/positions/{gone}").json
        self.assertEqual((view["state"], view["close_reason"]), ("closed", "broker_closed"))
        self.assertEqual(self.server.admin("GET", f"/positions/{kept}").json["state"], "open")
        # The closed position is no longer watched: a breaching tick issues nothing for it.
        self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.08000", "ask": "1.08002"})
        commands = self.ea.close_commands(wait=3).json["commands"]
        self.assertEqual([c["position_id"] for c in commands], [kept])
        bad = self.ea.call("POST", "positions-snapshot", {"tickets": "1001"})
        self.assertEqual(bad.status, 400, bad)

    def test_slippage_report(self):
        buy = self.open("1", actual="1.10003")  # 3 points worse
        self.open("2", side="sell", sl="1.11000", actual="1.09999")  # 1 point worse
        self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.08990", "ask": "1.08992"})
        [command] = self.ea.close_commands(wait=3).json["commands"]
        self.assertEqual((command["position_id"], command["expected_price"]), (buy, "1.08990"))
        self.ea.close_ack({"command_id": command["command_id"], "status": "executed",
                           "actual_close_price": "1.08985"})
        report = self.server.admin("GET", "/reports/slippage")
        self.assertEqual(report.status, 200, report)
        [row] = report.json["rows"]
        self.assertEqual((row["instrument"], row["device_id"]), ("EURUSD", self.ea.id))
        self.assertEqual((row["entry"]["count"], row["entry"]["average_points"], row["entry"]["worst_points"]),
                         (2, 2.0, 3))
        self.assertEqual((row["close"]["count"], row["close"]["worst_points"]), (1, 5))  # sold 5 below the trigger
        self.assertEqual(row["gap"]["worst_points"], 10)  # the trigger was 10 points through the stop

    def test_alerts_name_silent_devices(self):
        self.open("1")
        health = self.server.request("GET", "/healthz").json
        self.assertEqual(health["alerts"]["silent_devices"], 0)  # counts: ids are behind the admin token
        alerts = self.server.admin("GET", "/alerts")
        self.assertEqual(alerts.status, 200, alerts)
        self.assertEqual(alerts.json, {"overdue_commands": [], "silent_devices": [], "failing_rules": []})


class Escalation(unittest.TestCase):
    """Short escalation times from the config's escalation section."""

    def test_unfinished_commands_alert_then_expire_and_are_reissued(self):
        server = Server(VIGILD, PLUGINS, extra_yaml="""escalation:
  command_alert_after_seconds: 1
  command_expire_after_seconds: 2
  device_silent_after_seconds: 1
""").start()
        self.addCleanup(server.cleanup)
        client = server.admin("POST", "/clients", {"name": "frank"}).json["client_id"]
        ea = new_device(server, client)
        signal = server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD", "side": "sell",
                                                   "volume": "1", "owner_sl": "1.11000"})
        pid = signal.json["positions"][0]["position_id"]
        ea.poll()
        ea.ack({"position_id": pid, "status": "executed", "execution_id": "e", "broker_ticket": "7",
                "actual_entry_price": "1.10000", "filled_volume": "1"})
        server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.11000", "ask": "1.11002"})
        [first] = ea.close_commands(wait=3).json["commands"]
        time.sleep(1.6)  # past the alert time, and the EA has been silent
        alerts = server.admin("GET", "/alerts").json
        self.assertEqual(alerts["overdue_commands"], [first["command_id"]])
        self.assertEqual(alerts["silent_devices"], [ea.id])
        health = server.request("GET", "/healthz")
        self.assertEqual(health.json["alerts"], {"silent_devices": 1, "overdue_commands": 1})
        self.assertNotIn(ea.id, health.text)
        self.assertNotIn(first["command_id"], health.text)
        detail = server.admin("GET", "/health").json["alerts"]
        self.assertEqual(detail, {"silent_devices": [ea.id], "overdue_commands": [first["command_id"]]})
        self.assertIn("vigil_close_commands_overdue 1", server.request("GET", "/metrics").text)
        deadline = time.monotonic() + 5
        commands = []
        while time.monotonic() < deadline:
            commands = ea.close_commands(wait=1).json["commands"]
            if commands and commands[0]["command_id"] != first["command_id"]:
                break
        [second] = commands
        self.assertNotEqual(second["command_id"], first["command_id"])
        self.assertEqual((second["position_id"], second["reason"], second["attempt"]), (pid, "sl_hit", 2))
        view = server.admin("GET", f"/positions/{pid}").json
        self.assertEqual(sorted(c["status"] for c in view["close_commands"]), ["acknowledged", "expired"])
        # The EA did close on the first command, after all: the position is
        # closed and the re-issued command ends, so nothing is closed twice.
        late = ea.close_ack({"command_id": first["command_id"], "status": "executed", "actual_close_price": "1.11"})
        self.assertEqual((late.status, late.json["position_state"]), (200, "closed"), late)
        self.assertEqual(ea.close_commands().json["commands"], [])
        view = server.admin("GET", f"/positions/{pid}").json
        self.assertEqual((view["state"], view["close_price"]), ("closed", "1.11000"))
        self.assertEqual([c["status"] for c in view["close_commands"]], ["expired", "expired"])
        again = ea.close_ack({"command_id": first["command_id"], "status": "executed", "actual_close_price": "1.11"})
        self.assertEqual((again.status, again.json), (200, late.json))
        failed = ea.close_ack({"command_id": second["command_id"], "status": "executed",
                               "actual_close_price": "1.11"})
        self.assertEqual(failed.status, 409, failed)


class Authentication(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(VIGILD, PLUGINS).start()
        client = cls.server.admin("POST", "/clients", {"name": "bob"}).json["client_id"]
        cls.ea = new_device(cls.server, client, "one")
        cls.other = new_device(cls.server, client, "two")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def expect_401(self, answer, code):
        self.assertEqual(answer.status, 401, answer)
        self.assertEqual(answer.json["error"]["code"], code)

    def test_signed_request_passes(self):
        self.assertEqual(self.ea.poll().status, 200)

    def test_missing_header(self):
        answer = self.server.request("GET", "/api/v1/client/poll")
        self.expect_401(answer, "missing_auth_header")

    def test_bad_signature(self):
        self.expect_401(self.ea.call("GET", "poll", secret="0" * 64), "unauthenticated")

    def test_tampered_body(self):
        headers = self.ea.headers("POST", "/api/v1/client/ack", "", b'{"position_id":"a"}')
        answer = self.server.request("POST", "/api/v1/client/ack", b'{"position_id":"b"}', headers)
        self.expect_401(answer, "unauthenticated")

    def test_stale_timestamp(self):
        self.expect_401(self.ea.call("GET", "poll", timestamp=int(time.time() * 1000) - 31_000), "stale_timestamp")

    def test_replayed_nonce(self):
        self.assertEqual(self.ea.call("GET", "poll", nonce="nonce-replay-0001").status, 200)
        self.expect_401(self.ea.call("GET", "poll", nonce="nonce-replay-0001"), "replayed_nonce")

    def test_malformed_nonce(self):
        self.expect_401(self.ea.call("GET", "poll", nonce="short"), "malformed_auth_header")

    def test_unknown_device(self):
        from vigil_client import Device
        ghost = Device(self.server, "dev_ghost", "ab" * 32)
        self.expect_401(ghost.poll(), "unauthenticated")

    def test_an_unknown_device_and_a_bad_signature_get_the_same_answer(self):
        from vigil_client import Device
        ghost = Device(self.server, "dev_ghost", self.ea.secret).poll()
        bad = self.ea.call("GET", "poll", secret="0" * 64)
        self.assertEqual((ghost.status, ghost.text), (bad.status, bad.text))

    def test_other_devices_objects_are_404(self):
        client = self.server.admin("POST", "/clients", {"name": "carol"}).json["client_id"]
        ea = new_device(self.server, client)
        signal = self.server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD", "side": "sell",
                                                        "volume": "1"})
        position_id = signal.json["positions"][0]["position_id"]
        stolen = self.other.ack({"position_id": position_id, "status": "rejected"})
        self.assertEqual(stolen.status, 404, stolen)
        ea.poll()
        self.assertEqual(ea.ack({"position_id": position_id, "status": "rejected"}).status, 200)

    def test_admin_api_needs_the_token(self):
        answer = self.server.request("POST", "/api/v1/admin/clients", {"name": "x"},
                                     {"Authorization": "Bearer wrong-token-wrong-token"})
        self.assertEqual(answer.status, 401, answer)

    def test_bad_wait(self):
        answer = self.ea.close_commands(wait=31)
        self.assertEqual(answer.status, 400, answer)


class InactiveDevice(unittest.TestCase):
    def test_an_inactive_device_is_answered_like_an_unknown_one(self):
        from vigil_client import Device
        server = Server(VIGILD, PLUGINS).start()
        self.addCleanup(server.cleanup)
        client = server.admin("POST", "/clients", {"name": "erin"}).json["client_id"]
        ea = new_device(server, client)
        self.assertEqual(ea.poll().status, 200)
        server.stop()
        # No API deactivates a device yet: the store's row is where it is inactive.
        db = sqlite3.connect(os.path.join(server.dir, "vigil.db"))
        with db:
            self.assertEqual(db.execute("UPDATE devices SET active = 0 WHERE id = ?", (ea.id,)).rowcount, 1)
        db.close()
        server.start()
        inactive = ea.poll()
        unknown = Device(server, "dev_ghost", ea.secret).poll()
        self.assertEqual(inactive.status, 401, inactive)
        self.assertEqual(inactive.json["error"]["code"], "unauthenticated")
        self.assertEqual((inactive.status, inactive.text), (unknown.status, unknown.text))


class Recovery(unittest.TestCase):
    def test_state_survives_sigkill(self):
        server = Server(VIGILD, PLUGINS).start()
        client = server.admin("POST", "/clients", {"name": "dave"}).json["client_id"]
        ea = new_device(server, client)
        ids = []
        for ticket, sl in (("1", "1.09000"), ("2", "1.08000")):
            signal = server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD", "side": "buy",
                                                       "volume": "1", "owner_sl": sl})
            pid = signal.json["positions"][0]["position_id"]
            ea.poll()
            self.assertEqual(ea.ack({"position_id": pid, "status": "executed", "execution_id": pid,
                                     "broker_ticket": ticket, "actual_entry_price": "1.1",
                                     "filled_volume": "1"}).status, 200)
            ids.append(pid)
        server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.08500", "ask": "1.08502"})
        [command] = ea.close_commands(wait=5).json["commands"]
        self.assertEqual(command["position_id"], ids[0])
        self.addCleanup(server.cleanup)
        server.kill()
        restarted = server.start()
        # The unfinished command is still there, exactly once.
        self.assertEqual([c["command_id"] for c in ea.close_commands().json["commands"]], [command["command_id"]])
        # The other open position is watched again.
        restarted.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.07900", "ask": "1.07902"})
        commands = ea.close_commands(wait=5).json["commands"]
        deadline = time.monotonic() + 5
        while len(commands) < 2 and time.monotonic() < deadline:
            commands = ea.close_commands(wait=1).json["commands"]
        self.assertEqual(sorted(c["position_id"] for c in commands), sorted(ids))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
