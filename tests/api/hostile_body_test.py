"""Hostile JSON bodies on every POST route (issue 12, item 2): a string
field holding invalid UTF-8, a NUL (\\u0000) or more characters than its
limit is answered 400 invalid_argument naming the field, never 500, leaves
no error line in vigild's log, and the server serves normally afterwards.
The limits are the ones schemas/api states (maxLength). Usage:
    hostile_body_test.py VIGILD PLUGIN_DIR"""
import json
import os
import sys
import unittest

import jsonschema

from vigil_client import ADMIN_TOKEN, Server, executed, new_device, schema

VIGILD, PLUGINS = sys.argv[1], sys.argv[2]
MARK = "@@HOSTILE@@"  # where the hostile bytes go in a body built by json.dumps
HOSTILE = {
    "invalid UTF-8": (b"a\xffb", "not valid UTF-8"),
    "overlong UTF-8": (b"a\xc0\xafb", "not valid UTF-8"),
    "UTF-8 encoded surrogate": (b"a\xed\xa0\x80b", "not valid UTF-8"),
    "NUL": (b"a\\u0000b", "contains a NUL character"),
    "lone surrogate escape": (b"a\\ud800b", "lone UTF-16 surrogate"),
}


class HostileBodies(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(VIGILD, PLUGINS).start()
        cls.addClassCleanup(cls.server.cleanup)
        cls.client_id = cls.server.admin("POST", "/clients", {"name": "alice"}).json["client_id"]
        cls.ea = new_device(cls.server, cls.client_id)
        cls.log_mark = os.path.getsize(cls.log_path())

    @classmethod
    def log_path(cls):
        return os.path.join(cls.server.dir, "vigild.log")

    def new_log(self):
        with open(self.log_path(), "rb") as log:
            log.seek(self.log_mark)
            return log.read().decode(errors="replace")

    # --- sending raw bytes --------------------------------------------------

    def post(self, route, body):
        """POSTs raw bytes: admin routes with the token, EA routes signed."""
        if route.startswith("/api/v1/client/"):
            return self.server.request("POST", route, body, self.ea.headers("POST", route, "", body))
        return self.server.request("POST", route, body, {"Authorization": "Bearer " + ADMIN_TOKEN})

    def refused(self, route, template, field, hostile, why):
        body = json.dumps(template).encode().replace(MARK.encode(), hostile)
        answer = self.post(route, body)
        self.assertEqual(answer.status, 400, f"{route} {body[:120]!r}: {answer}")
        self.assertEqual(answer.json["error"]["code"], "invalid_argument", answer)
        message = answer.json["error"]["message"]
        self.assertIn(f"'{field}'", message)
        self.assertIn(why, message)
        # The caller's fault, not the server's: no error line for it.
        self.assertNotIn(" ERROR ", self.new_log())
        return answer

    def assert_refuses_everything(self, route, template, field, limit=None):
        """The field (MARK in template) with each hostile string, then one
        character over its limit: 400 naming the field each time."""
        for name, (hostile, why) in HOSTILE.items():
            with self.subTest(route=route, field=field, case=name):
                self.refused(route, template, field, hostile, why)
        if limit is not None:
            with self.subTest(route=route, field=field, case="too long"):
                self.refused(route, template, field, b"7" * (limit + 1), f"longer than {limit} characters")

    # --- the fixtures the EA routes need --------------------------------------

    def signal(self):
        answer = self.server.admin("POST", "/signals", {
            "client_id": self.client_id, "instrument": "EURUSD", "side": "buy", "volume": "1",
            "owner_sl": "1.09000"})
        self.assertEqual(answer.status, 201, answer)
        return answer.json["positions"][0]["position_id"]

    def open_position(self, ticket):
        position_id = self.signal()
        self.assertEqual(self.ea.poll().status, 200)
        answer = self.ea.ack(executed(position_id, ticket))
        self.assertEqual(answer.status, 200, answer)
        return position_id

    def tick(self, bid):
        answer = self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": bid, "ask": bid})
        self.assertEqual(answer.status, 202, answer)

    # --- the routes -------------------------------------------------------------

    def test_ea_ack(self):
        position_id = self.signal()
        self.assertEqual(self.ea.poll().status, 200)
        good = executed(position_id, "t-ack")
        for field, limit in (("broker_ticket", 128), ("execution_id", 128), ("position_id", 128)):
            self.assert_refuses_everything("/api/v1/client/ack", dict(good, **{field: MARK}), field, limit)
        rejected = {"position_id": position_id, "status": "rejected", "error_message": MARK}
        self.assert_refuses_everything("/api/v1/client/ack", rejected, "error_message", 1000)
        # The reported case: a 60,000-character ticket is not stored.
        self.refused("/api/v1/client/ack", dict(good, broker_ticket=MARK), "broker_ticket", b"9" * 60000,
                     "longer than 128")
        # Nothing of it stuck: the position is still waiting for its ack.
        self.assertEqual(self.ea.ack(good).status, 200)

    def test_ea_close_ack(self):
        ticket = "9" * 128  # at the limit: accepted, and echoed as it is
        position_id = self.open_position(ticket)
        self.tick("1.08000")  # below the stop: a close command
        commands = self.ea.close_commands(wait=5)
        [command] = [c for c in commands.json["commands"] if c["position_id"] == position_id]
        self.assertEqual(command["broker_ticket"], ticket)
        route = "/api/v1/client/close-ack"
        failed = {"command_id": command["command_id"], "status": "failed", "error_message": MARK}
        self.assert_refuses_everything(route, failed, "error_message", 1000)
        executed_ack = {"command_id": command["command_id"], "status": "executed", "actual_close_price": "1.08000"}
        self.assert_refuses_everything(route, dict(executed_ack, broker_deal=MARK), "broker_deal", 128)
        self.assert_refuses_everything(route, dict(executed_ack, command_id=MARK), "command_id", 128)
        answer = self.ea.close_ack(executed_ack)
        self.assertEqual((answer.status, answer.json["position_state"]), (200, "closed"), answer)

    def test_ea_positions_snapshot(self):
        route = "/api/v1/client/positions-snapshot"
        self.assert_refuses_everything(route, {"tickets": ["1", MARK]}, "tickets[1]", 128)
        self.assertEqual(self.ea.call("POST", "positions-snapshot", {"tickets": []}).status, 200)

    def test_admin_clients_and_devices(self):
        self.assert_refuses_everything("/api/v1/admin/clients", {"name": MARK}, "name", 200)
        route = f"/api/v1/admin/clients/{self.client_id}/devices"
        self.assert_refuses_everything(route, {"name": MARK}, "name", 200)
        # The limit counts characters, not bytes.
        self.assertEqual(self.server.admin("POST", "/clients", {"name": "é" * 200}).status, 201)

    def test_admin_signals(self):
        base = {"client_id": self.client_id, "instrument": "EURUSD", "side": "buy", "volume": "1"}
        route = "/api/v1/admin/signals"
        self.assert_refuses_everything(route, dict(base, client_id=MARK), "client_id", 128)
        self.assert_refuses_everything(route, dict(base, instrument=MARK), "instrument", 64)
        self.assert_refuses_everything(route, dict(base, owner_sl=MARK), "owner_sl", 64)
        # Inside nested values the path is named; payloads have no length limit of their own.
        self.assert_refuses_everything(route, dict(base, payload={"notes": [{"comment": MARK}]}),
                                       "payload.notes[0].comment")
        self.assert_refuses_everything(route, dict(base, rules={"rule-sltp": {"note": MARK}}), "rules.rule-sltp.note")

    def test_admin_close(self):
        position_id = self.open_position("t-close")
        route = f"/api/v1/admin/positions/{position_id}/close"
        self.assert_refuses_everything(route, {"reason": MARK}, "reason", 32)
        self.assertEqual(self.server.admin("POST", f"/positions/{position_id}/close", {"reason": "manual"}).status, 202)

    def test_admin_ticks(self):
        route = "/api/v1/admin/ticks"
        self.assert_refuses_everything(route, {"instrument": MARK, "bid": "1.1"}, "instrument", 64)
        self.assert_refuses_everything(route, {"instrument": "EURUSD", "bid": MARK}, "bid", 64)
        self.tick("1.10000")

    def test_schemas_state_the_same_limits(self):
        limits = {"client-ack.request": {"position_id": 128, "execution_id": 128, "broker_ticket": 128,
                                         "error_message": 1000},
                  "client-close-ack.request": {"command_id": 128, "broker_deal": 128, "error_message": 1000},
                  "admin-clients.request": {"name": 200}, "admin-devices.request": {"name": 200},
                  "admin-signals.request": {"client_id": 128, "instrument": 64},
                  "admin-ticks.request": {"instrument": 64}}
        for name, fields in limits.items():
            for field, limit in fields.items():
                self.assertEqual(schema(name)["properties"][field]["maxLength"], limit, f"{name} {field}")
        tickets = schema("client-positions-snapshot.request")["properties"]["tickets"]["items"]
        self.assertEqual(tickets["maxLength"], 128)
        # A price one character too long is outside the schema too.
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate({"instrument": "EURUSD", "bid": "1." + "0" * 63}, schema("admin-ticks.request"))

if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
