"""EaClient against a scripted local server: what it sends (signed as the
contract says, over one kept-alive connection) and what it makes of the
answers."""
import json
import unittest

import package_path  # noqa: F401
from scripted_server import DROP, ScriptedServer, error, ok
from vigil_api import Conflict, EaClient, TransportError, executed_ack, executed_close, signer

SECRET = "ab" * 32


class EaCalls(unittest.TestCase):
    def serve(self, *steps):
        server = ScriptedServer(steps)
        self.addCleanup(server.stop)
        ea = EaClient(server.url, "dev_1", SECRET, timeout=5)
        self.addCleanup(ea.close)
        return server, ea

    def assert_signed(self, request, query=""):
        method, target, headers, body, _ = request
        path = target.split("?")[0]
        self.assertEqual(headers["X-Device-Id"], "dev_1")
        self.assertEqual(headers["X-Signature"], signer.signature(SECRET, method, path, query, headers["X-Timestamp"],
                                                                  headers["X-Nonce"], body))

    def test_each_call_goes_to_its_route_signed_and_returns_the_answers_content(self):
        server, ea = self.serve(ok({"positions": [{"position_id": "pos_1"}]}), ok({"state": "open"}),
                                ok({"commands": [{"command_id": "cmd_1"}]}), ok({"position_state": "closed"}),
                                ok({"closed_positions": [], "unknown_tickets": ["7"]}))
        self.assertEqual(ea.poll(), [{"position_id": "pos_1"}])
        self.assertEqual(ea.ack(executed_ack("pos_1", "x1", 5000000000, "1.1", "1")), {"state": "open"})
        self.assertEqual(ea.close_commands(wait=2), [{"command_id": "cmd_1"}])
        self.assertEqual(ea.close_ack(executed_close("cmd_1", "1.09")), {"position_state": "closed"})
        self.assertEqual(ea.positions_snapshot([7]), {"closed_positions": [], "unknown_tickets": ["7"]})
        routes = [(m, p) for m, p, _, _, _ in server.requests]
        self.assertEqual(routes, [("GET", "/api/v1/client/poll"), ("POST", "/api/v1/client/ack"),
                                  ("GET", "/api/v1/client/close-commands?wait=2"),
                                  ("POST", "/api/v1/client/close-ack"), ("POST", "/api/v1/client/positions-snapshot")])
        for request in server.requests:
            self.assert_signed(request, "wait=2" if "wait" in request[1] else "")
        self.assertEqual(json.loads(server.requests[1][3])["broker_ticket"], "5000000000")
        self.assertEqual(json.loads(server.requests[4][3]), {"tickets": ["7"]})

    def test_keeps_one_connection_alive_across_calls(self):
        server, ea = self.serve(ok({"positions": []}))
        for _ in range(5):
            ea.poll()
        self.assertEqual(server.connections, 1)

    def test_sends_again_signed_with_a_new_nonce_on_a_fresh_connection_when_a_kept_one_was_closed(self):
        server, ea = self.serve(ok({"positions": []}), DROP, ok({"positions": [{"position_id": "pos_2"}]}))
        ea.poll()
        self.assertEqual(ea.poll(), [{"position_id": "pos_2"}])
        self.assertEqual(server.connections, 2)
        second, third = server.requests[1], server.requests[2]
        self.assertNotEqual(second[2]["X-Nonce"], third[2]["X-Nonce"])
        self.assert_signed(third)

    def test_a_refusal_raises_its_typed_error(self):
        server, ea = self.serve(error(409, "not_delivered", "position pos_1 was never delivered: poll first"))
        with self.assertRaises(Conflict) as refused:
            ea.ack(executed_ack("pos_1", "x1", "1", "1.1", "1"))
        self.assertEqual(refused.exception.code, "not_delivered")

    def test_no_answer_on_a_fresh_connection_is_a_transport_error(self):
        server, ea = self.serve(DROP)
        with self.assertRaises(TransportError):
            ea.poll()
        self.assertEqual(len(server.requests), 1)

    def test_send_returns_any_answer_and_signs_what_it_is_told(self):
        server, ea = self.serve(error(401, "replayed_nonce", "nonce already seen"))
        answer = ea.send("GET", "poll", timestamp=1700000000000, nonce="nonce-0123456789_AB")
        self.assertEqual(answer.status, 401)
        self.assertEqual(answer.json["error"]["code"], "replayed_nonce")
        self.assertEqual(server.requests[0][2]["X-Timestamp"], "1700000000000")
        self.assertEqual(server.requests[0][2]["X-Nonce"], "nonce-0123456789_AB")


if __name__ == "__main__":
    unittest.main(verbosity=2)
