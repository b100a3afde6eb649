"""The admin API (docs/http-api.md): the owner's and ops' calls,
authenticated with `Authorization: Bearer <token>`.

Each call returns the answer's JSON, or raises an ApiError (non-2xx) or a
TransportError (no answer). Only GETs are sent again after a stale
kept-alive connection: a signal sent twice would exist twice. One
AdminClient per thread."""
import urllib.parse

from .errors import error_from_response
from .transport import Connection, StaleConnection, encode_body

__all__ = ["AdminClient"]

BASE = "/api/v1/admin"


class AdminClient:
    """`server` is a base URL ("http://host:8080") or a transport."""

    def __init__(self, server, token, timeout=10.0):
        self.transport = Connection(server, timeout) if isinstance(server, str) else server
        self.token = token
        self.timeout = timeout

    def send(self, method, path, body=None, base=BASE):
        """Sends one request to <base><path> with the token and returns the
        Response whatever its status."""
        data = encode_body(body)
        headers = {"Authorization": "Bearer " + self.token}
        if data:
            headers["Content-Type"] = "application/json"
        try:
            return self.transport.request(method, base + path, data, headers, self.timeout)
        except StaleConnection:
            if method != "GET":
                raise
            return self.transport.request(method, base + path, data, headers, self.timeout)

    def call(self, method, path, body=None, base=BASE):
        response = self.send(method, path, body, base)
        if not 200 <= response.status < 300:
            raise error_from_response(response)
        return response.json

    def create_client(self, name):
        """Returns the new client's id."""
        return self.call("POST", "/clients", {"name": name})["client_id"]

    def create_device(self, client_id, name):
        """Returns {"device_id", "device_secret"}: the secret is shown once."""
        return self.call("POST", f"/clients/{_segment(client_id)}/devices", {"name": name})

    def create_signal(self, client_id, instrument, side, volume, **fields):
        """One pending position per active device of the client. fields:
        entry_price, owner_sl, owner_tp, payload, rules, catastrophe_stop...
        Returns {"signal_id", "positions": [{"position_id", "device_id"}]}."""
        return self.call("POST", "/signals",
                         dict(client_id=client_id, instrument=instrument, side=side, volume=volume, **fields))

    def position(self, position_id):
        """The full view: hidden levels, state, close commands."""
        return self.call("GET", f"/positions/{_segment(position_id)}")

    def close_position(self, position_id, reason="manual"):
        """Closes at market; returns the close command's id."""
        return self.call("POST", f"/positions/{_segment(position_id)}/close", {"reason": reason})["command_id"]

    def push_tick(self, instrument, bid, ask, time=None):
        """A price handled exactly like a feed's tick (202)."""
        tick = {"instrument": instrument, "bid": bid, "ask": ask}
        if time is not None:
            tick["time"] = time
        return self.call("POST", "/ticks", tick)

    def clients(self, **query):
        """One page of clients: {"items", "next_cursor"} (query: cursor, limit)."""
        return self.call("GET", "/clients" + _query(query))

    def devices(self, client_id, **query):
        """One page of the client's devices (query: cursor, limit)."""
        return self.call("GET", f"/clients/{_segment(client_id)}/devices" + _query(query))

    def deactivate_device(self, device_id):
        """Refuses the device from now on, as an unknown one; its positions
        stay watched and their commands go to the client's other devices."""
        return self.call("POST", f"/devices/{_segment(device_id)}/deactivate")

    def positions(self, **query):
        """One page of positions (query: client_id, device_id, state,
        instrument, cursor, limit)."""
        return self.call("GET", "/positions" + _query(query))

    def close_commands(self, **query):
        """One page of close commands (query: state, overdue, cursor, limit)."""
        return self.call("GET", "/close-commands" + _query(query))

    def audit(self, **query):
        """One page of audit rows by seq, with "chain" (whether the hash
        chain verifies up to them) (query: after_seq, position_id, cursor,
        limit)."""
        return self.call("GET", "/audit" + _query(query))

    def instruments(self):
        """Per instrument: digits, last bid and ask, tick age, source, stale."""
        return self.call("GET", "/instruments")["items"]

    def all_items(self, page_call, *args, **query):
        """Every item of a paged list, page after page, e.g.
        all_items(admin.positions, client_id="c1"): the pages follow
        next_cursor until the last one."""
        while True:
            page = page_call(*args, **query)
            yield from page["items"]
            if not page.get("next_cursor"):
                return
            query["cursor"] = page["next_cursor"]

    def alerts(self):
        """Close commands unfinished past the alert time, silent devices."""
        return self.call("GET", "/alerts")

    def health(self):
        """The admin's health view (ids and the store's error text)."""
        return self.call("GET", "/health")

    def slippage_report(self, **query):
        """Entry and close slippage by instrument and device."""
        return self.call("GET", "/reports/slippage" + _query(query))

    def healthz(self):
        """GET /healthz (no credentials): the body, "ok" (200) or
        "degraded" (503) alike, since both are answers about health."""
        response = self.send("GET", "/healthz", base="")
        if response.status not in (200, 503) or response.json is None:
            raise error_from_response(response)
        return response.json

    def metrics(self):
        """GET /metrics: Prometheus text."""
        response = self.send("GET", "/metrics", base="")
        if response.status != 200:
            raise error_from_response(response)
        return response.text

    def close(self):
        self.transport.close()


def _segment(value):
    return urllib.parse.quote(str(value), safe="")


def _query(query):
    """"?k=v&..." of the parameters given (None left out), or ""; booleans
    as the API spells them."""
    pairs = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in query.items() if v is not None}
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""
