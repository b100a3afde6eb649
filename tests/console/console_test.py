"""The operator's console in a real browser: vigild with the real plugins
(embedded store) over loopback, headless Chromium driven through
browser_driver.mjs (puppeteer-core), the EA side played by clients/python's
vigil_api. Screenshots of every page go to SCREENSHOT_DIR. Usage:
    console_test.py VIGILD PLUGIN_DIR NODE_DIR SCREENSHOT_DIR
NODE_DIR holds node_modules with puppeteer-core (tools/node, `npm ci`)."""
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "api"))
from vigil_client import ADMIN_TOKEN, Server, executed, new_device  # noqa: E402
from vigil_api import executed_close  # noqa: E402

VIGILD, PLUGINS, NODE_DIR, SHOTS = sys.argv[1:5]
CONSOLE_SOURCES = os.path.join(HERE, "..", "..", "console")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HOSTILE_NAME = "<img src=x onerror=alert(1)>"


class Browser:
    """browser_driver.mjs: one JSON command a line, one answer a line."""

    def __init__(self):
        modules = os.path.join(NODE_DIR, "node_modules", "puppeteer-core")
        if not os.path.isdir(modules) or not shutil.which("node") or not os.path.exists("/usr/bin/chromium"):
            raise RuntimeError(f"needs node, /usr/bin/chromium and {modules}: run script/bootstrap")
        self.process = subprocess.Popen(["node", os.path.join(HERE, "browser_driver.mjs"), NODE_DIR],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def do(self, command, **args):
        self.process.stdin.write(json.dumps({"do": command, **args}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the browser driver ended during {command}")
        answer = json.loads(line)
        if not answer.pop("ok"):
            raise AssertionError(f"{command} {args}: {answer['error']}")
        return answer

    def close(self):
        try:
            self.process.stdin.write('{"do": "quit"}\n')
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


def raw_get(port, target):
    """GET with the target sent exactly as written (no normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


class Console(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(SHOTS, exist_ok=True)
        cls.server = Server(VIGILD, PLUGINS).start()
        cls.base = f"http://127.0.0.1:{cls.server.port}"
        try:
            cls.browser = Browser()
        except Exception:
            cls.server.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.server.cleanup()

    # --- served safely, checked over HTTP -------------------------------

    def test_files_carry_their_type_and_a_strict_policy(self):
        files = {"/console": "text/html; charset=utf-8", "/console/": "text/html; charset=utf-8",
                 "/console/index.html": "text/html; charset=utf-8", "/console/style.css": "text/css; charset=utf-8",
                 "/console/js/app.js": "text/javascript; charset=utf-8", "/console/favicon.svg": "image/svg+xml"}
        for path, content_type in files.items():
            status, headers, body = raw_get(self.server.port, path)
            self.assertEqual(status, 200, path)
            self.assertEqual(headers["content-type"], content_type, path)
            self.assertEqual(headers["content-security-policy"], CSP, path)
            self.assertEqual(headers["x-content-type-options"], "nosniff", path)
            self.assertNotIn("set-cookie", headers, path)
            self.assertTrue(body, path)

    def test_paths_outside_the_console_are_refused(self):
        for target in ["/console/../README.md", "/console/..%2f..%2fREADME.md", "/console/%2e%2e/%2e%2e/README.md",
                       "/console/js/../../../etc/passwd", "/console//etc/passwd", "/console/js/",
                       "/console/.git/config", "/console/nothing.js", "/console/index.html/"]:
            status, headers, body = raw_get(self.server.port, target)
            self.assertIn(status, (400, 404), target)
            self.assertEqual(headers["content-type"], "application/json", target)
            self.assertNotIn(b"root:", body, target)
            self.assertNotIn(b"# Vigil", body, target)

    def test_the_sources_never_parse_data_as_markup(self):
        forbidden = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|"
                               r"setAttribute\(\s*[\"']style|localStorage|document\.cookie")
        for folder, _, names in os.walk(CONSOLE_SOURCES):
            for name in names:
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                    text = f.read()
                self.assertIsNone(forbidden.search(text), name)
                if name.endswith(".html"):
                    self.assertNotRegex(text, r"<script(?![^>]*\bsrc=)|\sstyle=|<style|\son[a-z]+=", name)

    # --- in the browser --------------------------------------------------

    def shot(self, name):
        self.browser.do("screenshot", path=os.path.join(SHOTS, name + ".png"))

    def tick(self, bid, ask):
        answer = self.server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": bid, "ask": ask})
        self.assertEqual(answer.status, 202, answer)

    def wait_state(self, position_id, state):
        self.browser.do("wait_text", selector=f'tr[data-position-id="{position_id}"] .badge', text=state)

    def open_position(self, ea, client_id, watch_states):
        answer = self.server.admin("POST", "/signals", {"client_id": client_id, "instrument": "EURUSD", "side": "buy",
                                                        "volume": "1", "entry_price": "1.10015", "owner_sl": "1.09000",
                                                        "owner_tp": "1.12000"})
        self.assertEqual(answer.status, 201, answer)
        [position_id] = [p["position_id"] for p in answer.json["positions"] if p["device_id"] == ea.id]
        if watch_states:
            self.wait_state(position_id, "pending")
        self.assertEqual(ea.poll().status, 200)
        if watch_states:
            self.wait_state(position_id, "acknowledged")
        self.assertEqual(ea.ack(executed(position_id, position_id[-12:], price="1.10020")).status, 200)
        self.wait_state(position_id, "open")
        return position_id

    def close_by_ea(self, ea, position_id, reason, price):
        [command] = [c for c in ea.close_commands(wait=5).json["commands"] if c["position_id"] == position_id]
        self.assertEqual(command["reason"], reason)
        self.assertEqual(ea.close_ack(executed_close(command["command_id"], price)).status, 200)
        self.wait_state(position_id, "closed")

    def test_an_operator_watches_and_closes_positions(self):
        b = self.browser
        self.assertEqual(b.do("open", url=self.base + "/console")["status"], 200)
        b.do("type", selector="#token", text="not-the-admin-token-000")
        b.do("click", selector="#login button[type=submit]")
        b.do("wait_text", selector="#login-error", text="The bearer token is not valid.")
        b.do("type", selector="#token", text=ADMIN_TOKEN)
        b.do("click", selector="#login button[type=submit]")
        b.do("wait_text", selector="h1", text="Overview")
        session = b.do("session")
        self.assertEqual(session["session_storage"], {"vigil.admin_token": ADMIN_TOKEN})
        self.assertEqual(session["cookie"], "")
        self.assertNotIn(ADMIN_TOKEN, session["url"])

        # A pushed tick changes the price on the overview.
        bid = 'tr[data-instrument="EURUSD"] [data-field="bid"]'
        self.tick("1.10012", "1.10015")
        b.do("wait_text", selector=bid, text="1.10012")
        self.tick("1.10020", "1.10023")
        b.do("wait_text", selector=bid, text="1.10020")
        self.shot("overview")

        # A signal's position through every state, as the EA plays its part.
        client_id = self.server.admin("POST", "/clients", {"name": "carol"}).json["client_id"]
        ea = new_device(self.server, client_id, name=HOSTILE_NAME)
        spare = new_device(self.server, client_id, name="spare terminal")
        b.do("go", hash="#/positions")
        breached = self.open_position(ea, client_id, watch_states=True)
        self.shot("positions")
        self.tick("1.08990", "1.08993")  # below the hidden stop
        self.wait_state(breached, "closing")
        self.close_by_ea(ea, breached, "sl_hit", "1.08985")

        # A close by hand, confirmed in the page.
        self.tick("1.10020", "1.10023")
        manual = self.open_position(ea, client_id, watch_states=False)
        b.do("click", selector=f'tr[data-position-id="{manual}"] button[data-action="close"]')
        b.do("click", selector=f'tr[data-position-id="{manual}"] button[data-action="confirm-close"]')
        self.wait_state(manual, "closing")
        self.close_by_ea(ea, manual, "manual", "1.10018")

        # The state filter asks the server for those positions only.
        b.do("select", selector='select[name="state"]', value="closed")
        b.do("wait_text", selector=f'tr[data-position-id="{breached}"] .badge', text="closed")
        b.do("wait_gone", selector='tr[data-state="pending"]')

        # Its timeline, from the audit rows.
        b.do("go", hash="#/positions/" + breached)
        b.do("wait_text", selector='.timeline li[data-action="closed"] strong', text="closed")
        b.do("wait_text", selector='.timeline li[data-action="opened"] strong', text="opened")
        self.shot("position")

        b.do("go", hash="#/commands")
        b.do("wait_text", selector="tr[data-status] td:nth-child(4)", text="manual")
        self.shot("commands")

        # The EA's name is shown as text: no element made, nothing run.
        b.do("go", hash="#/devices")
        name = f'tr[data-device-id="{ea.id}"] [data-field="name"]'
        b.do("wait_text", selector=name, text=HOSTILE_NAME)
        self.assertEqual(b.do("inspect", selector=name), {"text": HOSTILE_NAME, "elements": 0})
        self.shot("devices")

        # A device deactivated from the page: its next request is refused.
        self.assertEqual(spare.poll().status, 200)
        b.do("click", selector=f'tr[data-device-id="{spare.id}"] button[data-action="deactivate"]')
        b.do("click", selector=f'tr[data-device-id="{spare.id}"] button[data-action="confirm-deactivate"]')
        b.do("wait_text", selector=f'tr[data-device-id="{spare.id}"] td:last-child', text="inactive")
        self.assertEqual(spare.poll().status, 401)

        b.do("go", hash="#/slippage")
        b.do("wait_text", selector="td", text="EURUSD")
        self.assertGreater(b.do("inspect", selector="svg.chart")["elements"], 3)
        self.shot("slippage")

        b.do("go", hash="#/audit")
        b.do("wait_text", selector='[data-card="chain"] .value', text="verified")
        self.shot("audit")

        events = b.do("events")
        self.assertEqual(events["dialogs"], [])
        self.assertEqual(events["page_errors"], [])
        self.assertEqual(events["csp_violations"], [])
        # The refused login is the one failed request the browser reports.
        self.assertEqual([e for e in events["console_errors"] if "status of 401" not in e], [])

        b.do("click", selector="#logout")
        b.do("wait_text", selector="#login:not([hidden]) h1", text="Log in")
        self.assertEqual(b.do("session")["session_storage"], {})


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
