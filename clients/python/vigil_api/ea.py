"""The EA API (docs/http-api.md): the five signed calls a terminal's
executor makes, and the bodies of its acks.

Each call returns the answer's JSON, or raises an ApiError (non-2xx) or a
TransportError (no answer). A call that met a stale kept-alive connection
is signed again and sent once more on a fresh one: every EA call may be
repeated (the server answers a repeated ack or close-ack as the first, and
delivers positions and commands again until they are acknowledged).
One EaClient per thread."""
from . import signer
from .errors import error_from_response
from .transport import Connection, StaleConnection, encode_body

__all__ = ["EaClient", "executed_ack", "rejected_ack", "executed_close", "failed_close"]

BASE = "/api/v1/client/"


def executed_ack(position_id, execution_id, broker_ticket, actual_entry_price, filled_volume):
    """The body of an execution ack: the broker filled `filled_volume` at
    `actual_entry_price`. Ids and tickets are sent as strings (MetaTrader
    tickets are 64-bit), prices and volumes as given (strings keep their
    digits)."""
    return {"position_id": position_id, "status": "executed", "execution_id": str(execution_id),
            "broker_ticket": str(broker_ticket), "actual_entry_price": actual_entry_price,
            "filled_volume": filled_volume}


def rejected_ack(position_id, error_message):
    return {"position_id": position_id, "status": "rejected", "error_message": error_message}


def executed_close(command_id, actual_close_price):
    return {"command_id": command_id, "status": "executed", "actual_close_price": actual_close_price}


def failed_close(command_id, error_message):
    return {"command_id": command_id, "status": "failed", "error_message": error_message}


class EaClient:
    """A device's calls. `server` is a base URL ("http://host:8080") or a
    transport (anything with Connection.request's signature)."""

    def __init__(self, server, device_id, secret, timeout=10.0):
        self.transport = Connection(server, timeout) if isinstance(server, str) else server
        self.device_id = device_id
        self.secret = secret
        self.timeout = timeout

    def send(self, method, name, body=None, query="", timestamp=None, nonce=None, secret=None, timeout=None):
        """Signs and sends one request to /api/v1/client/<name> and returns
        the Response whatever its status. timestamp, nonce and secret
        override what would be signed (for tests of the server's checks)."""
        path = BASE + name
        data = encode_body(body)
        target = path + ("?" + query if query else "")
        timeout = self.timeout if timeout is None else timeout
        for attempt in (1, 2):
            headers = signer.signed_headers(self.device_id, secret or self.secret, method, path, query, data,
                                            timestamp, nonce)
            if data:
                headers["Content-Type"] = "application/json"
            try:
                return self.transport.request(method, target, data, headers, timeout)
            except StaleConnection:
                if attempt == 2 or nonce is not None:  # a fixed nonce cannot be sent twice
                    raise

    def call(self, method, name, body=None, query="", timeout=None):
        """send(), then the answer's JSON; raises ApiError unless 2xx."""
        response = self.send(method, name, body, query, timeout=timeout)
        if not 200 <= response.status < 300:
            raise error_from_response(response)
        return response.json

    def poll(self):
        """Positions waiting for this device to execute (never the hidden
        levels). A delivered position comes again until it is acked."""
        return self.call("GET", "poll")["positions"]

    def ack(self, body):
        """Reports an execution or rejection (see executed_ack and
        rejected_ack); the answer holds the position's state, slippage,
        fill_ratio, and catastrophe_sl when the signal asked for one."""
        return self.call("POST", "ack", body)

    def close_commands(self, wait=0):
        """Every unfinished close command of this device, waiting up to
        `wait` seconds (0-30) for one to exist. A command comes again on
        every call until its close-ack arrives."""
        return self.call("GET", "close-commands", query=f"wait={int(wait)}", timeout=self.timeout + wait)["commands"]

    def close_ack(self, body):
        """Reports a close's result (see executed_close and failed_close)."""
        return self.call("POST", "close-ack", body)

    def positions_snapshot(self, tickets):
        """Tells the server every broker ticket still open at the terminal;
        open positions whose ticket is missing are closed. Answers
        {"closed_positions": [...], "unknown_tickets": [...]}."""
        return self.call("POST", "positions-snapshot", {"tickets": [str(t) for t in tickets]})

    def close(self):
        self.transport.close()
