"""The executor's at-least-once steps with a stand-in EA (no HTTP): the
broker is asked once per id, the result is on disk before it is sent, a
restart sends what is owed instead of trading again."""
import os
import tempfile
import unittest

import package_path  # noqa: F401
from vigil_api import (CLOSE, OPEN, Conflict, Executor, Journal, Unauthorized, Unavailable, executed_ack,
                       executed_close, failed_close)


class StandInEa:
    """Answers acks and close-acks from a script of results or errors."""

    def __init__(self, journal_path, *script):
        self.journal_path = journal_path
        self.script = list(script)
        self.sent = []  # (call, body, what the journal file held at that moment)

    def _answer(self, call, body):
        with open(self.journal_path) as f:
            self.sent.append((call, body, f.read()))
        step = self.script.pop(0) if self.script else {"ok": True}
        if isinstance(step, Exception):
            raise step
        return step

    def ack(self, body):
        return self._answer("ack", body)

    def close_ack(self, body):
        return self._answer("close_ack", body)


class ExecutorSteps(unittest.TestCase):
    def setUp(self):
        directory = tempfile.TemporaryDirectory(prefix="vigil-executor-")
        self.addCleanup(directory.cleanup)
        self.path = os.path.join(directory.name, "journal.json")
        self.trades = []

    def executor(self, *script):
        ea = StandInEa(self.path, *script)
        return ea, Executor(ea, Journal(self.path), sleep=lambda s: None)

    def close_at_broker(self, command):
        self.trades.append(command["command_id"])
        return executed_close(command["command_id"], "1.08988")

    def test_a_command_delivered_twice_is_closed_at_the_broker_once_and_reported_twice_alike(self):
        ea, executor = self.executor({"position_state": "closed"}, {"position_state": "closed"})
        command = {"command_id": "cmd_1", "broker_ticket": "5000000000"}
        self.assertEqual(executor.close(command, self.close_at_broker), {"position_state": "closed"})
        self.assertEqual(executor.close(command, self.close_at_broker), {"position_state": "closed"})
        self.assertEqual(self.trades, ["cmd_1"])
        self.assertEqual(ea.sent[0][1], ea.sent[1][1])

    def test_the_result_is_on_disk_before_it_is_sent(self):
        ea, executor = self.executor()
        executor.close({"command_id": "cmd_1"}, self.close_at_broker)
        self.assertIn("cmd_1", ea.sent[0][2])

    def test_a_restarted_ea_sends_what_it_owes_and_does_not_trade_again(self):
        ea, executor = self.executor(Unauthorized(401, "stale_timestamp", "clock"))
        with self.assertRaises(Unauthorized):
            executor.close({"command_id": "cmd_1"}, self.close_at_broker)
        ea, restarted = self.executor({"position_state": "closed"})
        self.assertEqual(restarted.resend_unanswered(), [(CLOSE, "cmd_1", {"position_state": "closed"})])
        self.assertEqual(restarted.close({"command_id": "cmd_1"}, self.close_at_broker), {"ok": True})
        self.assertEqual(self.trades, ["cmd_1"])
        self.assertEqual(Journal(self.path).unanswered(), [])

    def test_a_report_is_sent_until_answered(self):
        ea, executor = self.executor(Unavailable(503, "unavailable", "down", retry_after=0),
                                     Unavailable(503, "unavailable", "down", retry_after=0), {"state": "open"})
        answer = executor.open({"position_id": "pos_1"},
                               lambda p: executed_ack(p["position_id"], "x1", "1", "1.1", "1"))
        self.assertEqual(answer, {"state": "open"})
        self.assertEqual(len(ea.sent), 3)
        self.assertEqual(Journal(self.path).get(OPEN, "pos_1")["answered"], True)

    def test_a_definite_refusal_is_raised_and_no_longer_owed(self):
        ea, executor = self.executor(Conflict(409, "conflicting_close_ack", "another result"))
        with self.assertRaises(Conflict):
            executor.close({"command_id": "cmd_1"}, lambda c: failed_close(c["command_id"], "market closed"))
        self.assertEqual(Journal(self.path).unanswered(), [])
        self.assertIsNotNone(Journal(self.path).get(CLOSE, "cmd_1"))

    def test_a_refusal_of_the_devices_credentials_leaves_the_result_owed(self):
        ea, executor = self.executor(Unauthorized(401, "unauthenticated", "bad signature"))
        with self.assertRaises(Unauthorized):
            executor.close({"command_id": "cmd_1"}, self.close_at_broker)
        self.assertEqual([e[1] for e in Journal(self.path).unanswered()], ["cmd_1"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
