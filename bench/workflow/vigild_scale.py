#!/usr/bin/env python3
"""A running vigild against a book of N live positions (issue #13).

For each N: a fresh data directory is seeded with N open positions by
`bench_workflow seed` (100 per device, one client per device, device
secrets encrypted by cipher-sodium under VIGIL_MASTER_KEY exactly as
admin.create_device does; bench/workflow/seeded_book.hpp), then
`vigild --data-dir D --listen 127.0.0.1:0` runs on it with the embedded
default config (six rules, feed-synthetic, store-sqlite, cipher-sodium).
Measured:
  start       from exec to "listening on" (the workflow has recovered by
              then), and from vigild's "store ready" log line to its
              "recovered ... live positions" line (the recovery alone)
  RSS         vigild's VmRSS 2 s after it listens, minus that of the same
              run with no position (N=0: the same 8 devices, no positions)
              -> bytes per live position (engine, workflow, store cache)
  poll        signed GET /api/v1/client/poll of idle devices (open
              positions, nothing pending) on one kept-alive connection,
              paced under the default per-device rate limit: p50/p99
  restart     SIGKILL, then exec to "listening on" again
Printed last: poll latency at each N against the smallest N > 0.

Standard library only. Usage (from the repository root):
  python3 bench/workflow/vigild_scale.py [--build build-bench]
      [--sizes 1000,100000] [--requests 300] [--max-seconds 30]
"""
import argparse
import datetime
import hashlib
import hmac
import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time

MASTER_KEY = "42" * 32
ADMIN_TOKEN = "bench-admin-token-0123456789"
IDLE_FROM = 4  # bench_workflow's lifecycle devices come first; these are never touched


def signed_headers(device_id, secret, method, path, query="", body=b""):
    """The contract's device signature (tests/api/vigil_client.py)."""
    timestamp = str(int(time.time() * 1000))
    nonce = secrets.token_hex(12)
    to_sign = "\n".join([method, path, query, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    signature = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return {"X-Device-Id": device_id, "X-Timestamp": timestamp, "X-Nonce": nonce, "X-Signature": signature}


def rss_kib(pid, field="VmRSS"):
    """VmRSS, or RssAnon: the heap alone, without the pages of the database file that
    store-sqlite maps (mmap_size 1 GiB) and that recovery reads whole."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


class Vigild:
    def __init__(self, vigild, data_dir):
        self.vigild, self.dir = vigild, data_dir
        self.env = dict(os.environ, VIGIL_MASTER_KEY=MASTER_KEY, VIGIL_ADMIN_TOKEN=ADMIN_TOKEN)
        self.process = None

    def start(self):
        """Starts vigild; returns seconds from exec to listening."""
        self.log_path = os.path.join(self.dir, "vigild.log")
        log = open(self.log_path, "ab")
        self.log_from = log.tell()
        began = time.monotonic()
        self.process = subprocess.Popen([self.vigild, "--data-dir", self.dir, "--listen", "127.0.0.1:0"],
                                        stdout=subprocess.PIPE, stderr=log, env=self.env, cwd=self.dir)
        line = self.process.stdout.readline().decode()
        elapsed = time.monotonic() - began
        log.close()
        if "listening on" not in line:
            raise RuntimeError("vigild did not start: " + line + open(self.log_path).read()[-2000:])
        self.port = int(line.strip().rsplit(":", 1)[1])
        return elapsed

    def recovery(self):
        """vigild's "recovered ..." line of this start, and the seconds from
        its "store ready" line to it (both stamped by vigild's log)."""
        with open(self.log_path, errors="replace") as f:
            f.seek(self.log_from)
            lines = f.readlines()
        stamp = lambda l: datetime.datetime.strptime(l.split()[0], "%Y-%m-%dT%H:%M:%S.%fZ")
        ready = [l for l in lines if "store ready" in l]
        done = [l for l in lines if "recovered" in l]
        if not ready or not done:
            return "(no recovery line)", float("nan")
        return done[-1].strip(), (stamp(done[-1]) - stamp(ready[-1])).total_seconds()

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=120)


def poll_latencies(port, devices, requests, max_seconds):
    """Signed polls of idle devices, paced so no device passes 10 req/s;
    fewer than `requests` if `max_seconds` pass first."""
    idle = devices[IDLE_FROM:]
    gap = max(0.0, 0.1 / len(idle))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    out = []
    deadline = time.monotonic() + max_seconds
    for i in range(requests):
        if time.monotonic() > deadline:
            break
        device_id, secret = idle[i % len(idle)]
        headers = signed_headers(device_id, secret, "GET", "/api/v1/client/poll")
        began = time.monotonic()
        conn.request("GET", "/api/v1/client/poll", headers=headers)
        answer = conn.getresponse()
        body = answer.read()
        out.append((time.monotonic() - began) * 1000)
        if answer.status != 200 or b'"positions":[]' not in body:
            raise RuntimeError(f"poll of {device_id}: {answer.status} {body[:200]!r}")
        time.sleep(max(0.0, gap - out[-1] / 1000))
    conn.close()
    return out


def run_size(args, n):
    data_dir = tempfile.mkdtemp(prefix="vigil-bench-scale-")
    try:
        devices_file = os.path.join(data_dir, "devices.txt")
        began = time.monotonic()
        subprocess.run([args.bench_workflow, "seed", "--db", os.path.join(data_dir, "vigil.db"), "--positions",
                        str(n), "--devices-out", devices_file], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, VIGIL_MASTER_KEY=MASTER_KEY))
        seed_s = time.monotonic() - began
        devices = [tuple(line.split()[0::2]) for line in open(devices_file)]
        server = Vigild(args.vigild, data_dir)
        start_s = server.start()
        recovered, recover_s = server.recovery()
        time.sleep(2)  # the engines take the re-watched positions asynchronously
        rss, anon = rss_kib(server.process.pid), rss_kib(server.process.pid, "RssAnon")
        latencies = poll_latencies(server.port, devices, args.requests, args.max_seconds)
        server.kill()
        restart_s = server.start()
        restarted, rerecover_s = server.recovery()
        server.stop()
        return {"n": n, "seed_s": seed_s, "start_s": start_s, "restart_s": restart_s, "rss_kib": rss, "anon_kib": anon,
                "polls": len(latencies), "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99), "recovered": recovered,
                "restarted": restarted, "recover_s": recover_s, "rerecover_s": rerecover_s}
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(root, "build-bench"))
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--max-seconds", type=float, default=30, help="bound on the polls of one size")
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    args.vigild = os.path.join(args.build, "bin", "vigild")
    args.bench_workflow = os.path.join(args.build, "bin", "bench_workflow")
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"vigild --data-dir (embedded default config), {os.cpu_count()} hardware threads shared, "
          f"{args.requests} signed polls per size")
    results = [run_size(args, n) for n in [0] + sizes]
    base = results[0]
    print(f"{'positions':>10} {'seed s':>7} {'start s':>8} {'(recover)':>9} {'restart s':>10} {'(recover)':>9} "
          f"{'RSS MB':>8} {'bytes/pos':>10} {'anon/pos':>9} {'polls':>6} {'poll p50 ms':>12} {'poll p99 ms':>12}")
    for r in results:
        per = (r["rss_kib"] - base["rss_kib"]) * 1024 / r["n"] if r["n"] else 0
        anon = (r["anon_kib"] - base["anon_kib"]) * 1024 / r["n"] if r["n"] else 0
        print(f"{r['n']:>10} {r['seed_s']:>7.1f} {r['start_s']:>8.2f} {r['recover_s']:>9.2f} {r['restart_s']:>10.2f} "
              f"{r['rerecover_s']:>9.2f} {r['rss_kib'] / 1024:>8.1f} {per:>10.0f} {anon:>9.0f} {r['polls']:>6} "
              f"{r['p50']:>12.3f} {r['p99']:>12.3f}")
    print("(start/restart: exec to listening; (recover): vigild's log, store ready -> recovered; restart is after "
          "SIGKILL)")
    for r in results:
        print(f"{r['n']:>10}: {re.sub(r'^.*?recovered', 'recovered', r['recovered'])}")
    first = results[1]
    for r in results[2:]:
        print(f"poll latency {r['n']} / {first['n']}: p50 {r['p50'] / first['p50']:.2f}x, "
              f"p99 {r['p99'] / first['p99']:.2f}x")


if __name__ == "__main__":
    main()
