"""An ack sent until the server answers it, against a local server that
fails the first attempts: the same body every time, each attempt signed
anew, the server's Retry-After honoured, a definite refusal final."""
import json
import unittest

import package_path  # noqa: F401
from scripted_server import DROP, ScriptedServer, error, ok
from vigil_api import Backoff, Conflict, EaClient, Unavailable, executed_ack, send_until_answered

BODY = executed_ack("pos_1", "x1", "5000000000", "1.10002", "1")


class FakeTime:
    """sleep() advances clock() instead of waiting, and is recorded."""

    def __init__(self):
        self.now = 0.0
        self.pauses = []

    def sleep(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds

    def clock(self):
        return self.now


class SendUntilAnswered(unittest.TestCase):
    def serve(self, *steps):
        server = ScriptedServer(steps)
        self.addCleanup(server.stop)
        ea = EaClient(server.url, "dev_1", "ab" * 32, timeout=5)
        self.addCleanup(ea.close)
        return server, ea

    def test_an_ack_is_sent_again_after_503_no_answer_and_500_until_the_server_answers(self):
        server, ea = self.serve(error(503, "unavailable", "the store cannot serve now", **{"Retry-After": "1"}),
                                DROP, DROP, error(500, "internal", "internal error"), ok({"state": "open"}))
        time = FakeTime()
        answer = send_until_answered(ea.ack, BODY, sleep=time.sleep, clock=time.clock)
        self.assertEqual(answer, {"state": "open"})
        self.assertEqual(len(server.requests), 5)
        # Retry-After first; then the backoff (a dropped kept-alive connection
        # is retried at once on a fresh one, inside the call).
        self.assertEqual(time.pauses, [1.0, 0.5, 1.0])
        self.assertEqual({r[3] for r in server.requests}, {json.dumps(BODY, separators=(",", ":")).encode()})
        self.assertEqual(len({r[2]["X-Nonce"] for r in server.requests}), 5)

    def test_a_definite_refusal_is_raised_at_once(self):
        server, ea = self.serve(error(409, "conflicting_ack", "another result was recorded"))
        time = FakeTime()
        with self.assertRaises(Conflict):
            send_until_answered(ea.ack, BODY, sleep=time.sleep, clock=time.clock)
        self.assertEqual((len(server.requests), time.pauses), (1, []))

    def test_a_deadline_raises_the_last_error_instead_of_waiting_past_it(self):
        server, ea = self.serve(error(503, "unavailable", "down", **{"Retry-After": "1"}))
        time = FakeTime()
        with self.assertRaises(Unavailable) as last:
            send_until_answered(ea.ack, BODY, deadline=2.5, sleep=time.sleep, clock=time.clock)
        self.assertEqual(last.exception.retry_after, 1.0)
        self.assertEqual((len(server.requests), time.pauses), (3, [1.0, 1.0]))

    def test_the_backoff_doubles_up_to_its_ceiling(self):
        pauses = Backoff(first=0.5, most=3).pauses()
        self.assertEqual([next(pauses) for _ in range(5)], [0.5, 1.0, 2.0, 3, 3])

    def test_every_retry_is_told_with_its_error_and_pause(self):
        server, ea = self.serve(error(429, "rate_limited", "slow down", **{"Retry-After": "2"}), ok({"state": "open"}))
        told = []
        time = FakeTime()
        send_until_answered(ea.ack, BODY, sleep=time.sleep, clock=time.clock, on_retry=lambda e, p: told.append((e.code, p)))
        self.assertEqual(told, [("rate_limited", 2.0)])


if __name__ == "__main__":
    unittest.main(verbosity=2)
