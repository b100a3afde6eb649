"""Thousands of waiting EAs (issue #14). Every EA of a fleet parks a
long-poll (GET /close-commands?wait=25) on one vigild with its usual four
transport threads, and none of them holds a thread:
  - pushed ticks on fresh connections are answered meanwhile at their
    normal latency;
  - EAs that vanish while parked (connection reset) free what they held,
    and their commands are still delivered when they come back;
  - one tick breaching every position delivers each waiting EA exactly its
    own command, within a bound; the delivery times are printed;
  - past the transport's max_parked_waits (PastTheLimit), a long-poll is
    answered at once and the ticks stay fast.
Usage: fleet_test.py VIGILD PLUGIN_DIR [EAS]   (EAS: 2000 by default)"""
import concurrent.futures
import json
import os
import re
import resource
import selectors
import socket
import statistics
import struct
import sys
import time
import unittest

from vigil_client import Server, executed, new_device

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
from vigil_api import signer  # noqa: E402

VIGILD, PLUGINS = sys.argv[1:3]
EAS = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
PER_CLIENT = 100  # devices of one client: one signal opens a position on each
WAIT = 25
PATH = "/api/v1/client/close-commands"


def raise_fd_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, needed), hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert soft >= needed, f"{needed} file descriptors needed, the limit is {soft}"


class ParkedEa:
    """One EA's raw connection with a signed long-poll sent on it."""

    def __init__(self, port, device):
        self.device = device
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        query = f"wait={WAIT}"
        headers = signer.signed_headers(device.id, device.secret, "GET", PATH, query, b"")
        lines = [f"GET {PATH}?{query} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.data = b""
        self.answered_at = None

    def take(self, chunk):
        self.data += chunk
        head, sep, body = self.data.partition(b"\r\n\r\n")
        if not sep:
            return False
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        return len(body) >= length

    def answer(self):
        head, _, body = self.data.partition(b"\r\n\r\n")
        return int(head.split(b" ")[1]), json.loads(body)

    def reset(self):
        """Leaves abruptly: an RST, not a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


class Fleet(unittest.TestCase):
    def setUp(self):
        raise_fd_limit(2 * EAS + 1000)
        self.server = Server(VIGILD, PLUGINS).start()
        self.addCleanup(self.server.cleanup)

    def open_fleet(self):
        """EAS devices in clients of PER_CLIENT, each with an open position."""
        admin = self.server.admin
        clients = [admin("POST", "/clients", {"name": f"c{i}"}).json["client_id"]
                   for i in range((EAS + PER_CLIENT - 1) // PER_CLIENT)]
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            devices = list(pool.map(lambda i: new_device(self.server, clients[i // PER_CLIENT], f"ea{i}"),
                                    range(EAS)))
            for client_id in clients:
                signal = admin("POST", "/signals", {"client_id": client_id, "instrument": "EURUSD", "side": "buy",
                                                    "volume": "1", "owner_sl": "1.09000"})
                self.assertEqual(signal.status, 201, signal)

            def open_position(device):
                polled = device.poll()
                assert polled.status == 200 and len(polled.json["positions"]) == 1, polled
                position_id = polled.json["positions"][0]["position_id"]
                acked = device.ack(executed(position_id, position_id[-12:]))
                assert acked.status == 200, acked
                return position_id
            positions = list(pool.map(open_position, devices))
        return devices, positions

    def tick(self, bid):
        began = time.monotonic()
        answer = self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": bid, "ask": bid[:-1] + "2"})
        self.assertEqual(answer.status, 202, answer)
        return time.monotonic() - began

    def test_a_fleet_waits_without_threads_and_each_ea_gets_its_own_breach(self):
        started = time.monotonic()
        devices, positions = self.open_fleet()
        self.tick("1.10000")
        normal = sorted(self.tick("1.10000") for _ in range(20))
        print(f"\n{EAS} EAs opened in {time.monotonic() - started:.1f} s; a pushed tick takes "
              f"p50 {statistics.median(normal) * 1000:.1f} ms", file=sys.stderr)

        parked = [ParkedEa(self.server.port, device) for device in devices]
        time.sleep(1.0)  # every long-poll has reached the server and parked
        selector = selectors.DefaultSelector()
        for ea in parked:
            selector.register(ea.sock, selectors.EVENT_READ, ea)
        self.assertEqual(selector.select(timeout=0), [], "a long-poll answered before its wait or a breach")

        # Nothing waits behind the waits: ticks on fresh connections at once.
        while_parked = sorted(self.tick("1.10010") for _ in range(20))
        self.assertLess(while_parked[-1], 1.0, while_parked)
        self.assertLess(statistics.median(while_parked), max(0.2, 10 * statistics.median(normal)), while_parked)

        # A tenth of the fleet vanishes while parked.
        gone = parked[::10]
        for ea in gone:
            selector.unregister(ea.sock)
            ea.reset()
        waiting = [ea for ea in parked if ea not in gone]
        time.sleep(0.5)
        self.assertEqual(selector.select(timeout=0), [])

        breached_at = time.monotonic()
        self.tick("1.08990")  # through every position's hidden stop
        pending = len(waiting)
        deadline = breached_at + 30
        while pending and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=1):
                ea = key.data
                chunk = ea.sock.recv(65536)
                self.assertTrue(chunk, f"{ea.device.id}: connection closed without an answer")
                if ea.take(chunk):
                    ea.answered_at = time.monotonic()
                    selector.unregister(ea.sock)
                    pending -= 1
        self.assertEqual(pending, 0, f"{pending} waiting EAs got no answer within 30 s of the breach")
        position_of = dict(zip((d.id for d in devices), positions))
        for ea in waiting:
            status, body = ea.answer()
            self.assertEqual(status, 200, body)
            self.assertEqual([c["position_id"] for c in body["commands"]], [position_of[ea.device.id]])
            ea.sock.close()
        delays = sorted(ea.answered_at - breached_at for ea in waiting)
        print(f"breach of {EAS} positions to {len(waiting)} waiting EAs: p50 {statistics.median(delays) * 1000:.0f} ms, "
              f"p99 {delays[int(0.99 * (len(delays) - 1))] * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms",
              file=sys.stderr)

        # Those that vanished lost nothing: their commands wait for them.
        for ea in gone[:5]:
            again = ea.device.close_commands(wait=0)
            self.assertEqual(again.status, 200, again)
            self.assertEqual([c["position_id"] for c in again.json["commands"]], [position_of[ea.device.id]])
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)


class PastTheLimit(unittest.TestCase):
    """The transport's max_parked_waits, and a hundred EAs more: those past
    the limit are answered at once (and poll again), those within stay
    parked, and pushed ticks are still answered at their normal latency."""
    LIMIT = 300

    def setUp(self):
        raise_fd_limit(2 * (self.LIMIT + 100) + 1000)
        self.server = Server(VIGILD, PLUGINS)
        self.server.transport_extra = f", max_parked_waits: {self.LIMIT}"
        self.server.write_config()
        self.server.start()
        self.addCleanup(self.server.cleanup)

    def tick(self):
        began = time.monotonic()
        answer = self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.10000", "ask": "1.10002"})
        self.assertEqual(answer.status, 202, answer)
        return time.monotonic() - began

    def parked_gauge(self):
        metrics = self.server.request("GET", "/metrics").text
        return int(re.search(r"^vigil_http_parked_waits (\d+)", metrics, re.M).group(1))

    def test_waits_past_the_limit_are_answered_at_once_and_ticks_stay_fast(self):
        client_id = self.server.admin("POST", "/clients", {"name": "fleet"}).json["client_id"]
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            devices = list(pool.map(lambda i: new_device(self.server, client_id, f"ea{i}"), range(self.LIMIT + 100)))
        normal = sorted(self.tick() for _ in range(20))

        eas = [ParkedEa(self.server.port, device) for device in devices]
        selector = selectors.DefaultSelector()
        for ea in eas:
            selector.register(ea.sock, selectors.EVENT_READ, ea)
        answered = []
        deadline = time.monotonic() + 5
        while len(answered) < 100 and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.5):
                ea = key.data
                chunk = ea.sock.recv(65536)
                self.assertTrue(chunk, f"{ea.device.id}: connection closed without an answer")
                if ea.take(chunk):
                    selector.unregister(ea.sock)
                    answered.append(ea)
        self.assertEqual(len(answered), 100, "the waits past the limit are answered at once")
        for ea in answered:
            self.assertEqual(ea.answer(), (200, {"commands": []}))
        time.sleep(0.5)
        self.assertEqual(selector.select(timeout=0), [], "a wait within the limit answered before its end")
        self.assertEqual(self.parked_gauge(), self.LIMIT)

        while_parked = sorted(self.tick() for _ in range(20))
        self.assertLess(while_parked[-1], 1.0, while_parked)
        self.assertLess(statistics.median(while_parked), max(0.2, 10 * statistics.median(normal)), while_parked)
        print(f"\n{self.LIMIT} parked and 100 past the limit answered at once; a pushed tick takes "
              f"p50 {statistics.median(while_parked) * 1000:.1f} ms "
              f"(before: {statistics.median(normal) * 1000:.1f} ms)",
              file=sys.stderr)
        for ea in eas:
            ea.sock.close()


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
