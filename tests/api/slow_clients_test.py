"""Connection hygiene (issue #14 item 4) against vigild over loopback:
  - 1,000 slow connections, half dribbling their headers and half their
    bodies a byte at a time, while a signed EA keeps polling and /healthz
    keeps answering at their normal latency (the figures are printed); the
    slow ones are cut at the header or body deadline, counted over the
    whole header block or body however steadily the bytes come, and the
    open-connections gauge goes back to its baseline;
  - a kept-alive connection left idle is closed after keep_alive_timeout_ms;
  - long-polls whose clients reset while parked free everything at once
    (the gauges of open connections and parked waits back to baseline);
  - past the per-source limit, and past the total one, a connection is
    refused with a 503 in the contract's error shape, Retry-After and a
    close, counted by reason on /metrics; below them it is served.
Usage: slow_clients_test.py VIGILD PLUGIN_DIR"""
import json
import selectors
import statistics
import sys
import threading
import time
import unittest

import jsonschema

from raw_http import commands_of, connect, metric, parse_answer, read_answer, reset, signed_request
from vigil_client import Server, new_device, schema

VIGILD, PLUGINS = sys.argv[1:3]
SLOW = 1000
DEADLINE_S = 6  # header_timeout_ms and body_timeout_ms of the server under test
IDLE_S = 1  # its keep_alive_timeout_ms
DRIBBLE_EVERY_S = 0.25
LATENCY_BOUND_S = 0.100  # p99 of a signed poll and of /healthz beside the slow connections


def server_with(options):
    """vigild with `options` added to its transport's."""
    server = Server(VIGILD, PLUGINS)
    with open(server.config) as f:
        config = f.read()
    anchor = "device_requests_per_second: 1000, device_burst: 1000"
    assert anchor in config
    with open(server.config, "w") as f:
        f.write(config.replace(anchor, anchor + ", " + options))
    return server.start()


def p99(values):
    ordered = sorted(values)
    return ordered[int(0.99 * (len(ordered) - 1))]


def settle(read, want, within):
    """Reads `read()` until it equals `want` or `within` seconds pass;
    returns (last value, seconds taken)."""
    started = time.monotonic()
    while True:
        value = read()
        if value == want or time.monotonic() - started > within:
            return value, time.monotonic() - started
        time.sleep(0.05)


class Dribbler:
    """SLOW connections sending a request a byte at a time: the first half
    stuck in their headers, the second half in a 1,000-byte body."""

    HEAD = b"POST /api/v1/admin/ticks HTTP/1.1\r\nHost: x\r\n"
    BODY_HEAD = HEAD + b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"

    def __init__(self, port):
        self.sockets = []
        self.next_byte = {}  # what each dribbles: more of a header line, or body
        for i in range(SLOW):
            s = connect(port)
            in_headers = i < SLOW // 2
            s.sendall(self.HEAD if in_headers else self.BODY_HEAD)
            self.sockets.append(s)
            self.next_byte[s] = b"X" if in_headers else b" "
        self.opened_at = time.monotonic()
        self.answers = {}  # socket -> (answer or None, seconds after opening)
        self.data = {s: b"" for s in self.sockets}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run)
        self.thread.start()

    def run(self):
        selector = selectors.DefaultSelector()
        for s in self.sockets:
            s.setblocking(False)
            selector.register(s, selectors.EVENT_READ)
        next_byte = time.monotonic()
        while not self.stop.is_set() and len(self.answers) < len(self.sockets):
            for key, _ in selector.select(timeout=max(0.0, next_byte - time.monotonic())):
                self.take(selector, key.fileobj)
            if time.monotonic() >= next_byte:
                for s in self.sockets:
                    if s not in self.answers:
                        try:
                            s.send(self.next_byte[s])
                        except OSError:
                            pass
                next_byte += DRIBBLE_EVERY_S
        selector.close()

    def take(self, selector, s):
        try:
            chunk = s.recv(65536)
        except OSError:
            chunk = b""
        self.data[s] += chunk
        answer = parse_answer(self.data[s])
        if answer or not chunk:
            self.answers[s] = (answer, time.monotonic() - self.opened_at)
            selector.unregister(s)
            s.close()

    def wait(self, timeout):
        self.thread.join(timeout)
        self.stop.set()
        self.thread.join()

    def close(self):
        self.stop.set()
        self.thread.join()
        for s in self.sockets:
            s.close()


class SlowClients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = server_with(f"header_timeout_ms: {DEADLINE_S * 1000}, body_timeout_ms: {DEADLINE_S * 1000}, "
                                 f"keep_alive_timeout_ms: {IDLE_S * 1000}")
        client = cls.server.admin("POST", "/clients", {"name": "patient"})
        cls.ea = new_device(cls.server, client.json["client_id"])

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def open_connections(self):
        # The scrape's own connection is open while it is answered.
        return metric(self.server, "vigil_http_open_connections") - 1

    def idle_baseline(self):
        """The open-connections gauge of the idle server: none, once the
        sessions of connections the client just closed have ended (every
        request of this test closes its connection)."""
        idle, _ = settle(self.open_connections, 0, within=3)
        self.assertEqual(idle, 0, "connections left open before the test began")
        return idle

    def latencies(self, rounds):
        polls, health = [], []
        for _ in range(rounds):
            answer = self.ea.poll()
            self.assertEqual(answer.status, 200, answer)
            polls.append(answer.elapsed)
            answer = self.server.request("GET", "/healthz")
            self.assertEqual(answer.status, 200, answer)
            health.append(answer.elapsed)
        return polls, health

    def test_a_thousand_slow_connections_starve_neither_an_ea_nor_healthz_and_are_cut_at_their_deadline(self):
        baseline = self.idle_baseline()
        alone_polls, alone_health = self.latencies(50)
        dribbler = Dribbler(self.server.port)
        try:
            time.sleep(2 * DRIBBLE_EVERY_S)  # every slow connection has sent bytes
            self.assertGreaterEqual(self.open_connections(), baseline + SLOW)
            polls, health = self.latencies(150)
            measured_at = time.monotonic() - dribbler.opened_at
            dribbler.wait(timeout=DEADLINE_S + 6)
        finally:
            dribbler.close()
        print(f"\nbeside {SLOW} slow connections ({measured_at:.1f} s after they opened), p50 / p99 / max: "
              f"signed poll {statistics.median(polls) * 1000:.1f} / {p99(polls) * 1000:.1f} / "
              f"{max(polls) * 1000:.1f} ms, /healthz {statistics.median(health) * 1000:.1f} / "
              f"{p99(health) * 1000:.1f} / {max(health) * 1000:.1f} ms; alone: poll p99 "
              f"{p99(alone_polls) * 1000:.1f} ms, /healthz p99 {p99(alone_health) * 1000:.1f} ms", file=sys.stderr)
        self.assertLess(measured_at, DEADLINE_S, "measured after the slow connections were cut: meaningless")
        self.assertLessEqual(p99(polls), LATENCY_BOUND_S, sorted(polls)[-10:])
        self.assertLessEqual(p99(health), LATENCY_BOUND_S, sorted(health)[-10:])

        # Cut at the deadline of the whole header block or body, though a
        # byte came every quarter second: a 408 in the contract's shape.
        self.assertEqual(len(dribbler.answers), SLOW, "slow connections still open well past their deadline")
        cut_after = sorted(after for _, after in dribbler.answers.values())
        print(f"slow connections cut after {cut_after[0]:.2f} to {cut_after[-1]:.2f} s (deadline {DEADLINE_S} s)",
              file=sys.stderr)
        self.assertGreater(cut_after[0], DEADLINE_S - 0.5)
        self.assertLess(cut_after[-1], DEADLINE_S + 4)
        for answer, _ in dribbler.answers.values():
            self.assertIsNotNone(answer, "a slow connection was closed without its 408")
            status, headers, body = answer
            self.assertEqual(status, 408, body)
            self.assertEqual(json.loads(body)["error"]["code"], "request_timeout")
        back, took = settle(self.open_connections, baseline, within=3)
        self.assertEqual(back, baseline, "the open-connections gauge did not come back to its baseline")

    def test_an_idle_kept_alive_connection_is_closed_after_its_timeout(self):
        s = connect(self.server.port)
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            status, headers, _ = read_answer(s)
            self.assertEqual((status, headers["connection"]), (200, "Keep-Alive"))
            answered = time.monotonic()
            self.assertEqual(s.recv(1), b"", "the server sent more than its answer")
            idle = time.monotonic() - answered
        finally:
            s.close()
        print(f"\nidle kept-alive connection closed after {idle:.2f} s (timeout {IDLE_S} s)", file=sys.stderr)
        self.assertGreater(idle, IDLE_S - 0.2)
        self.assertLess(idle, IDLE_S + 1.5)

    def test_long_polls_reset_while_parked_free_everything_at_once(self):
        baseline = self.idle_baseline()
        self.assertEqual(metric(self.server, "vigil_http_parked_waits"), 0)
        parked = []
        for _ in range(200):
            s = connect(self.server.port)
            s.sendall(signed_request(self.ea, "GET", "/api/v1/client/close-commands", "wait=20"))
            parked.append(s)
        count, _ = settle(lambda: metric(self.server, "vigil_http_parked_waits"), 200, within=5)
        self.assertEqual(count, 200)
        self.assertGreaterEqual(self.open_connections(), baseline + 200)
        for s in parked:
            reset(s)
        left, took = settle(lambda: (metric(self.server, "vigil_http_parked_waits"), self.open_connections()),
                            (0, baseline), within=3)
        print(f"\n200 parked long-polls reset: gauges back to baseline in {took * 1000:.0f} ms", file=sys.stderr)
        self.assertEqual(left, (0, baseline))
        self.assertLess(took, 1.0)
        # The device lost nothing: it still polls and waits.
        self.assertEqual(self.ea.poll().status, 200)
        s = connect(self.server.port)
        s.sendall(signed_request(self.ea, "GET", "/api/v1/client/close-commands", "wait=0"))
        self.assertEqual(commands_of(read_answer(s)), [])
        s.close()


class ConnectionLimits(unittest.TestCase):
    """Sources are loopback addresses: the scrapes of /metrics come from
    127.0.0.1, the connections under test from 127.0.0.2 and beyond."""
    PER_SOURCE = 20
    TOTAL = 30
    REFUSED = 'vigil_http_connections_refused_total{reason="%s"}'

    @classmethod
    def setUpClass(cls):
        cls.server = server_with(f"max_connections: {cls.TOTAL}, max_connections_per_source: {cls.PER_SOURCE}")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def setUp(self):
        self.refusals_seen = {"per_source": 0, "total": 0}

    def attempt(self, source):
        """The answer to a GET /healthz on a new connection from `source`,
        and whether the server closed the connection after it. Every
        refusal is tallied by its reason: a retry in assert_served can be
        refused again while the server has not yet seen a close."""
        s = connect(self.server.port, source)
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = read_answer(s)
            if answer is not None and answer[0] == 503:
                message = json.loads(answer[2])["error"]["message"]
                self.refusals_seen["per_source" if "one address" in message else "total"] += 1
            return answer, answer is not None and s.recv(1) == b""
        finally:
            s.close()

    def assert_refused(self, source, words):
        answer, closed = self.attempt(source)
        self.assertIsNotNone(answer, "refused without a word")
        status, headers, body = answer
        self.assertEqual(status, 503, body)
        self.assertEqual(headers.get("retry-after"), "1")
        self.assertEqual(headers.get("connection"), "Close")
        error = json.loads(body)
        jsonschema.validate(error, schema("error"))
        self.assertEqual(error["error"]["code"], "too_many_connections")
        self.assertIn(words, error["error"]["message"])
        self.assertTrue(closed, "a refused connection stayed open")

    def assert_served(self, source):
        """Served, once the places just given back are free (a closed
        connection's session ends a moment after the client closes)."""
        status, took = settle(lambda: self.attempt(source)[0][0], 200, within=2)
        self.assertEqual(status, 200)

    def hold(self, source, count):
        """`count` open connections from `source`, each served once so that
        each surely counts."""
        held = []
        for _ in range(count):
            s = connect(self.server.port, source)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(read_answer(s)[0], 200)
            held.append(s)
        return held

    def test_past_the_per_source_and_total_limits_a_connection_is_refused_clearly_below_them_served(self):
        refused = lambda reason: metric(self.server, self.REFUSED % reason)  # noqa: E731
        self.assertEqual((refused("per_source"), refused("total")), (0, 0))
        first = self.hold("127.0.0.2", self.PER_SOURCE)
        second = []
        try:
            self.assert_refused("127.0.0.2", f"{self.PER_SOURCE} connections open, the most one address may hold")
            self.assert_served("127.0.0.3")  # another source is served
            second = self.hold("127.0.0.3", self.TOTAL - self.PER_SOURCE)
            self.assert_refused("127.0.0.4", f"{self.TOTAL} connections open, the most it holds")
            second.pop().close()
            self.assert_served("127.0.0.4")
            first.pop().close()
            self.assert_served("127.0.0.2")
        finally:
            for s in first + second:
                s.close()
        # Scraped with every place free again (a scrape needs one too).
        seen = (self.refusals_seen["per_source"], self.refusals_seen["total"])
        self.assertGreaterEqual(min(seen), 1)
        self.assertEqual(settle(lambda: (refused("per_source"), refused("total")), seen, within=2)[0], seen)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
