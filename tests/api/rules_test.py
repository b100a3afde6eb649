"""Exit rules in the live server: vigild with every shipped rule loaded,
positions choosing rules per signal, prices pushed over the admin API,
close commands read by a signed EA. Levels a rule moved (trailing stop,
break-even stop, ladder step) must survive a SIGKILL, and every move is in
the audit log. Usage:
    rules_test.py VIGILD VIGIL PLUGIN_DIR"""
import json
import os
import sqlite3
import subprocess
import sys
import time
import unittest

from vigil_client import Server, executed, new_device

VIGILD, VIGIL, PLUGINS = sys.argv[1], sys.argv[2], sys.argv[3]
RULES = ("rule-sltp", "rule-trailing", "rule-breakeven", "rule-ladder", "rule-expiry", "rule-drawdown")
LADDER = {"steps": [{"price": "1.10100", "fraction": 0.5}, {"price": "1.10200", "fraction": 0.3},
                    {"price": "1.10300"}]}


class LiveRules(unittest.TestCase):
    def setUp(self):
        self.server = Server(VIGILD, PLUGINS, rules=RULES).start()
        self.addCleanup(self.server.cleanup)
        self.client_id = self.server.admin("POST", "/clients", {"name": "erin"}).json["client_id"]
        self.ea = new_device(self.server, self.client_id)

    def open_position(self, rules, owner_sl="1.09000"):
        signal = self.server.admin("POST", "/signals", {
            "client_id": self.client_id, "instrument": "EURUSD", "side": "buy", "volume": "1",
            "owner_sl": owner_sl, "rules": rules})
        self.assertEqual(signal.status, 201, signal)
        position_id = signal.json["positions"][0]["position_id"]
        self.ea.poll()
        ack = self.ea.ack(executed(position_id, position_id[-12:]))
        self.assertEqual(ack.status, 200, ack)
        return position_id

    def tick(self, bid):
        ask = f"{float(bid) + 0.00002:.5f}"
        answer = self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": bid, "ask": ask})
        self.assertEqual(answer.status, 202, answer)

    def commands(self, expected=1, wait=5):
        deadline = time.monotonic() + wait
        commands = []
        while time.monotonic() < deadline:
            commands = self.ea.close_commands(wait=1).json["commands"]
            if len(commands) >= expected:
                break
        return commands

    def database(self):
        return sqlite3.connect(os.path.join(self.server.dir, "vigil.db"))

    def saved_rule_state(self, position_id, rule, contains, wait=5):
        """Waits until the store holds a rule state containing `contains`
        (the engine saves moves after the tick was accepted)."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            with self.database() as db:
                [text] = db.execute("SELECT rule_state_json FROM positions WHERE id = ?", (position_id,)).fetchone()
            state = json.loads(text or "{}").get(rule, "")
            if contains in state:
                return state
            time.sleep(0.05)
        self.fail(f"{rule} state with {contains!r} never stored for {position_id}")

    def audited_moves(self, position_id):
        with self.database() as db:
            rows = db.execute("SELECT detail_json FROM audit_log WHERE entity_id = ? AND action = 'levels_moved' "
                              "ORDER BY seq", (position_id,)).fetchall()
        return [json.loads(detail) for (detail,) in rows]

    def restart(self):
        self.server.kill()
        self.server.start()

    def test_a_trailing_stop_keeps_its_moved_level_across_a_sigkill(self):
        position_id = self.open_position({"rule-trailing": {"distance": "0.00050"}})
        for bid in ("1.10000", "1.10100", "1.10200"):
            self.tick(bid)
        self.saved_rule_state(position_id, "rule-trailing", "110200")
        self.restart()
        self.tick("1.10151")
        self.assertEqual(self.ea.close_commands().json["commands"], [])
        self.tick("1.10150")  # the moved stop; the first one was 1.09950
        [command] = self.commands()
        self.assertEqual((command["reason"], command["expected_price"]), ("trailing_stop", "1.10150"))
        view = self.server.admin("GET", f"/positions/{position_id}").json
        self.assertEqual(view["close_commands"][0]["level"], "1.10150")
        moves = self.audited_moves(position_id)
        self.assertTrue(moves, "no level move audited")
        self.assertEqual({m["rule"] for m in moves}, {"rule-trailing"})
        self.assertIn("1.10150", [price for m in moves for price in m["levels"].values()])
        verify = subprocess.run([VIGIL, "audit", "verify", "--config", self.server.config], capture_output=True,
                                text=True, env=self.server.env())
        self.assertEqual(verify.returncode, 0, verify.stderr)

    def test_a_move_of_more_positions_than_one_save_takes_is_saved_in_turns(self):
        # 1,200 trailing stops move on one tick; a save writes at most 1,000
        # rows, so the rest must follow on the next maintenance tick.
        client = self.server.admin("POST", "/clients", {"name": "crowd"}).json["client_id"]
        devices = [new_device(self.server, client, f"t{i}") for i in range(1200)]
        signal = self.server.admin("POST", "/signals", {
            "client_id": client, "instrument": "EURUSD", "side": "buy", "volume": "1",
            "rules": {"rule-trailing": {"distance": "0.00050"}}})
        self.assertEqual(signal.status, 201, signal)
        by_device = {p["device_id"]: p["position_id"] for p in signal.json["positions"]}
        for i, device in enumerate(devices):
            pid = by_device[device.id]
            device.poll()
            self.assertEqual(device.ack(executed(pid, str(i))).status, 200)
        self.tick("1.10000")
        self.tick("1.10300")
        deadline = time.monotonic() + 10
        saved = 0
        while time.monotonic() < deadline:
            with self.database() as db:
                saved = db.execute("SELECT count(*) FROM positions WHERE client_id = ? AND "
                                   "rule_state_json LIKE '%110300%'", (client,)).fetchone()[0]
            if saved == 1200:
                break
            time.sleep(0.1)
        self.assertEqual(saved, 1200)

    def test_a_break_even_stop_survives_a_restart(self):
        position_id = self.open_position({"rule-breakeven": {"trigger": "0.00100", "offset": {"points": 10}}})
        self.tick("1.10100")  # stop moves to 1.10010
        self.saved_rule_state(position_id, "rule-breakeven", "moved")
        self.restart()
        self.tick("1.10010")
        [command] = self.commands()
        self.assertEqual((command["reason"], command["expected_price"]), ("sl_hit", "1.10010"))

    def test_a_ladder_takes_each_step_once_across_a_restart(self):
        position_id = self.open_position({"rule-ladder": LADDER})
        self.tick("1.10100")
        [first] = self.commands()
        self.assertEqual((first["reason"], first["volume"]), ("tp_partial", "0.5"))
        done = self.ea.close_ack({"command_id": first["command_id"], "status": "executed",
                                  "actual_close_price": "1.10100"})
        self.assertEqual((done.status, done.json["position_state"]), (200, "open"), done)
        self.saved_rule_state(position_id, "rule-ladder", ":1")
        self.restart()
        self.tick("1.10150")
        self.assertEqual(self.ea.close_commands().json["commands"], [], "step 1 taken twice")
        self.tick("1.10200")
        [second] = self.commands()
        self.assertEqual((second["reason"], second["volume"]), ("tp_partial", "0.3"))

    def test_expiry_closes_on_the_wall_clock_without_ticks(self):
        self.open_position({"rule-expiry": {"after": "1s"}})
        [command] = self.commands(wait=6)
        self.assertEqual(command["reason"], "expired")

    def test_a_drawdown_guard_closes_all_of_the_clients_positions(self):
        guard = {"rule-drawdown": {"max_loss": "100", "point_value": "1"}}
        first, second = self.open_position(guard), self.open_position(guard)
        other_client = self.server.admin("POST", "/clients", {"name": "frank"}).json["client_id"]
        other_ea = new_device(self.server, other_client)
        signal = self.server.admin("POST", "/signals", {"client_id": other_client, "instrument": "EURUSD",
                                                        "side": "buy", "volume": "1", "rules": guard})
        other = signal.json["positions"][0]["position_id"]
        other_ea.poll()
        self.assertEqual(other_ea.ack(executed(other, "1")).status, 200)
        self.tick("1.09960")  # 40 points each: 80 for the client
        self.assertEqual(self.ea.close_commands().json["commands"], [])
        self.tick("1.09950")  # 100
        commands = self.commands(expected=2)
        self.assertEqual(sorted(c["position_id"] for c in commands), sorted([first, second]))
        self.assertEqual({c["reason"] for c in commands}, {"drawdown"})
        # The one closed by its own level and the one closed with it, at market.
        self.assertEqual({c["expected_price"] for c in commands}, {"1.09950"})
        # The other client lost 50 of its own limit and stays open.
        self.assertEqual(other_ea.close_commands().json["commands"], [])
        self.assertEqual(self.server.admin("GET", f"/positions/{other}").json["state"], "open")

    def test_a_catastrophe_stop_is_the_one_level_an_ea_is_told(self):
        signal = self.server.admin("POST", "/signals", {
            "client_id": self.client_id, "instrument": "EURUSD", "side": "buy", "volume": "1",
            "owner_sl": "1.09800", "owner_tp": "1.10400", "catastrophe_stop": True})
        self.assertEqual(signal.status, 201, signal)
        position_id = signal.json["positions"][0]["position_id"]
        poll = self.ea.poll()
        self.assertNotIn("catastrophe", poll.text)
        body = executed(position_id, "77")
        ack = self.ea.ack(body)
        self.assertEqual(ack.status, 200, ack)
        level = ack.json["catastrophe_sl"]
        # 3x to 4x the hidden distance (20 points) behind the fill, by default.
        self.assertTrue(1.09200 <= float(level) <= 1.09400, level)
        for hidden in ("1.09800", "1.10400"):
            self.assertNotIn(hidden, ack.text)
        self.assertEqual(self.ea.ack(body).json, ack.json, "a repeated ack tells the same level")
        view = self.server.admin("GET", f"/positions/{position_id}").json
        self.assertEqual(view["catastrophe_sl"], level)
        # It is a hard stop at the broker, not a level Vigil watches: the
        # hidden stop still closes the position first.
        self.tick("1.09800")
        [command] = self.commands()
        self.assertEqual((command["reason"], command["expected_price"]), ("sl_hit", "1.09800"))

    def test_a_catastrophe_stop_needs_a_hidden_stop(self):
        signal = self.server.admin("POST", "/signals", {
            "client_id": self.client_id, "instrument": "EURUSD", "side": "buy", "volume": "1",
            "catastrophe_stop": True})
        self.assertEqual(signal.status, 400, signal)
        self.assertIn("catastrophe_stop", signal.text)

    def test_a_rule_refusing_its_parameters_refuses_the_signal(self):
        signal = self.server.admin("POST", "/signals", {
            "client_id": self.client_id, "instrument": "EURUSD", "side": "buy", "volume": "1",
            "rules": {"rule-trailing": {"distance": "-1"}}})
        self.assertEqual(signal.status, 400, signal)
        self.assertIn("rule-trailing", signal.text)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
