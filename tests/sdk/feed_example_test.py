"""An integrator's feed, end to end: the SDK installed from BUILD_DIR,
examples/plugins/feed-tailcsv built out of tree against it with
find_package(VigilSDK), and vigild following a CSV file through it. Rows
appended to the file must reach the engine (a hidden stop breached by one),
a half-written row must wait for its end, a truncated or replaced file must
be followed again from its start, and SIGTERM must stop the feed at once.
Usage:
    feed_example_test.py BUILD_DIR SOURCE_DIR VIGILD PLUGIN_DIR"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from vigil_client import Server, executed, new_device  # noqa: E402

BUILD, SOURCE, VIGILD, PLUGINS = sys.argv[1:5]
HEADER = "time,instrument,bid,ask\n"


def eventually(check, seconds=10.0):
    """check() until it returns a true value, at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def now_ms():
    return int(time.time() * 1000)


def build_feed(work):
    """Installs the SDK and builds the example against it, as its README says."""
    sdk = os.path.join(work, "sdk")
    subprocess.run(["cmake", "--install", BUILD, "--component", "sdk", "--prefix", sdk], check=True,
                   stdout=subprocess.DEVNULL)
    build = os.path.join(work, "build")
    subprocess.run(["cmake", "-S", os.path.join(SOURCE, "examples", "plugins", "feed-tailcsv"), "-B", build,
                    "-DCMAKE_PREFIX_PATH=" + sdk], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build], check=True, stdout=subprocess.DEVNULL)
    [plugin] = glob.glob(os.path.join(build, "**", "feed-tailcsv.so"), recursive=True)
    return plugin


class TailCsvFeed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="vigil-feed-example-")
        cls.plugin = build_feed(cls.work)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def start(self, poll="50ms"):
        self.ticks = os.path.join(tempfile.mkdtemp(prefix="vigil-ticks-", dir=self.work), "ticks.csv")
        with open(self.ticks, "w") as f:
            f.write(HEADER + "1704189600000,EURUSD,1.20000,1.20003\n")  # there before the feed: passed over
        self.server = Server(VIGILD, PLUGINS, extra_yaml=(
            f"feeds:\n  - plugin: {self.plugin}\n    options: {{file: {self.ticks}, poll: {poll}}}\n"))
        self.addCleanup(self.server.cleanup)
        self.server.start()
        # Connected once the feed had its first look: what is appended after is new.
        self.assertTrue(eventually(lambda: self.feed()["connected"]), self.feed())

    def append(self, text):
        with open(self.ticks, "a") as f:
            f.write(text)

    def feed(self):
        [feed] = self.server.request("GET", "/healthz").json["feeds"]
        return feed

    def published(self, count):
        return eventually(lambda: self.feed()["ticks_published"] == count)

    def open_position(self, owner_sl):
        client_id = self.server.admin("POST", "/clients", {"name": "tail"}).json["client_id"]
        self.ea = new_device(self.server, client_id)
        signal = self.server.admin("POST", "/signals", {
            "client_id": client_id, "instrument": "EURUSD", "side": "buy", "volume": "1", "owner_sl": owner_sl})
        self.assertEqual(signal.status, 201, signal)
        position_id = signal.json["positions"][0]["position_id"]
        self.ea.poll()
        self.assertEqual(self.ea.ack(executed(position_id, position_id[-12:])).status, 200)
        return position_id

    def test_rows_appended_to_the_file_reach_the_engine_and_a_half_written_row_waits_for_its_end(self):
        self.start()
        position_id = self.open_position("1.09000")
        feed = self.feed()
        self.assertEqual((feed["name"], feed["running"], feed["connected"]), ("feeds[0] (feed-tailcsv)", True, True))
        self.assertEqual(feed["ticks_published"], 0, "the row already in the file was published")

        at = now_ms()
        self.append(f"{at},EURUSD,1.10000,1.10003\n")
        self.assertTrue(self.published(1), self.feed())
        self.assertEqual(self.feed()["last_tick_unix_ms"], at)

        self.append(f"{now_ms()},EURUSD,1.08")  # the writer is mid-row: nothing yet
        time.sleep(0.5)
        self.assertEqual(self.feed()["ticks_published"], 1)
        self.assertEqual(self.ea.close_commands().json["commands"], [])
        self.append("990,1.08993\n")
        self.assertTrue(self.published(2), self.feed())
        [command] = eventually(lambda: self.ea.close_commands(wait=1).json["commands"])
        self.assertEqual((command["position_id"], command["reason"]), (position_id, "sl_hit"))

        self.append("not a row\n")
        self.assertTrue(eventually(lambda: self.feed()["rows_skipped"] == 1), self.feed())
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)

    def test_a_truncated_file_and_a_replaced_one_are_followed_again_from_their_start(self):
        self.start()
        at = now_ms()
        iso = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(at // 1000)) + f".{at % 1000:03d}Z"
        self.append(f"{iso},EURUSD,1.10000,1.10003\n")
        self.assertTrue(self.published(1), self.feed())
        self.assertEqual(self.feed()["last_tick_unix_ms"], at)

        # Truncated in place (copytruncate) and written again, shorter than
        # before (unix ms against ISO time): seen as truncated however late
        # the next poll comes.
        with open(self.ticks, "w") as f:
            f.write(HEADER + f"{now_ms()},EURUSD,1.10010,1.10013\n")
        self.assertTrue(self.published(2), self.feed())

        os.rename(self.ticks, self.ticks + ".1")  # rotated: a new file under the same name
        with open(self.ticks, "w") as f:
            f.write(HEADER + f"{now_ms()},EURUSD,1.10020,1.10023\n{now_ms()},EURUSD,1.10030,1.10033\n")
        self.assertTrue(self.published(4), self.feed())
        self.assertEqual(self.feed()["rows_skipped"], 0)

    def test_an_unknown_option_stops_vigild_before_it_serves_naming_the_feed_and_the_key(self):
        with self.assertRaises(RuntimeError) as refused:
            self.start(poll="50ms, pol: 1s")
        self.assertIn("vigild: feeds[0] (feed-tailcsv): feed-tailcsv: option pol: unknown option", str(refused.exception))

    def test_stop_is_honoured_at_once_even_between_slow_polls(self):
        self.start(poll="60s")
        started = time.monotonic()
        self.server.stop()
        self.assertLess(time.monotonic() - started, 10, "vigild waited for the feed's next poll to stop")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
