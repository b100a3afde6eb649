"""Observability end to end: a real vigild (store-sqlite, cipher-sodium,
rule-sltp, transport-http over loopback) started with log_format: json sees
ticks, a breach and a delivery; then
- every line of its log is one JSON object with time, level, component and
  message, and an answer's X-Request-Id is found in its request's lines;
- its /metrics passes `promtool check metrics` and shows the latencies of
  the promise (breach, store commit, delivery, rule callbacks) counted;
- examples/ops: the alert rules pass `promtool check rules` and their unit
  tests, and every metric the rules and the Grafana dashboard name is served.
Usage: observability_test.py VIGILD PLUGIN_DIR OPS_DIR"""
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from vigil_client import Server, new_device  # noqa: E402

VIGILD, PLUGINS, OPS = sys.argv[1], sys.argv[2], sys.argv[3]
PROMTOOL = shutil.which("promtool")  # Debian's prometheus package (script/bootstrap)
RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
METRIC_NAME = re.compile(r"\bvigil_[a-z0-9_]+")


def promtool(*args, stdin=None):
    return subprocess.run([PROMTOOL, *args], input=stdin, capture_output=True, text=True, timeout=60)


def sample_names(metrics_text):
    """Every sample name /metrics serves (histograms as _bucket, _sum, _count)."""
    return {re.split(r"[{ ]", line, 1)[0] for line in metrics_text.splitlines() if line and not line.startswith("#")}


def sample_value(metrics_text, sample):
    for line in metrics_text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{sample} not in /metrics")


class LiveServer(unittest.TestCase):
    """One vigild for every check: a tick, a breach, a delivery, then its
    /metrics and its log."""

    @classmethod
    def setUpClass(cls):
        if PROMTOOL is None:
            raise RuntimeError("promtool is missing: script/bootstrap installs Debian's prometheus package")
        server = Server(VIGILD, PLUGINS, extra_yaml="log_format: json\nlog_level: debug\n").start()
        cls.server = server
        try:
            cls.answers = cls.breach_and_deliver(server)
            cls.metrics = server.request("GET", "/metrics")
        finally:
            server.stop()
        with open(os.path.join(server.dir, "vigild.log"), encoding="utf-8", errors="strict") as log:
            cls.log_lines = log.read().splitlines()
        server.cleanup()

    @staticmethod
    def breach_and_deliver(server):
        answers = {}
        client = server.admin("POST", "/clients", {"name": "obs"}).json["client_id"]
        ea = new_device(server, client)
        signal = server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD", "side": "buy",
                                                   "volume": "1", "entry_price": "1.10000",
                                                   "owner_sl": "1.09000", "owner_tp": "1.12000"})
        position = signal.json["positions"][0]["position_id"]
        answers["poll"] = ea.poll()
        answers["ack"] = ea.ack({"position_id": position, "status": "executed", "execution_id": "x1",
                                 "broker_ticket": "1", "actual_entry_price": "1.10000", "filled_volume": "1"})
        answers["tick"] = server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.10010", "ask": "1.10012"})
        waiter = threading.Thread(target=lambda: answers.update(wait=ea.close_commands(wait=10)))
        waiter.start()
        time.sleep(0.3)  # parked before the breach: delivered by the wake, not by the first query
        answers["breach"] = server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.08990",
                                                            "ask": "1.08992"})
        waiter.join(timeout=20)
        answers["position"] = position
        return answers

    def test_the_breach_was_delivered(self):
        [command] = self.answers["wait"].json["commands"]
        self.assertEqual((command["position_id"], command["reason"]), (self.answers["position"], "sl_hit"))

    def test_every_log_line_is_one_json_object_with_the_core_fields(self):
        self.assertGreater(len(self.log_lines), 5)
        for line in self.log_lines:
            entry = json.loads(line)
            self.assertRegex(entry["time"], RFC3339_MS, line)
            self.assertIn(entry["level"], ("debug", "info", "warn", "error"), line)
            self.assertIsInstance(entry["component"], str, line)
            self.assertIsInstance(entry["message"], str, line)

    def test_an_answers_request_id_is_in_its_requests_log_lines(self):
        for name, operation in (("tick", "admin.push_tick"), ("poll", "client.poll"), ("wait", "client.close_commands")):
            answer = self.answers[name]
            request_id = answer.headers.get("x-request-id")
            self.assertRegex(request_id or "", r"^[0-9a-f]{16}$", (name, answer.headers))
            lines = [json.loads(line) for line in self.log_lines if request_id in line]
            self.assertTrue(lines, f"no log line carries {name}'s request id {request_id}")
            self.assertTrue(all(entry["request_id"] == request_id for entry in lines), lines)
            self.assertTrue(any(operation in entry["message"] for entry in lines), lines)
        # An EA's lines also name its device.
        poll_id = self.answers["poll"].headers["x-request-id"]
        [poll_line] = [json.loads(line) for line in self.log_lines if poll_id in line]
        self.assertTrue(poll_line["device_id"].startswith("dev_"), poll_line)

    def test_a_breach_line_names_its_position_device_and_client_as_fields(self):
        breaches = [json.loads(line) for line in self.log_lines if '"breach: position' in line]
        self.assertEqual(len(breaches), 1, breaches)
        self.assertEqual(breaches[0]["position_id"], self.answers["position"])
        self.assertTrue(breaches[0]["device_id"].startswith("dev_"), breaches)
        self.assertTrue(breaches[0]["client_id"].startswith("cl_"), breaches)

    def test_request_ids_differ_between_requests(self):
        ids = {self.answers[name].headers["x-request-id"] for name in ("poll", "ack", "tick", "breach", "wait")}
        self.assertEqual(len(ids), 5, ids)

    def test_metrics_pass_promtool(self):
        self.assertEqual(self.metrics.status, 200, self.metrics)
        checked = promtool("check", "metrics", stdin=self.metrics.text)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr + "\n" + self.metrics.text)

    def test_every_family_has_help_and_type(self):
        text = self.metrics.text
        helped = set(re.findall(r"^# HELP (\S+) \S", text, re.M))
        typed = dict(re.findall(r"^# TYPE (\S+) (\S+)$", text, re.M))
        for sample in sample_names(text):
            family = re.sub(r"_(bucket|sum|count)$", "", sample) if sample not in typed else sample
            self.assertIn(family, typed, sample)
            self.assertIn(family, helped, sample)

    def test_the_promise_is_measured(self):
        text = self.metrics.text
        self.assertEqual(re.findall(r"^# TYPE (vigil_\w+_seconds) histogram$", text, re.M).count(
            "vigil_breach_latency_seconds"), 1)
        self.assertEqual(sample_value(text, "vigil_breach_latency_seconds_count"), 1)
        self.assertEqual(sample_value(text, "vigil_close_command_delivery_seconds_count"), 1)
        # Signal, ack, breach, delivery... each a commit of store-sqlite.
        self.assertGreaterEqual(sample_value(
            text, 'vigil_store_commit_duration_seconds_count{store="store-sqlite",outcome="ok"}'), 4)
        self.assertEqual(sample_value(
            text, 'vigil_store_commit_duration_seconds_count{store="store-sqlite",outcome="failed"}'), 0)
        self.assertGreaterEqual(sample_value(
            text, 'vigil_rule_callback_duration_seconds_count{rule="rule-sltp",callback="attach"}'), 1)
        self.assertEqual(sample_value(
            text, 'vigil_rule_callback_duration_seconds_count{rule="rule-sltp",callback="on_trigger"}'), 1)
        # The breach took less than the 10 s bucket, and was counted there.
        self.assertEqual(sample_value(text, 'vigil_breach_latency_seconds_bucket{le="10"}'), 1)
        self.assertEqual(sample_value(text, 'vigil_instrument_stale{instrument="EURUSD"}'), 0)

    def test_alert_rules_pass_promtool_and_their_unit_tests(self):
        checked = promtool("check", "rules", os.path.join(OPS, "alerts.yml"))
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        self.assertIn("6 rules found", checked.stdout)
        tested = promtool("test", "rules", os.path.join(OPS, "alerts_test.yml"))
        self.assertEqual(tested.returncode, 0, tested.stdout + tested.stderr)

    def test_the_rules_and_the_dashboard_name_only_served_metrics(self):
        served = sample_names(self.metrics.text)
        with open(os.path.join(OPS, "alerts.yml")) as f:
            rules = f.read()
        with open(os.path.join(OPS, "dashboard.json")) as f:
            dashboard = json.load(f)
        queries = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
        queries += [v["definition"] for v in dashboard["templating"]["list"] if "definition" in v]
        self.assertGreaterEqual(len(queries), 20)
        named = set(METRIC_NAME.findall(rules)) | {n for q in queries for n in METRIC_NAME.findall(q)}
        # Names in descriptions (annotations) are families: their samples count.
        families = served | {re.sub(r"_(bucket|sum|count)$", "", s) for s in served}
        missing = sorted(named - families)
        self.assertEqual(missing, [], "named in examples/ops but not served by /metrics")
        for promised in ("vigil_breach_latency_seconds_bucket", "vigil_store_commit_duration_seconds_bucket",
                         "vigil_close_command_delivery_seconds_bucket", "vigil_rule_callback_duration_seconds_bucket"):
            self.assertIn(promised, named)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
