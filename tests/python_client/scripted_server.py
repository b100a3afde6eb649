"""A tiny local HTTP/1.1 server (keep-alive) that answers each request
with the next step of a script, and records what it received. A step is
(status, headers, body) or DROP (close the connection unanswered); when
the script runs out, the last step repeats. For the client's tests of
retries, errors and connections; serves one thread per connection."""
import http.server
import json
import socket
import threading

DROP = "drop"


class ScriptedServer:
    def __init__(self, steps):
        self.steps = list(steps)
        self.requests = []  # (method, path, headers dict, body bytes, connection number)
        self.connections = 0
        self.lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                # Headers and body go out in two writes: without this, Nagle
                # holds the body for the client's delayed ACK (40 ms).
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with server.lock:
                    server.connections += 1
                    self.number = server.connections

            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with server.lock:
                    server.requests.append((self.command, self.path, dict(self.headers), body, self.number))
                    step = server.steps.pop(0) if len(server.steps) > 1 else server.steps[0]
                if step == DROP:
                    self.close_connection = True
                    return
                status, headers, payload = step
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = handle_one

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def ok(body):
    return (200, {"Content-Type": "application/json"}, body)


def error(status, code, message, **headers):
    return (status, {"Content-Type": "application/json", **headers}, {"error": {"code": code, "message": message}})
