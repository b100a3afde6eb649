"""The operator's lists, device deactivation and the OpenAPI document,
against a real vigild (store-sqlite, cipher-sodium, transport-http) over
loopback; every answer is checked against its JSON Schema (vigil_client.py,
ROUTES).

    admin_lists_test.py VIGILD PLUGIN_DIR"""

import os
import sys
import unittest

from vigil_client import Server, executed, new_device

VIGILD, PLUGINS = sys.argv[1], sys.argv[2]
OPENAPI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schemas", "api", "openapi.yaml")


class AdminLists(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(VIGILD, PLUGINS).start()
        cls.addClassCleanup(cls.server.cleanup)
        cls.client_id = cls.server.admin("POST", "/clients", {"name": "alice"}).json["client_id"]
        cls.ea = new_device(cls.server, cls.client_id)

    def signal(self):
        answer = self.server.admin("POST", "/signals", {
            "client_id": self.client_id, "instrument": "EURUSD", "side": "buy", "volume": "0.10",
            "owner_sl": "1.00000", "owner_tp": "1.30000"})
        self.assertEqual(answer.status, 201, answer.text)
        # One position per active device of the client: this test's EA's.
        return next(p["position_id"] for p in answer.json["positions"] if p["device_id"] == self.ea.id)

    def ids(self, path):
        answer = self.server.admin("GET", path)
        self.assertEqual(answer.status, 200, answer.text)
        return [item["position_id"] for item in answer.json["items"]]

    def test_positions_are_filtered_and_paged(self):
        pending, opened = self.signal(), self.signal()
        self.ea.poll()
        self.assertEqual(self.ea.ack(executed(opened, "T-" + opened[-6:], price="1.10000", volume="0.10")).status, 200)
        self.assertIn(opened, self.ids("/positions?state=open&device_id=" + self.ea.id))
        self.assertNotIn(opened, self.ids("/positions?state=acknowledged"))
        self.assertIn(pending, self.ids("/positions?client_id=" + self.client_id + "&instrument=EURUSD"))
        first = self.server.admin("GET", "/positions?limit=1")
        self.assertEqual(len(first.json["items"]), 1)
        second = self.server.admin("GET", "/positions?limit=1&cursor=" + first.json["next_cursor"])
        self.assertNotEqual(second.json["items"][0]["position_id"], first.json["items"][0]["position_id"])

    def test_bad_parameters_are_refused_naming_them(self):
        for path, name in [("/positions?state=opened", "state"), ("/positions?limit=5000", "limit"),
                           ("/positions?limit=1&limit=2", "limit"), ("/close-commands?overdue=maybe", "overdue"),
                           ("/positions?cursor=pos_nothing", "cursor"), ("/clients?colour=red", "colour"),
                           ("/audit?after_seq=%zz", "after_seq")]:
            answer = self.server.admin("GET", path)
            self.assertEqual(answer.status, 400, path + ": " + answer.text)
            self.assertIn("'" + name + "'", answer.json["error"]["message"], path)

    def test_clients_devices_instruments_commands_and_audit(self):
        clients = self.server.admin("GET", "/clients").json["items"]
        self.assertIn(self.client_id, [c["client_id"] for c in clients])
        devices = self.server.admin("GET", "/clients/" + self.client_id + "/devices").json["items"]
        self.assertIn(self.ea.id, [d["device_id"] for d in devices])
        self.assertEqual(self.server.admin("GET", "/clients/cl_nobody/devices").status, 404)
        instruments = {i["instrument"]: i for i in self.server.admin("GET", "/instruments").json["items"]}
        self.assertIn("EURUSD", instruments)
        self.assertEqual(self.server.admin("GET", "/close-commands?state=pending").status, 200)
        position = self.signal()
        audit = self.server.admin("GET", "/audit?position_id=" + position).json
        self.assertEqual([row["entity_id"] for row in audit["items"]], [position])
        everything = self.server.admin("GET", "/audit?limit=1000").json
        self.assertTrue(everything["chain"]["verified"], everything["chain"])
        self.assertTrue(everything["chain"]["hashes_recomputed"], "vigild lends the stores' hash")
        self.assertEqual(everything["chain"]["verified_through"], everything["items"][-1]["seq"])

    def test_a_deactivated_device_is_refused_as_an_unknown_one(self):
        device = new_device(self.server, self.client_id, "old terminal")
        self.assertEqual(device.poll().status, 200)
        answer = self.server.admin("POST", "/devices/" + device.id + "/deactivate")
        self.assertEqual((answer.status, answer.json["active"]), (200, False), answer.text)
        refused = device.poll()
        unknown = new_device(self.server, self.client_id, "ghost")
        unknown.client.device_id = "dev_" + "0" * 32
        never = unknown.poll()
        self.assertEqual(refused.status, 401)
        self.assertEqual((refused.status, refused.json["error"]["code"], refused.json["error"]["message"]),
                         (never.status, never.json["error"]["code"], never.json["error"]["message"]))
        self.assertEqual(self.server.admin("POST", "/devices/dev_nobody/deactivate").status, 404)

    def test_the_openapi_document_is_served(self):
        answer = self.server.request("GET", "/api/v1/openapi.yaml")
        self.assertEqual(answer.status, 200)
        with open(OPENAPI) as f:
            self.assertEqual(answer.text, f.read())


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
