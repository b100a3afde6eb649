"""Takeover time of a SIGKILLed host, over many kills (issue 15's benchmark).

Three vigild on one PostgreSQL, as tests/cluster/cluster_test.py runs them
(its Cluster, Postgres and Server are imported, not copied). Every shard
has clients; each round r has its own stop level, one open position per
client at it. A round: a host (in turn a, b, c, ...) is SIGKILLed, round r's
breaching bid is pushed to the survivors every 100 ms, and the takeover time
is kill to the first close command (its created_at in the store) for a
round-r position on the killed host's shards. The host is then restarted and
the round ends when the shards spread over the three hosts again.
Prints each round on stderr, then min/median/p90/max on stdout.
Usage: bench_takeover.py VIGILD VIGIL PLUGIN_DIR [--rounds N] [--lease-ms MS --heartbeat-ms MS]"""
import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "api"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "cluster"))
parser = argparse.ArgumentParser()
parser.add_argument("vigild")
parser.add_argument("vigil")
parser.add_argument("plugins")
parser.add_argument("--rounds", type=int, default=20)
parser.add_argument("--lease-ms", type=int, default=1500)
parser.add_argument("--heartbeat-ms", type=int, default=300)
ARGS = parser.parse_args()
sys.argv = [sys.argv[0], ARGS.vigild, ARGS.vigil, ARGS.plugins]  # cluster_test reads its binaries there
import cluster_test  # noqa: E402
from cluster_test import HOSTS, SHARDS, Cluster, now_ms, say, shard_of, wait_for  # noqa: E402
from vigil_client import Postgres, executed, new_device  # noqa: E402

cluster_test.LEASE_MS, cluster_test.HEARTBEAT_MS = ARGS.lease_ms, ARGS.heartbeat_ms  # Cluster's config reads them


def stop_level(round_):
    return f"{1.09 - 0.001 * round_:.5f}"


def breaching_bid(round_):
    return f"{1.09 - 0.001 * round_ - 0.0005:.5f}"


def clients_on_every_shard(cluster):
    """Clients created until each shard has one; returns (client id, device) pairs."""
    out, covered, server = [], set(), cluster.servers[HOSTS[0]]
    while len(covered) < SHARDS or len(out) < 2 * SHARDS:
        client = server.admin("POST", "/clients", {"name": f"bench-{len(out)}"}).json["client_id"]
        out.append((client, new_device(server, client)))
        covered.add(shard_of(client))
    return out


def open_positions(cluster, clients, rounds):
    """One position per client and round, opened at the broker through the EA calls.
    Returns round -> [(position id, client id)]."""
    server = cluster.servers[HOSTS[0]]
    by_round = {}
    for r in range(rounds):
        for client, _ in clients:
            answer = server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD", "side": "buy",
                                                       "volume": "1", "owner_sl": stop_level(r)})
            assert answer.status == 201, answer
            by_round.setdefault(r, []).extend((p["position_id"], client) for p in answer.json["positions"])
    pending = {pid for positions in by_round.values() for pid, _ in positions}
    deadline = time.monotonic() + 120
    while pending and time.monotonic() < deadline:
        for _, device in clients:
            poll = device.poll()
            for p in poll.json["positions"] if poll.status == 200 else []:
                if p["position_id"] in pending and device.ack(
                        executed(p["position_id"], "T-" + p["position_id"])).status == 200:
                    pending.discard(p["position_id"])
    assert not pending, f"{len(pending)} positions never opened"
    return by_round


def first_close_created(cluster, positions):
    created = []
    for pid, _ in positions:
        view = cluster.any_admin("GET", f"/positions/{pid}").json
        created += [c["created_at"] for c in view["close_commands"]]
    return min(created) if created else None


def one_round(cluster, r, positions):
    victim = HOSTS[r % len(HOSTS)]
    victim_shards = cluster.owned()[victim]
    watched = [(pid, client) for pid, client in positions if shard_of(client) in victim_shards]
    killed_at = now_ms()
    cluster.kill(victim)
    bid = breaching_bid(r)
    ask = f"{float(bid) + 0.00002:.5f}"

    def closed():
        for server in cluster.alive():
            server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": bid, "ask": ask})
        return first_close_created(cluster, watched) is not None
    assert wait_for(closed, 30), f"round {r}: no close command for {victim}'s shards {sorted(victim_shards)}"
    takeover = first_close_created(cluster, watched) - killed_at
    cluster.start(victim)
    rejoined_at = time.monotonic()
    assert wait_for(lambda: cluster.settled(HOSTS), 60), f"round {r}: no rebalance: {cluster.owned()}"
    say(f"round {r}: {victim} (shards {sorted(victim_shards)}, {len(watched)} positions) killed, "
        f"takeover {takeover} ms; rebalanced {time.monotonic() - rejoined_at:.1f} s after its restart")
    return takeover


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    tmp = tempfile.mkdtemp(prefix="vigil-bench-cluster-")
    key_file = os.path.join(tmp, "master.key")
    with open(key_file, "w") as f:
        f.write(secrets.token_hex(32) + "\n")
    os.chmod(key_file, 0o600)
    postgres = Postgres()
    cluster = Cluster(postgres, key_file)
    try:
        for host in HOSTS:
            cluster.start(host)
        assert wait_for(lambda: cluster.settled(HOSTS), 20), f"shards never spread: {cluster.owned()}"
        clients = clients_on_every_shard(cluster)
        by_round = open_positions(cluster, clients, ARGS.rounds)
        say(f"{len(clients)} clients, {sum(map(len, by_round.values()))} open positions; "
            f"lease {ARGS.lease_ms} ms, heartbeat {ARGS.heartbeat_ms} ms")
        takeovers = [one_round(cluster, r, by_round[r]) for r in range(ARGS.rounds)]
        print(f"takeover over {len(takeovers)} kills (lease {ARGS.lease_ms} ms, heartbeat {ARGS.heartbeat_ms} ms, "
              f"{SHARDS} shards, 3 hosts): min {min(takeovers)} ms, median {statistics.median(takeovers):.0f} ms, "
              f"p90 {percentile(takeovers, 90)} ms, max {max(takeovers)} ms")
    finally:
        for server in cluster.servers.values():
            server.cleanup()
        postgres.stop()
        shutil.rmtree(tmp, True)


if __name__ == "__main__":
    main()
