"""vigild started for real on a temporary data directory, and the clients
of clients/python (the vigil_api package, imported from the source tree so
the suite needs no install step) wrapped so that every answer is checked
against schemas/api. Used by the end-to-end API tests."""
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import re

import jsonschema

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
from vigil_api import AdminClient, Connection, EaClient, TransportError, executed_ack, signer  # noqa: E402
from vigil_api.transport import Response  # noqa: E402

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schemas", "api")

# Every API call and the schemas of schemas/api its bodies follow. Each
# answer is checked against them (errors against error.json), and every
# request that succeeded against its request schema: so the published
# schemas are what the server really speaks.
ROUTES = [
    ("GET", r"/api/v1/client/poll", None, "client-poll.response"),
    ("POST", r"/api/v1/client/ack", "client-ack.request", "client-ack.response"),
    ("GET", r"/api/v1/client/close-commands", None, "client-close-commands.response"),
    ("POST", r"/api/v1/client/close-ack", "client-close-ack.request", "client-close-ack.response"),
    ("POST", r"/api/v1/client/positions-snapshot", "client-positions-snapshot.request",
     "client-positions-snapshot.response"),
    ("POST", r"/api/v1/admin/clients", "admin-clients.request", "admin-clients.response"),
    ("POST", r"/api/v1/admin/clients/[^/]+/devices", "admin-devices.request", "admin-devices.response"),
    ("POST", r"/api/v1/admin/signals", "admin-signals.request", "admin-signals.response"),
    ("GET", r"/api/v1/admin/positions/[^/]+", None, "admin-position.response"),
    ("POST", r"/api/v1/admin/positions/[^/]+/close", "admin-close.request", "admin-close.response"),
    ("POST", r"/api/v1/admin/ticks", "admin-ticks.request", "admin-ticks.response"),
    ("GET", r"/api/v1/admin/alerts", None, "admin-alerts.response"),
    ("GET", r"/api/v1/admin/health", None, "admin-health.response"),
    ("GET", r"/api/v1/admin/reports/slippage", None, "admin-slippage-report.response"),
    ("GET", r"/api/v1/admin/clients", None, "admin-clients-list.response"),
    ("GET", r"/api/v1/admin/clients/[^/]+/devices", None, "admin-devices-list.response"),
    ("POST", r"/api/v1/admin/devices/[^/]+/deactivate", None, "admin-deactivate.response"),
    ("GET", r"/api/v1/admin/positions", None, "admin-positions-list.response"),
    ("GET", r"/api/v1/admin/close-commands", None, "admin-close-commands-list.response"),
    ("GET", r"/api/v1/admin/audit", None, "admin-audit.response"),
    ("GET", r"/api/v1/admin/instruments", None, "admin-instruments.response"),
]
_loaded = {}


def schema(name):
    if name not in _loaded:
        with open(os.path.join(SCHEMAS, name + ".json")) as f:
            _loaded[name] = json.load(f)
    return _loaded[name]


def check_schemas(method, path, request_body, answer):
    for route_method, pattern, request_schema, response_schema in ROUTES:
        if route_method != method or not re.fullmatch(pattern, path.split("?")[0]):
            continue
        if 200 <= answer.status < 300:
            jsonschema.validate(answer.json, schema(response_schema))
            if request_schema:
                jsonschema.validate(json.loads(request_body), schema(request_schema))
        else:
            jsonschema.validate(answer.json, schema("error"))
        return

ADMIN_TOKEN = "test-admin-token-0123456789"


# An answer: status, text, json, elapsed, headers (lower-case names).
Answer = Response


class CheckedTransport:
    """The package's transport as the tests use it: a new connection per
    request (threads share one Server), a 40 s timeout, every answer
    checked against the schemas, and a failed connection raised as the
    OSError it was (the tests treat a refused connection as a server
    that is down)."""

    def __init__(self, server):
        self.server = server

    def request(self, method, target, body=b"", headers=None, timeout=None):
        connection = Connection(f"http://127.0.0.1:{self.server.port}", timeout=40, keep_alive=False)
        try:
            answer = connection.request(method, target, body, headers)
        except TransportError as e:
            raise e.__cause__ or e
        check_schemas(method, target, body, answer)
        return answer

    def close(self):
        pass


class Postgres:
    """A throwaway PostgreSQL 15 in a temporary directory, on a Unix socket
    (../shared/TOOLING.md): as the postgres user when running as root."""

    BIN = "/usr/lib/postgresql/15/bin/"

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="vigil-pg-")
        as_root = os.geteuid() == 0
        self.prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
        if as_root:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", self.dir + "/data", "-A", "trust", "-U", "vigil", "--no-sync", "-E", "UTF8")
        self.start()
        self.dsn = f"host={self.dir} user=vigil dbname=postgres"

    def _run(self, tool, *args):
        subprocess.run(self.prefix + [self.BIN + tool, *args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def start(self):
        """Starts the server (again, after halt: same socket and data)."""
        self._run("pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/pg.log", "-w", "-o",
                  f"-k {self.dir} -c listen_addresses='' -c fsync=on", "start")

    def halt(self):
        """Stops the server, keeping its data: open connections are cut, as
        in an outage."""
        self._run("pg_ctl", "-D", self.dir + "/data", "-m", "fast", "-w", "stop")

    def stop(self):
        self._run("pg_ctl", "-D", self.dir + "/data", "-m", "fast", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


class Server:
    """vigild on a config written into a temporary directory."""

    def __init__(self, vigild, plugin_dir, data_dir=None, extra_yaml="", store="sqlite", cipher_options=None,
                 rules=("rule-sltp",), shared_postgres=None):
        """shared_postgres: a Postgres other servers use too (store
        "postgres"); the caller stops it, not cleanup()."""
        self.vigild = vigild
        self.rules = rules
        self.cipher_options = cipher_options
        self.eurusd_extra = ""  # more keys of the EURUSD instrument entry
        self.usdjpy_extra = ""  # and of USDJPY's
        self.transport_extra = ""  # more transport options, ", key: value"...
        self.dir = data_dir or tempfile.mkdtemp(prefix="vigil-api-")
        self.postgres = shared_postgres or (Postgres() if store == "postgres" else None)
        self.owns_postgres = self.postgres is not None and shared_postgres is None
        store_yaml = (f"  plugin: store-postgres\n  options: {{dsn: \"{self.postgres.dsn}\"}}" if self.postgres
                      else f"  plugin: store-sqlite\n  options: {{path: {self.dir}/vigil.db}}")
        key = os.path.join(self.dir, "master.key")
        if not os.path.exists(key):
            with open(key, "w") as f:
                f.write(secrets.token_hex(32) + "\n")
            os.chmod(key, 0o600)
        self.plugin_dir, self.store_yaml, self.key, self.extra_yaml = plugin_dir, store_yaml, key, extra_yaml
        self.write_config()
        self.process = None
        self.port = None
        self.transport = CheckedTransport(self)
        self.admin_client = AdminClient(self.transport, ADMIN_TOKEN)

    def reconfigure(self, cipher_options):
        """Rewrites the config with other cipher options (same store)."""
        self.cipher_options = cipher_options
        self.write_config()

    def write_config(self):
        self.config = os.path.join(self.dir, "vigil.yaml")
        with open(self.config, "w") as f:
            f.write(f"""plugin_paths: [{self.plugin_dir}]
instruments:
  - {{symbol: EURUSD, digits: 5{self.eurusd_extra}}}
  - {{symbol: USDJPY, digits: 3{self.usdjpy_extra}}}
rules:
{"".join(f"  - plugin: {rule}" + chr(10) for rule in self.rules)}store:
{self.store_yaml}
cipher:
  plugin: cipher-sodium
  options: {self.cipher_options or "{key_file: " + self.key + "}"}
transport:
  plugin: transport-http
  options: {{listen: "127.0.0.1:0", threads: 4, device_requests_per_second: 1000, device_burst: 1000{self.transport_extra}}}
{self.extra_yaml}""")

    def env(self):
        return dict(os.environ, VIGIL_ADMIN_TOKEN=ADMIN_TOKEN)

    def start(self):
        """Starts vigild (again, after stop or kill: same config and store)."""
        self.log = open(os.path.join(self.dir, "vigild.log"), "ab")
        self.process = subprocess.Popen([self.vigild, "--config", self.config], stdout=subprocess.PIPE,
                                        stderr=self.log, env=self.env())
        line = self.process.stdout.readline().decode()
        if "listening on" not in line:
            raise RuntimeError("vigild did not start: " + line + open(os.path.join(self.dir, "vigild.log")).read())
        self.port = int(line.strip().rsplit(":", 1)[1])
        return self

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._close()
        self.check_log()

    def stop(self):
        """Stops vigild with SIGTERM; it must exit cleanly (0), which under
        the sanitizers also means no leak or error was reported."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            code = self.process.wait(timeout=60)
            self._close()
            if code != 0:
                self.check_log()  # a sanitizer report is shown from its start
                with open(os.path.join(self.dir, "vigild.log")) as log:
                    raise RuntimeError(f"vigild exited with {code}:\n" + log.read()[-4000:])
            self.check_log()
            return
        self._close()
        self.check_log()

    def check_log(self):
        """Fails on any sanitizer report in vigild's log. The exit code alone
        misses one: a report that halted vigild (TSan's halt_on_error) after
        the test's last request, or before a kill(), leaves no code to see."""
        path = os.path.join(self.dir, "vigild.log")
        if not os.path.exists(path):
            return
        with open(path, errors="replace") as log:
            text = log.read()
        report = re.search(r"^(WARNING|ERROR|SUMMARY): \w*Sanitizer", text, re.M)
        if report:
            raise RuntimeError("vigild's log holds a sanitizer report:\n" + text[report.start():][:8000])

    def _close(self):
        if self.process:
            self.process.stdout.close()
            self.log.close()

    def cleanup(self):
        """Stops everything and removes the temporary directories (also
        when stopping vigild found a failure, which is raised after)."""
        try:
            self.stop()
        finally:
            if self.owns_postgres:
                self.postgres.stop()
            shutil.rmtree(self.dir, ignore_errors=True)

    def request(self, method, path, body=None, headers=None):
        data = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
        return self.transport.request(method, path, data, headers or {})

    def admin(self, method, path, body=None):
        return self.admin_client.send(method, path, body)


class Device:
    """A device's calls through the package's EaClient; each returns the
    Answer whatever its status."""

    def __init__(self, server, device_id, secret):
        self.server = server
        self.id = device_id
        self.secret = secret
        self.client = EaClient(server.transport, device_id, secret)

    def headers(self, method, path, query, body, timestamp=None, nonce=None, secret=None):
        return signer.signed_headers(self.id, secret or self.secret, method, path, query, body, timestamp, nonce)

    def call(self, method, name, body=None, query="", **overrides):
        return self.client.send(method, name, body, query, **overrides)

    def poll(self):
        return self.call("GET", "poll")

    def ack(self, body):
        return self.call("POST", "ack", body)

    def close_commands(self, wait=0):
        return self.call("GET", "close-commands", query=f"wait={wait}")

    def close_ack(self, body):
        return self.call("POST", "close-ack", body)


def new_device(server, client_id, name="terminal"):
    answer = server.admin("POST", f"/clients/{client_id}/devices", {"name": name})
    assert answer.status == 201, answer
    return Device(server, answer.json["device_id"], answer.json["device_secret"])


def executed(position_id, ticket, price="1.10000", volume="1"):
    """The body of an execution ack: the broker filled `volume` at `price`."""
    return executed_ack(position_id, "x-" + position_id, ticket, price, volume)


class Looping(threading.Thread):
    """Runs step() every `pause` seconds until stopped. An exception of a
    `transient` type is retried at the next step, as a real client would;
    any other ends the loop and is kept in `error`, for the test to
    surface rather than lose in a thread."""

    def __init__(self, pause, transient=()):
        super().__init__(daemon=True)
        self.pause = pause
        self.transient = transient
        self.stopped = threading.Event()
        self.error = None

    def run(self):
        while not self.stopped.is_set():
            try:
                self.step()
            except self.transient:
                pass
            except Exception as e:
                self.error = e
                return
            self.stopped.wait(self.pause)
