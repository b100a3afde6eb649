"""Crash safety (issue 4): vigild is killed with SIGKILL at random moments
while breaches stream in and an EA executes the close commands, then
restarted on the same store. Checked through the admin API and
`vigil audit verify`:
  - every close command an EA received is still in the store afterwards;
  - every position ends closed by exactly one close command (none lost,
    none duplicated), executed once at the EA;
  - no position is left open after a tick that breaches it;
  - the audit chain verifies.
Usage: crash_test.py VIGILD VIGIL PLUGIN_DIR [sqlite|postgres]"""
import json
import random
import subprocess
import sys
import threading
import time
import unittest

from vigil_client import Server, new_device

VIGILD, VIGIL, PLUGINS = sys.argv[1:4]
STORE = sys.argv[4] if len(sys.argv) > 4 else "sqlite"
POSITIONS, KILLS = 60, 6


def sl_of(i):
    return "%.5f" % (1.09 - i * 0.0001)


class Ea(threading.Thread):
    """Long-polls close commands, executes each command id once at its
    "broker", and reports every result until the server has answered it."""

    def __init__(self, device):
        super().__init__(daemon=True)
        self.device = device
        self.received = {}  # command id -> position id
        self.broker_closes = {}  # command id -> times executed at the broker
        self.unreported = {}  # command id -> close-ack body
        self.reported = set()
        self.stop = False

    def run(self):
        while not self.stop:
            try:
                for command_id, body in list(self.unreported.items()):
                    if self.device.close_ack(body).status == 200:
                        self.reported.add(command_id)
                        del self.unreported[command_id]
                answer = self.device.close_commands(wait=1)
                if answer.status != 200:
                    continue
                for c in answer.json["commands"]:
                    self.received[c["command_id"]] = c["position_id"]
                    if c["command_id"] in self.broker_closes:
                        continue  # at-least-once delivery, exactly-once execution
                    self.broker_closes[c["command_id"]] = 1
                    self.unreported[c["command_id"]] = {"command_id": c["command_id"], "status": "executed",
                                                        "actual_close_price": c["expected_price"]}
            except OSError:
                time.sleep(0.05)  # the server is down: it comes back


class Pusher(threading.Thread):
    """Walks the bid down through every position's stop, one stop a tick."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.done = False
        self.pushed = 0

    def run(self):
        i = 0
        while i < POSITIONS:
            self.pushed = i
            bid = "%.5f" % (1.09 - i * 0.0001 - 0.00005)
            try:
                answer = self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": bid,
                                                              "ask": "%.5f" % (float(bid) + 0.00002)})
                if answer.status == 202:
                    i += 1
                time.sleep(0.02)
            except OSError:
                time.sleep(0.05)
        self.done = True


class CrashSafety(unittest.TestCase):
    def test_breaches_survive_sigkill(self):
        server = Server(VIGILD, PLUGINS, store=STORE).start()
        self.addCleanup(server.cleanup)
        client = server.admin("POST", "/clients", {"name": "crash"}).json["client_id"]
        device = new_device(server, client)
        positions = []
        for i in range(POSITIONS):
            signal = server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD", "side": "buy",
                                                       "volume": "1", "owner_sl": sl_of(i)})
            pid = signal.json["positions"][0]["position_id"]
            device.poll()
            ack = device.ack({"position_id": pid, "status": "executed", "execution_id": pid, "broker_ticket": str(i),
                              "actual_entry_price": "1.10000", "filled_volume": "1"})
            self.assertEqual(ack.status, 200, ack)
            positions.append(pid)
        ea, pusher = Ea(device), Pusher(server)
        ea.start()
        pusher.start()
        seed = int(time.time())
        rng = random.Random(seed)
        killed_mid_stream = 0
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.05, 0.3))
            killed_mid_stream += 0 < pusher.pushed < POSITIONS - 1
            server.kill()
            server.start()
        # The test means something only if kills hit the stream of breaches.
        self.assertGreaterEqual(killed_mid_stream, 2, f"seed {seed}")
        pusher.join(timeout=60)
        self.assertTrue(pusher.done)
        # A tick below every stop: whatever a crash swallowed is breached again.
        self.assertEqual(server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.00000",
                                                         "ask": "1.00002"}).status, 202)
        deadline = time.monotonic() + 30
        views = {}
        while time.monotonic() < deadline:
            views = {p: server.admin("GET", f"/positions/{p}").json for p in positions}
            if all(v["state"] == "closed" for v in views.values()) and not ea.unreported:
                break
            time.sleep(0.2)
        ea.stop = True
        stored_commands = {}
        for pid, view in views.items():
            self.assertEqual(view["state"], "closed", view)
            self.assertEqual(len(view["close_commands"]), 1, view)
            [command] = view["close_commands"]
            self.assertEqual((command["status"], command["reason"]), ("executed", "sl_hit"), view)
            stored_commands[command["command_id"]] = pid
        for command_id, pid in ea.received.items():
            self.assertEqual(stored_commands.get(command_id), pid, "a delivered command was lost")
        self.assertEqual(sorted(ea.broker_closes), sorted(stored_commands))
        server.stop()
        verify = subprocess.run([VIGIL, "audit", "verify", "--config", server.config], capture_output=True,
                                text=True, env=server.env())
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        self.assertIn("verified", verify.stdout)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
