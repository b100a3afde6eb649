"""Key rotation end to end (issue 6): a second master key version becomes
current, `vigil rekey` re-encrypts the stored device secrets and payloads
(resumably), and the server keeps authenticating the device after the old
key is removed. Usage: rotation_test.py VIGILD VIGIL PLUGIN_DIR"""
import os
import secrets
import sqlite3
import subprocess
import sys
import unittest

from vigil_client import Server, new_device

VIGILD, VIGIL, PLUGINS = sys.argv[1:4]


def key_file(directory, name):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(secrets.token_hex(32) + "\n")
    os.chmod(path, 0o600)
    return path


class Rotation(unittest.TestCase):
    def tokens(self, server):
        db = sqlite3.connect(os.path.join(server.dir, "vigil.db"))
        rows = db.execute("SELECT secret_token FROM devices UNION ALL "
                          "SELECT payload_token FROM signals WHERE payload_token <> ''").fetchall()
        db.close()
        return [r[0] for r in rows]

    def rekey(self, server, *extra):
        return subprocess.run([VIGIL, "rekey", "--config", server.config, *extra], capture_output=True, text=True,
                              env=server.env())

    def test_rekey_then_drop_the_old_key(self):
        server = Server(VIGILD, PLUGINS)
        self.addCleanup(server.cleanup)
        old, new = key_file(server.dir, "old.key"), key_file(server.dir, "new.key")
        server.reconfigure(f"{{keys: [{{version: 1, file: {old}}}]}}")
        server.start()
        client = server.admin("POST", "/clients", {"name": "rot"}).json["client_id"]
        devices = [new_device(server, client, f"d{i}") for i in range(3)]
        for i in range(5):
            self.assertEqual(server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD",
                                                               "side": "buy", "volume": "1",
                                                               "payload": {"n": i}}).status, 201)
        server.stop()
        self.assertTrue(all(t.startswith("xc1.1.") for t in self.tokens(server)))

        both = f"{{keys: [{{version: 1, file: {old}}}, {{version: 2, file: {new}}}], current: 2}}"
        server.reconfigure(both)
        first = self.rekey(server, "--batch", "2")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("device secrets 3/3 re-encrypted", first.stdout)
        self.assertIn("signal payloads 5/5 re-encrypted", first.stdout)
        self.assertTrue(all(t.startswith("xc1.2.") for t in self.tokens(server)), self.tokens(server))
        again = self.rekey(server)
        self.assertIn("device secrets 0/0 re-encrypted, 3 already current", again.stdout)

        only_new = f"{{keys: [{{version: 2, file: {new}}}]}}"
        server.reconfigure(only_new)
        server.start()
        for device in devices:
            device.server = server
            self.assertEqual(device.poll().status, 200)

    def test_rekey_refuses_a_config_without_store(self):
        server = Server(VIGILD, PLUGINS)
        self.addCleanup(server.cleanup)
        bare = os.path.join(server.dir, "bare.yaml")
        with open(bare, "w") as f:
            f.write("instruments: [{symbol: EURUSD, digits: 5}]\n")
        answer = subprocess.run([VIGIL, "rekey", "--config", bare], capture_output=True, text=True)
        self.assertEqual(answer.returncode, 1)
        self.assertIn("store and cipher", answer.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
