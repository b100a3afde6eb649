"""One HTTP/1.1 connection to a Vigil server, kept alive between requests.

Not thread-safe: give each thread its own client (and so its own
connection). A request that fails on a connection already used for an
earlier one, before any answer arrives, is most often the server having
closed the idle connection; `request` reports that as StaleConnection so
that the caller, who alone knows whether the request may be repeated (and
must sign it again with a new nonce), decides."""
import http.client
import json
import socket
import time
import urllib.parse

from .errors import TransportError

__all__ = ["Response", "Connection", "StaleConnection", "encode_body"]


class StaleConnection(TransportError):
    """A reused connection failed before answering; a fresh one may not."""


class Response:
    """A server's answer: status, headers (lower-case names), raw body,
    and the seconds it took."""

    def __init__(self, status, headers, body, elapsed):
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsed = elapsed

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def json(self):
        """The parsed body, or None when it is empty or not JSON."""
        if not hasattr(self, "_json"):
            try:
                self._json = json.loads(self.body) if self.body else None
            except ValueError:
                self._json = None
        return self._json

    def __repr__(self):
        return f"{self.status} {self.text}"


def encode_body(body):
    """bytes as given; anything else as compact JSON; None as no body."""
    if body is None:
        return b""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class Connection:
    """Requests to one base URL (http://host:port) over one kept-alive
    connection, reopened when it breaks. With keep_alive=False every
    request opens and closes its own."""

    def __init__(self, base_url, timeout=10.0, keep_alive=True):
        url = urllib.parse.urlsplit(base_url)
        if url.scheme not in ("http", "https"):
            raise ValueError(f"base_url must be http:// or https://, not {base_url!r}")
        self.scheme = url.scheme
        self.host = url.hostname
        self.port = url.port or (443 if url.scheme == "https" else 80)
        self.prefix = url.path.rstrip("/")
        self.timeout = timeout
        self.keep_alive = keep_alive
        self._connection = None
        self._used = False  # the open connection has answered a request already

    def _open(self, timeout):
        kind = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        self._connection = kind(self.host, self.port, timeout=timeout)
        self._used = False

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def request(self, method, target, body=b"", headers=None, timeout=None):
        """Sends one request (target = path and query) and reads the whole
        answer. Raises TransportError (StaleConnection on a reused
        connection) when no answer arrives."""
        timeout = self.timeout if timeout is None else timeout
        if self._connection is None:
            self._open(timeout)
        reused = self._used
        self._connection.timeout = timeout
        if self._connection.sock is not None:
            self._connection.sock.settimeout(timeout)
        started = time.monotonic()
        try:
            self._connection.request(method, self.prefix + target,
                                     body=None if method == "GET" and not body else body,
                                     headers=dict(headers or {}))
            answer = self._connection.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException) as e:
            self.close()
            if reused and not isinstance(e, socket.timeout):
                raise StaleConnection(f"{method} {target}: connection closed by the server ({e})") from e
            raise TransportError(f"{method} {target}: {e}") from e
        response = Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, data,
                            time.monotonic() - started)
        if not self.keep_alive or answer.will_close:
            self.close()
        else:
            self._used = True
        return response
