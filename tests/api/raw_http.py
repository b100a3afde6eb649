"""Raw HTTP over sockets for the tests that play hostile or many clients:
connect, leave abruptly (RST), read one answer, sign a request, and read
the transport's gauges off /metrics."""
import json
import os
import re
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
from vigil_api import signer  # noqa: E402


def connect(port, source="127.0.0.1"):
    """A connection to vigild on loopback from `source` (any 127.x.y.z is
    another source address to the server)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def reset(s):
    """Closes with RST, as a client that vanished does."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def parse_answer(data):
    """(status, headers, body) when `data` holds one whole answer, else None."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    if len(body) < length:
        return None
    return int(lines[0].split()[1]), headers, body[:length]


def read_answer(s):
    """(status, headers, body) of one HTTP answer, or None when the server
    closed without a whole one."""
    data = b""
    while True:
        answer = parse_answer(data)
        if answer:
            return answer
        chunk = s.recv(65536)
        if not chunk:
            return None
        data += chunk


def signed_request(device, method, path, query="", body=b""):
    """The bytes of one request signed by `device` (a vigil_client.Device)."""
    headers = signer.signed_headers(device.id, device.secret, method, path, query, body)
    target = path + ("?" + query if query else "")
    lines = [f"{method} {target} HTTP/1.1", "Host: x"] + [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def commands_of(answer):
    """The position ids a close-commands answer carries."""
    status, _, body = answer
    assert status == 200, (status, body)
    return [c["position_id"] for c in json.loads(body)["commands"]]


def metric(server, name):
    """The value of one sample on /metrics (`name` with its labels, if any)."""
    text = server.request("GET", "/metrics").text
    found = re.search(r"^" + re.escape(name) + r" (\S+)$", text, re.M)
    assert found, f"{name} not on /metrics"
    return float(found.group(1))
