"""A feed that fails is never silent (issue #18): vigild running a feed
whose health() throws, and one whose health reports an error
(feed_sick.cpp), must say so in /healthz (503 degraded, the reason per
feed), in /metrics (vigil_feed_failing) and in its log, once per change.
Usage:
    feed_failures_test.py VIGILD PLUGIN_DIR FEED_SICK_PLUGIN"""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from vigil_client import Server  # noqa: E402

VIGILD, PLUGINS, FEED_SICK = sys.argv[1:4]


class FailingFeeds(unittest.TestCase):
    def start(self, feeds):
        """vigild with the feed-sick feeds given, as YAML option maps."""
        yaml = "feeds:\n" + "".join(f"  - {{plugin: {FEED_SICK}, options: {options}}}\n" for options in feeds)
        server = Server(VIGILD, PLUGINS, extra_yaml=yaml).start()
        self.addCleanup(server.cleanup)
        return server

    def test_a_feed_whose_health_throws_or_reports_an_error_degrades_health_with_the_reason(self):
        server = self.start(['{}', '{health_throws: "quote session lost"}', '{health_error: "logon refused"}'])
        health = server.request("GET", "/healthz")
        self.assertEqual(health.status, 503, health)
        self.assertEqual(health.json["status"], "degraded")
        well, throws, reports = health.json["feeds"]
        self.assertNotIn("health_error", well)
        self.assertTrue(well["connected"])
        self.assertEqual(throws["health_error"], "health() threw: quote session lost")
        self.assertFalse(throws["connected"])
        self.assertEqual(reports["health_error"], "logon refused")
        self.assertTrue(throws["running"])  # its run() goes on: only its health fails

        metrics = server.request("GET", "/metrics").text
        self.assertIn('vigil_feed_failing{feed="feeds[0] (feed-sick)"} 0', metrics)
        self.assertIn('vigil_feed_failing{feed="feeds[1] (feed-sick)"} 1', metrics)
        self.assertIn('vigil_feed_failing{feed="feeds[2] (feed-sick)"} 1', metrics)

        server.request("GET", "/healthz")
        with open(os.path.join(server.dir, "vigild.log"), errors="replace") as f:
            log = f.read()
        self.assertEqual(log.count("feed failing: health() threw: quote session lost"), 1, log[-3000:])
        self.assertEqual(log.count("feed failing: logon refused"), 1, log[-3000:])

    def test_feeds_whose_health_is_well_leave_health_ok(self):
        server = self.start(['{}'])
        health = server.request("GET", "/healthz")
        self.assertEqual(health.status, 200, health)
        self.assertIn('vigil_feed_failing{feed="feeds[0] (feed-sick)"} 0', server.request("GET", "/metrics").text)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
