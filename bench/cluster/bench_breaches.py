"""Breaches per second with one host and with three (issue 15's coordination cost).

vigild on one PostgreSQL as tests/cluster/cluster_test.py runs them (its
Cluster imported, with one host or three; 8 shards, lease 1.5 s, heartbeat
0.3 s). Clients are spread over the shards, each position opened through
its device. Then one bid breaching every position is pushed to every host,
and the rate is positions / (last close command's created_at - the push);
also printed: when the bench's polling (every 100 ms) saw them all.
On two cores three hosts cannot be faster: the figure shows what leases,
fences and the change tail cost.
Usage: bench_breaches.py VIGILD VIGIL PLUGIN_DIR [--positions N]"""
import argparse
import os
import secrets
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "api"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "cluster"))
parser = argparse.ArgumentParser()
parser.add_argument("vigild")
parser.add_argument("vigil")
parser.add_argument("plugins")
parser.add_argument("--positions", type=int, default=1000)
ARGS = parser.parse_args()
sys.argv = [sys.argv[0], ARGS.vigild, ARGS.vigil, ARGS.plugins]  # cluster_test reads its binaries there
import cluster_test  # noqa: E402
from cluster_test import Cluster, now_ms, say, wait_for  # noqa: E402
from vigil_client import Postgres, executed, new_device  # noqa: E402

CLIENTS = 20


def open_book(cluster, hosts, positions):
    """CLIENTS clients, positions spread over them, all opened; signals through the hosts in turn."""
    clients = []
    for i in range(CLIENTS):
        server = cluster.servers[hosts[i % len(hosts)]]
        client = server.admin("POST", "/clients", {"name": f"bench-{i}"}).json["client_id"]
        clients.append((client, new_device(server, client)))
    pending = set()
    for i in range(positions):
        server = cluster.servers[hosts[i % len(hosts)]]
        answer = server.admin("POST", "/signals", {"client_id": clients[i % CLIENTS][0], "instrument": "EURUSD",
                                                   "side": "buy", "volume": "1", "owner_sl": "1.09000"})
        assert answer.status == 201, answer
        pending.update(p["position_id"] for p in answer.json["positions"])
    total = len(pending)
    while pending:
        for _, device in clients:
            poll = device.poll()
            for p in poll.json["positions"] if poll.status == 200 else []:
                if p["position_id"] in pending and device.ack(
                        executed(p["position_id"], "T-" + p["position_id"])).status == 200:
                    pending.discard(p["position_id"])
    return total


def close_commands_created(cluster):
    out, cursor = [], None
    while True:
        answer = cluster.any_admin("GET", "/close-commands?limit=1000" + (f"&cursor={cursor}" if cursor else ""))
        assert answer.status == 200, answer
        out += [c["created_at"] for c in answer.json["items"]]
        cursor = answer.json["next_cursor"]
        if not cursor:
            return out


def rate(hosts, key_file):
    cluster_test.HOSTS = hosts  # Cluster builds and checks these hosts
    postgres = Postgres()
    cluster = Cluster(postgres, key_file)
    try:
        for host in hosts:
            cluster.start(host)
        assert wait_for(lambda: cluster.settled(hosts), 20), f"shards never spread: {cluster.owned()}"
        total = open_book(cluster, hosts, ARGS.positions)
        say(f"{len(hosts)} host(s): {total} open positions")
        pushed_at = now_ms()
        for server in cluster.alive():
            server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": "1.08000", "ask": "1.08002"})
        assert wait_for(lambda: len(close_commands_created(cluster)) >= total, 60), "not every position breached"
        seen_ms = now_ms() - pushed_at
        spent_ms = max(close_commands_created(cluster)) - pushed_at
        per_second = total / max(spent_ms, 1) * 1000
        print(f"{len(hosts)} host(s): {total} breaches, the last close command created {spent_ms} ms after the push "
              f"({per_second:.0f} breaches/s), all seen in the store by {seen_ms} ms", flush=True)
        return per_second
    finally:
        for server in cluster.servers.values():
            server.cleanup()
        postgres.stop()


def main():
    tmp = tempfile.mkdtemp(prefix="vigil-bench-breaches-")
    key_file = os.path.join(tmp, "master.key")
    with open(key_file, "w") as f:
        f.write(secrets.token_hex(32) + "\n")
    os.chmod(key_file, 0o600)
    try:
        one = rate(("a",), key_file)
        three = rate(("a", "b", "c"), key_file)
        print(f"three hosts / one host: {three / one:.2f}")
    finally:
        shutil.rmtree(tmp, True)


if __name__ == "__main__":
    main()
