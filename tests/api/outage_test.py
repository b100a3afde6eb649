"""Honest under a failing store (issue 12, item 5): vigild on store-postgres
under load (signals, EA polls and acks, pushed ticks that breach, close
commands executed and reported), PostgreSQL stopped for about 6 s, then
started again. Checked from outside:
  - during the outage /healthz is 503 "degraded", naming the store, with
    counts and no ids; calls that need the store (an admin write, an EA
    poll delivering a position and its ack) are 503 "unavailable" with
    Retry-After; breaches keep being retried;
  - after PostgreSQL is back, /healthz is 200 "ok" again within seconds;
  - no answer at all was a 500;
  - every signal and ack accepted (2xx) before, during or after is in the
    store, and every breached position ends closed by exactly one close
    command, executed once at the EA (none lost, none duplicated); so does
    a position whose signal was answered 503 but stored all the same (a
    COMMIT cut by the stop: its outcome was unknown);
  - the audit chain verifies.
Usage: outage_test.py VIGILD VIGIL PLUGIN_DIR"""
import re
import subprocess
import sys
import threading
import time
import unittest

from vigil_client import Looping, Server, new_device

VIGILD, VIGIL, PLUGINS = sys.argv[1:4]
OUTAGE_SECONDS = 6
STOP_LOSS, BREACH_BID = "1.09000", "1.08000"  # every load position is BUY with this stop; ticks sit below it


class Calls:
    """Every answer the load got, so no 500 and every 503's shape can be checked."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answers = []  # (what, answer)

    def note(self, what, answer):
        with self.lock:
            self.answers.append((what, answer))
        return answer

    def with_status(self, status):
        with self.lock:
            return [(what, a) for what, a in self.answers if a.status == status]


class Retrying(Looping):
    """A refused connection is retried, as a real client would."""

    def __init__(self, pause):
        super().__init__(pause, transient=(OSError,))


class Operator(Retrying):
    """Sends a signal every 50 ms; remembers the positions of those accepted."""

    def __init__(self, server, client, calls):
        super().__init__(0.05)
        self.server, self.client, self.calls = server, client, calls
        self.accepted = {}  # position id -> signal id

    def step(self):
        answer = self.calls.note("signal", self.server.admin("POST", "/signals", {
            "client_id": self.client, "instrument": "EURUSD", "side": "buy", "volume": "1", "owner_sl": STOP_LOSS}))
        if answer.status == 201:
            for p in answer.json["positions"]:
                self.accepted[p["position_id"]] = answer.json["signal_id"]


class Ea(Retrying):
    """Opens each position delivered once at its "broker" and reports it until
    the server accepts the ack, then does the same with close commands."""

    def __init__(self, device, calls):
        super().__init__(0.02)
        self.device, self.calls = device, calls
        self.opened = set()  # position ids opened at the broker
        self.acked = set()  # position ids whose ack was accepted
        self.broker_closes = {}  # command id -> times executed at the broker
        self.reported = set()
        self.received = {}  # command id -> position id

    def step(self):
        poll = self.calls.note("poll", self.device.poll())
        self.opened.update(p["position_id"] for p in (poll.json["positions"] if poll.status == 200 else []))
        for pid in self.opened - self.acked:  # also when the answer to an ack that was stored got lost
            ack = self.calls.note("ack", self.device.ack({
                "position_id": pid, "status": "executed", "execution_id": "x-" + pid, "broker_ticket": pid,
                "actual_entry_price": "1.10000", "filled_volume": "1"}))
            if ack.status == 200:
                self.acked.add(pid)
        answer = self.calls.note("close-commands", self.device.close_commands(wait=0))
        for c in answer.json["commands"] if answer.status == 200 else []:
            self.received[c["command_id"]] = c["position_id"]
            if c["command_id"] not in self.broker_closes:
                self.broker_closes[c["command_id"]] = 1  # at-least-once delivery, exactly-once execution
        for command_id in set(self.broker_closes) - self.reported:
            ack = self.calls.note("close-ack", self.device.close_ack({
                "command_id": command_id, "status": "executed", "actual_close_price": BREACH_BID}))
            if ack.status == 200:
                self.reported.add(command_id)


class Pusher(Retrying):
    """Pushes a tick below every stop each 100 ms: each position opened breaches on the next one."""

    def __init__(self, server, calls):
        super().__init__(0.1)
        self.server, self.calls = server, calls
        self.paused = threading.Event()

    def step(self):
        if self.paused.is_set():
            return
        self.calls.note("tick", self.server.admin("POST", "/ticks", {
            "instrument": "EURUSD", "bid": BREACH_BID, "ask": "1.08002"}))


class Health(Retrying):
    """/healthz every 100 ms, with the time of each answer."""

    def __init__(self, server):
        super().__init__(0.1)
        self.server = server
        self.seen = []  # (monotonic time, answer)

    def step(self):
        self.seen.append((time.monotonic(), self.server.request("GET", "/healthz")))

    def first_after(self, since, status):
        return next(((t, a) for t, a in list(self.seen) if t >= since and a.status == status), None)


def wait_for(condition, seconds, every=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


PROBE_ACK = {"status": "executed", "execution_id": "p", "broker_ticket": "p", "actual_entry_price": "1.10000",
             "filled_volume": "1"}


class StoreOutage(unittest.TestCase):
    def test_healthz_and_answers_stay_honest_and_nothing_is_lost(self):
        started = time.monotonic()
        server = Server(VIGILD, PLUGINS, store="postgres").start()
        self.addCleanup(server.cleanup)
        client = server.admin("POST", "/clients", {"name": "load"}).json["client_id"]
        device = new_device(server, client)
        probe, probe_position, probe_waiting = self.probe_ea(server)
        calls = Calls()
        operator, ea, pusher, health = Operator(server, client, calls), Ea(device, calls), Pusher(server, calls), \
            Health(server)
        threads = [operator, ea, pusher, health]
        for t in threads:
            t.start()
        self.addCleanup(lambda: [t.stopped.set() for t in threads])
        time.sleep(3)
        self.assertTrue(ea.reported, "the load closes positions before the outage")

        # Positions acked but not breached yet, so that breaches fall in the outage.
        pusher.paused.set()
        time.sleep(0.5)
        halted = time.monotonic()
        server.postgres.halt()
        self.addCleanup(lambda: server.postgres.start() if not resumed else None)
        resumed = None
        pusher.paused.clear()
        self.check_degraded(server, health, halted)
        self.check_refusals(server, probe, probe_position)
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - halted)))
        server.postgres.start()
        resumed = time.monotonic()

        self.assertTrue(wait_for(lambda: health.first_after(resumed, 200), 5),
                        "/healthz did not return to 200 within 5 s of PostgreSQL's return")
        back_at, back = health.first_after(resumed, 200)
        self.assertEqual((back.json["status"], back.json["store"]["ok"]), ("ok", True), back)
        time.sleep(3)  # load after the outage

        operator.stopped.set()
        operator.join()
        accepted = dict(operator.accepted)
        self.wait_until_closed(server, ea, accepted)
        for t in threads:
            t.stopped.set()
            t.join()
            self.assertIsNone(t.error, t)
        for what, answer in calls.with_status(503):
            self.assert_unavailable(answer, what)
        self.assertEqual(calls.with_status(500), [], "a failing store is never a 500")
        self.check_nothing_lost(server, ea, accepted)
        # The probe EA's positions, refused during the outage, are taken now.
        self.assertEqual(probe.ack(dict(PROBE_ACK, position_id=probe_position)).status, 200)
        self.assertEqual(server.admin("GET", f"/positions/{probe_position}").json["state"], "open")
        self.assertIn(probe_waiting, [p["position_id"] for p in probe.poll().json["positions"]])
        self.assertEqual(server.admin("GET", f"/positions/{probe_waiting}").json["state"], "acknowledged")
        in_doubt = self.check_log_and_audit(server)
        print(f"\n{len(accepted)} positions accepted ({len(ea.acked - set(accepted))} more stored despite a 503), "
              f"{len(calls.with_status(503))} answers 503 during the outage, {in_doubt} rows of commits in doubt "
              f"read back, /healthz back {back_at - resumed:.2f} s after PostgreSQL, "
              f"{time.monotonic() - started:.1f} s in all", file=sys.stderr)

    def probe_ea(self, server):
        """A second EA kept for the outage, with two positions: one delivered by a poll
        (its ack comes during the outage) and one it has not polled yet."""
        client = server.admin("POST", "/clients", {"name": "probe"}).json["client_id"]
        device = new_device(server, client)
        positions = []
        for _ in range(2):
            signal = server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD", "side": "buy",
                                                       "volume": "1"})
            self.assertEqual(signal.status, 201, signal)
            positions.append(signal.json["positions"][0]["position_id"])
            if len(positions) == 1:
                self.assertEqual(device.poll().status, 200)
        return device, positions[0], positions[1]

    def assert_unavailable(self, answer, what):
        self.assertEqual(answer.status, 503, f"{what}: {answer}")
        self.assertEqual(answer.json["error"]["code"], "unavailable", f"{what}: {answer}")
        self.assertIn("retry-after", answer.headers, f"{what}: a 503 says when to retry: {answer.headers}")

    def check_degraded(self, server, health, halted):
        """/healthz: 503 naming the store, counts only; the details are the admin's."""
        self.assertTrue(wait_for(lambda: health.first_after(halted, 503), 5), "/healthz never said 503")
        _, degraded = health.first_after(halted, 503)
        self.assertEqual(degraded.json["status"], "degraded", degraded)
        self.assertIn("store-postgres", degraded.json["store"]["name"], degraded)
        self.assertFalse(degraded.json["store"]["ok"], degraded)
        self.assertIn("failing_since_unix_ms", degraded.json["store"], degraded)
        self.assertIn("retry-after", degraded.headers, degraded.headers)
        for leak in ("dev_", "cmd_", "pos_", "/.s.PGSQL"):
            self.assertNotIn(leak, degraded.text, "/healthz is unauthenticated: counts only")
        self.assertIsInstance(degraded.json["alerts"]["silent_devices"], int, degraded)
        self.assertIsInstance(degraded.json["alerts"]["overdue_commands"], int, degraded)
        detail = server.admin("GET", "/health")
        self.assertEqual(detail.status, 200, detail)
        self.assertIn("PostgreSQL", detail.json["store"]["error"], detail)
        self.assertIsInstance(detail.json["alerts"]["silent_devices"], list, detail)

    def check_refusals(self, server, probe, probe_position):
        """Calls that need the store are 503 unavailable; prices need none."""
        self.assert_unavailable(server.admin("POST", "/clients", {"name": "during"}), "admin write")
        self.assert_unavailable(probe.poll(), "EA poll delivering a position")
        self.assert_unavailable(probe.ack(dict(PROBE_ACK, position_id=probe_position)), "EA ack")
        self.assertEqual(server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": BREACH_BID,
                                                         "ask": "1.08002"}).status, 202,
                         "prices need no store: the engine keeps watching")

    def wait_until_closed(self, server, ea, accepted):
        def all_closed():
            if set(accepted) - ea.acked or ea.opened - ea.acked or set(ea.broker_closes) - ea.reported:
                return False
            return all(server.admin("GET", f"/positions/{p}").json["state"] == "closed"
                       for p in set(accepted) | ea.acked)
        if wait_for(all_closed, 20, every=0.3):
            return
        views = {p: server.admin("GET", f"/positions/{p}").json for p in set(accepted) | ea.opened}
        stuck = [v for p, v in views.items() if v["state"] != "closed" or p not in ea.acked]
        with open(server.dir + "/vigild.log") as log:
            errors = [line for line in log if re.search(r" (ERROR|WARN) ", line)][-12:]
        self.fail(f"{len(stuck)} of {len(views)} positions left unclosed, e.g. {stuck[:2]}; unreported "
                  f"close-acks: {set(ea.broker_closes) - ea.reported}; log:\n" + "".join(errors))

    def check_nothing_lost(self, server, ea, accepted):
        """Every ack accepted is stored, and each position is closed by exactly
        one close command, executed once at the EA."""
        self.assertLessEqual(set(accepted), ea.acked)
        stored_commands = {}
        for pid in ea.acked:
            view = server.admin("GET", f"/positions/{pid}").json
            self.assertEqual(view["state"], "closed", view)
            self.assertEqual(view["broker_ticket"], pid, view)
            [command] = view["close_commands"]  # exactly one: none lost, none duplicated
            self.assertEqual((command["status"], command["reason"]), ("executed", "sl_hit"), view)
            stored_commands[command["command_id"]] = pid
        for command_id, pid in ea.received.items():
            self.assertEqual(stored_commands.get(command_id), pid, "a delivered command was lost")
        self.assertEqual(sorted(ea.broker_closes), sorted(stored_commands))
        self.assertEqual(set(ea.broker_closes.values()), {1})

    def check_log_and_audit(self, server):
        """Breaches fell in the outage and were retried; the audit chain holds.
        Returns how many rows of commits in doubt were read back."""
        server.stop()
        with open(server.dir + "/vigild.log") as log:
            text = log.read()
        self.assertIn("close commands not stored, retrying", text, "no breach fell in the outage")
        verify = subprocess.run([VIGIL, "audit", "verify", "--config", server.config], capture_output=True,
                                text=True, env=server.env())
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        return text.count("a commit reported as failed was stored")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
