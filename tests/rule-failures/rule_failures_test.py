"""A rule that fails is never silent (issue #18): vigild with a rule that
throws whenever its level is crossed (rule_fails.cpp) must show the failing
position within seconds in /healthz, GET /alerts and /metrics, and clear it
when the position leaves; `vigil replay` must exit non-zero naming the rule.
Usage:
    rule_failures_test.py VIGILD VIGIL PLUGIN_DIR RULE_FAILS_PLUGIN"""
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from vigil_client import Server, executed, new_device  # noqa: E402

VIGILD, VIGIL, PLUGINS, RULE_FAILS = sys.argv[1:5]


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def eventually(check, seconds=5.0):
    """check() until it returns a true value, at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


class ServerCase(unittest.TestCase):
    """vigild with the rules of RULES, a client and its EA."""
    RULES = ("rule-sltp", RULE_FAILS)

    def setUp(self):
        self.server = Server(VIGILD, PLUGINS, rules=self.RULES).start()
        self.addCleanup(self.server.cleanup)
        self.client_id = self.server.admin("POST", "/clients", {"name": "fay"}).json["client_id"]
        self.ea = new_device(self.server, self.client_id)

    def open_position(self, rules):
        signal = self.server.admin("POST", "/signals", {
            "client_id": self.client_id, "instrument": "EURUSD", "side": "buy", "volume": "1",
            "owner_sl": "1.09000", "rules": rules})
        self.assertEqual(signal.status, 201, signal)
        position_id = signal.json["positions"][0]["position_id"]
        self.ea.poll()
        self.assertEqual(self.ea.ack(executed(position_id, position_id[-12:])).status, 200)
        return position_id

    def tick(self, bid):
        answer = self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": bid, "ask": bid[:-1] + "5"})
        self.assertEqual(answer.status, 202, answer)

    def failing(self):
        return self.server.admin("GET", "/alerts").json["failing_rules"]


class LiveServer(ServerCase):
    def test_a_rule_failing_on_every_trigger_shows_in_health_alerts_and_metrics_until_the_position_leaves(self):
        quiet = self.open_position({})  # the rule leaves a position without params alone
        position_id = self.open_position({"rule-fails": {"fail_at": "1.10500"}})
        self.tick("1.10000")
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)
        self.assertEqual(self.failing(), [])

        self.tick("1.10600")
        failing = eventually(self.failing)
        self.assertEqual(len(failing), 1, failing)
        self.assertEqual(failing[0]["position_id"], position_id)
        self.assertEqual(failing[0]["rule"], "rule-fails")
        self.assertGreaterEqual(failing[0]["failures"], 1)
        self.assertIn("always fails on trigger", failing[0]["error"])
        health = self.server.request("GET", "/healthz")
        self.assertEqual(health.status, 503, health)
        self.assertEqual(health.json["status"], "degraded")
        self.assertEqual(health.json["rules"], {"failing_positions": 1})
        detail = self.server.admin("GET", "/health").json
        self.assertEqual(detail["rules"]["failing_position_ids"], [position_id])
        metrics = self.server.request("GET", "/metrics").text
        self.assertRegex(metrics, r'vigil_rule_failures_total\{rule="rule-fails"\} [1-9]')
        self.assertIn("vigil_position_rules_failing 1", metrics)

        # The level is retried on every tick, and counted; the quiet position is untouched.
        before = failing[0]["failures"]
        self.tick("1.10610")
        self.assertTrue(eventually(lambda: self.failing() and self.failing()[0]["failures"] > before))
        self.assertEqual(self.server.admin("GET", f"/positions/{quiet}").json["state"], "open")

        # Closed by hand, the position leaves the engine and its failure with it.
        self.assertEqual(self.server.admin("POST", f"/positions/{position_id}/close", {}).status, 202)
        self.assertTrue(eventually(lambda: self.failing() == []))
        self.assertTrue(eventually(lambda: self.server.request("GET", "/healthz").status == 200))
        self.assertIn("vigil_position_rules_failing 0", self.server.request("GET", "/metrics").text)
        log = read(os.path.join(self.server.dir, "vigild.log"))
        self.assertEqual(log.count("rule rule-fails failed on position " + position_id), 1, log[-3000:])

    def test_a_rule_failing_while_a_signal_is_checked_is_a_500_naming_no_fault_of_the_caller(self):
        signal = self.server.admin("POST", "/signals", {
            "client_id": self.client_id, "instrument": "EURUSD", "side": "buy", "volume": "1",
            "owner_sl": "1.09000", "rules": {"rule-fails": {"fail_on_attach": True}}})
        self.assertEqual(signal.status, 500, signal)
        self.assertEqual(signal.json["error"]["code"], "internal")  # no detail of the server to the caller
        log = read(os.path.join(self.server.dir, "vigild.log"))
        self.assertIn("rule rule-fails: rule-fails always fails on attach (VIGIL_INTERNAL)", log)
        self.assertIn("rule_failed", log)


class FailingPastTheStop(ServerCase):
    """A position whose rule fails, then a price past its owner_sl. Only
    rule-fails is configured, so nothing else watches owner_sl."""
    RULES = (RULE_FAILS,)

    def breach_while_failing(self):
        position_id = self.open_position({"rule-fails": {"fail_at": "1.10500"}})
        self.tick("1.10600")
        self.assertTrue(eventually(self.failing))
        self.tick("1.08990")  # bid below owner_sl 1.09000
        return position_id


class FallbackToOwnerStop(FailingPastTheStop):
    """`fallback: owner_stop` under the rule: while it fails on a position,
    the position's own owner_sl closes it."""
    RULES = (f"{RULE_FAILS}\n    fallback: owner_stop",)

    def test_a_position_whose_rule_keeps_failing_is_closed_at_its_own_stop_loss(self):
        position_id = self.breach_while_failing()
        commands = self.ea.close_commands(wait=5).json["commands"]
        self.assertEqual([(c["position_id"], c["reason"], c["expected_price"]) for c in commands],
                         [(position_id, "fallback_sl_hit", "1.08990")])
        self.assertEqual(self.server.admin("GET", f"/positions/{position_id}").json["state"], "closing")
        self.assertTrue(eventually(lambda: self.failing() == []))  # it left the engine, its failure with it
        log = read(os.path.join(self.server.dir, "vigild.log"))
        self.assertIn(f"position {position_id}: while rule rule-fails fails, its own stop-loss and take-profit "
                      "are watched (fallback: owner_stop)", log)
        self.assertIn(f"position {position_id} closed at its own stop-loss while its rule fails", log)


class NoFallback(FailingPastTheStop):
    """The same position without the fallback (the default): left open past
    its stop, and the alert stands."""

    def test_a_position_whose_rule_keeps_failing_stays_open_past_its_stop_loss(self):
        position_id = self.breach_while_failing()
        self.assertEqual(self.ea.close_commands(wait=1).json["commands"], [])
        self.assertEqual(self.server.admin("GET", f"/positions/{position_id}").json["state"], "open")
        self.assertEqual([f["position_id"] for f in self.failing()], [position_id])
        self.assertEqual(self.server.request("GET", "/healthz").status, 503)


class Replay(unittest.TestCase):
    POSITION = ('{"position_id":"b1","instrument":"EURUSD","side":"buy","volume":"1",'
                '"entry_price":"1.1","owner_sl":"1.09","rules":{"rule-fails":{"fail_at":"1.105"}}}\n')
    TICKS = ("time,instrument,bid,ask\n2024-01-02T10:00:00.000Z,EURUSD,1.10000,1.10010\n"
             "2024-01-02T10:00:01.000Z,EURUSD,1.10600,1.10610\n"
             "2024-01-02T10:00:02.000Z,EURUSD,1.10700,1.10710\n")

    def replay(self, rule_plugins, extra=()):
        """Runs vigil replay of one position over three ticks, with a config
        naming rule-sltp and `rule_plugins`."""
        with tempfile.TemporaryDirectory() as d:
            config = os.path.join(d, "vigil.yaml")
            rules = "".join(f"  - plugin: {p}\n" for p in ("rule-sltp",) + tuple(rule_plugins))
            with open(config, "w") as f:
                f.write(f"instruments:\n  - {{symbol: EURUSD, digits: 5}}\nrules:\n{rules}plugin_paths: [{PLUGINS}]\n")
            positions = os.path.join(d, "positions.jsonl")
            with open(positions, "w") as f:
                f.write(self.POSITION)
            ticks = os.path.join(d, "ticks.csv")
            with open(ticks, "w") as f:
                f.write(self.TICKS)
            return subprocess.run([VIGIL, "replay", "--config", config, "--positions", positions, "--ticks", ticks,
                                   *extra], capture_output=True, text=True, timeout=60)

    def test_replay_exits_non_zero_naming_the_failing_rule(self):
        result = self.replay([RULE_FAILS])
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("vigil replay: rule rule-fails failed 2 times", result.stderr)
        # Named by the positions file's line, as every other replay error is.
        self.assertRegex(result.stderr, r"positions\.jsonl:1: rule rule-fails still failing on position b1")
        self.assertEqual(result.stdout, "")

    def test_replay_runs_a_plugin_library_given_on_the_command_line(self):
        """`--plugin PATH` adds the library's rule to the configured ones,
        with empty options: no config names it."""
        without = self.replay([])
        self.assertEqual(without.returncode, 2, without.stderr)
        self.assertIn("'rules.rule-fails': the config names no such rule", without.stderr)
        result = self.replay([], ["--plugin", RULE_FAILS])
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("vigil replay: rule rule-fails failed", result.stderr)
        self.assertIn("still failing on position b1", result.stderr)


class PluginsCheck(unittest.TestCase):
    """`vigil plugins` creates each rule and gives it a sample position, so a
    rule that fails on every position shows before vigild runs it."""

    def plugins(self, rule_yaml):
        with tempfile.TemporaryDirectory() as d:
            config = os.path.join(d, "vigil.yaml")
            with open(config, "w") as f:
                f.write(f"instruments:\n  - {{symbol: EURUSD, digits: 5}}\nrules:\n  - plugin: rule-sltp\n"
                        f"{rule_yaml}plugin_paths: [{PLUGINS}]\n")
            return subprocess.run([VIGIL, "plugins", "--config", config], capture_output=True, text=True,
                                  timeout=60)

    def test_a_rule_that_fails_on_every_position_fails_the_check_naming_it(self):
        result = self.plugins(f"  - plugin: {RULE_FAILS}\n    options: {{fail_on_attach: true}}\n")
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("rules[0] (rule-sltp): created; a sample position accepted", result.stdout)
        self.assertIn("rules[1] (rule-fails): created, but it failed on a sample position: position sample: "
                      "rule rule-fails: rule-fails always fails on attach (VIGIL_INTERNAL)", result.stdout)
        self.assertEqual(result.stderr, "vigil plugins: a component could not be created or failed its check\n")

    def test_a_rule_that_leaves_positions_without_parameters_alone_passes(self):
        result = self.plugins(f"  - plugin: {RULE_FAILS}\n")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("rules[1] (rule-fails): created; a sample position accepted", result.stdout)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
