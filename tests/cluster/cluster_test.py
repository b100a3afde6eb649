"""Three vigild on one PostgreSQL (issue 15), checked from outside.

Hosts a, b and c (8 shards, lease 1.5 s, heartbeat 0.3 s) share one
PostgreSQL on loopback. Clients are created through all three; each has one
EA (a thread playing the terminal and its broker) homed on one host, moving
to the next when its host stops answering, as behind a load balancer. The
EAs poll, ack every execution with a broker ticket of their own, and
close-ack every close command they are given, recording each close at the
"broker": a second close command for one ticket is a duplicate. An operator
streams signals through all hosts; prices are pushed to every host alive
(prices are not replicated). Positions carry one of five stop levels; the
bid steps down one level per phase, so each phase breaches a wave:
  1. all three up: wave 1;
  2. the host owning the most clients SIGKILLed, then wave 2: its shards
     are taken over; the takeover time (kill to the first close command
     created for a position of its shards, by the store's created_at) is
     printed and must be under 5 s;
  3. it restarts and shards rebalance under wave 3 and the stream: no
     position breached meanwhile waits longer for its close command than
     the takeover took (the issue: no pause in breach detection longer
     than the takeover time);
  4. PostgreSQL stopped for a few seconds, wave 4 pushed meanwhile: every
     /healthz says 503 degraded, then every host reconnects by itself.
At the end: every breached position closed exactly once at the broker and
`closed` in the store with one executed close command, none of the
never-breached ones touched (zero lost, zero duplicated); `vigil audit
verify` passes; a nonce used on host a is refused on host b (401
replayed_nonce); `vigil cluster status` lists the three hosts. And vigild
on store-sqlite with a cluster section refuses to start, naming the store;
on two hosts, an EA's long-poll parked on the host that does not own its
client wakes with the command the owner commits on a breach; and a host
paused (SIGSTOP) past its lease issues no close when it resumes to a
breaching tick, the other having taken over and closed once.
Usage: cluster_test.py VIGILD VIGIL PLUGIN_DIR [TEST_NAME...]"""
import json
import os
import random
import re
import secrets
import shutil
import signal as signal_module
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import jsonschema

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from vigil_client import Device, Looping, Postgres, Server, executed, new_device, schema  # noqa: E402

VIGILD, VIGIL, PLUGINS = sys.argv[1:4]
HOSTS = ("a", "b", "c")
SHARDS, LEASE_MS, HEARTBEAT_MS = 8, 1500, 300
CLIENTS = 12
TAKEOVER_BOUND_MS = 5000  # the issue's: lease expiry plus rebuilding the books
LEVELS = ["1.09000", "1.08000", "1.07000", "1.06000"]  # wave k's stop loss (BUY: hit when bid <= it)
NEVER = "1.00000"  # a stop no bid of the test reaches
BIDS = ["1.10000", "1.08950", "1.07950", "1.06950", "1.05950"]  # phase k's bid: breaches waves 1..k


def now_ms():
    return int(time.time() * 1000)


def shard_of(client_id):
    """core/cluster/shard_map.hpp: FNV-1a 64 of the client id, mod shards."""
    h = 14695981039346656037
    for byte in client_id.encode():
        h = ((h ^ byte) * 1099511628211) % (1 << 64)
    return h % SHARDS


STARTED = time.monotonic()


def say(text):
    """A progress line on stderr, so a failure's log shows how far the scenario got."""
    print(f"[{time.monotonic() - STARTED:6.1f} s] {text}", file=sys.stderr, flush=True)


def wait_for(condition, seconds, every=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


class Cluster:
    """The three servers; `alive` are those the test has not killed."""

    def __init__(self, postgres, key_file):
        self.servers = {}
        for host in HOSTS:
            cluster_yaml = (f"cluster:\n  host_id: {host}\n  address: \"http://{host}.cluster.test:8081\"\n"
                            f"  shards: {SHARDS}\n  lease_ms: {LEASE_MS}\n  heartbeat_ms: {HEARTBEAT_MS}\n")
            self.servers[host] = Server(VIGILD, PLUGINS, extra_yaml=cluster_yaml, store="postgres",
                                        shared_postgres=postgres, cipher_options=f"{{key_file: {key_file}}}")
        self.lock = threading.Lock()
        self.dead = set()

    def alive(self):
        with self.lock:
            return [self.servers[h] for h in HOSTS if h not in self.dead]

    def kill(self, host):
        with self.lock:
            self.dead.add(host)
        self.servers[host].kill()

    def start(self, host):
        self.servers[host].start()
        with self.lock:
            self.dead.discard(host)

    def healthz(self, host):
        return self.servers[host].request("GET", "/healthz")

    def owned(self):
        """host -> the shards its /healthz says it owns, for the hosts alive."""
        out = {}
        for server in self.alive():
            host = next(h for h, s in self.servers.items() if s is server)
            try:
                out[host] = set(self.healthz(host).json["cluster"]["owned"])
            except (OSError, KeyError, TypeError):
                out[host] = set()
        return out

    def settled(self, hosts):
        """Every shard owned by exactly one of `hosts`, and each owns some."""
        owned = self.owned()
        if set(owned) != set(hosts) or any(not owned[h] for h in hosts):
            return False
        union = [s for h in hosts for s in owned[h]]
        return sorted(union) == list(range(SHARDS))

    def any_admin(self, method, path, body=None):
        for server in self.alive():
            try:
                return server.admin(method, path, body)
            except OSError:
                continue
        raise OSError("no host answers")


class Broker:
    """Every close executed at the simulated broker, by ticket."""

    def __init__(self):
        self.lock = threading.Lock()
        self.closes = {}  # broker ticket -> command ids executed for it

    def close(self, ticket, command_id):
        with self.lock:
            done = self.closes.setdefault(ticket, [])
            if command_id not in done:  # a command delivered again is the same close
                done.append(command_id)

    def duplicates(self):
        with self.lock:
            return {t: c for t, c in self.closes.items() if len(c) > 1}


class Failures:
    """Every 500 any host answered: a lost host or store is never one."""

    lock = threading.Lock()
    seen = []

    @classmethod
    def note(cls, what, answer):
        if answer.status >= 500 and answer.status != 503:
            with cls.lock:
                cls.seen.append(f"{what}: {answer.status} {answer.text[:200]}")
        return answer


class Ea(Looping):
    """One client's terminal and broker, homed on one host, moving on when
    it stops answering."""

    def __init__(self, cluster, broker, device_id, secret, home):
        super().__init__(0.2)
        self.cluster, self.broker = cluster, broker
        self.devices = [Device(cluster.servers[h], device_id, secret) for h in HOSTS]
        self.at = HOSTS.index(home)
        self.tickets = {}  # position id -> broker ticket, once executed at the broker
        self.acked = set()
        self.reported = set()
        self.commands = {}  # command id -> broker ticket

    def step(self):
        device = self.devices[self.at]
        try:
            self.serve(device)
        except OSError:
            self.at = (self.at + 1) % len(HOSTS)

    def serve(self, device):
        poll = Failures.note("poll", device.poll())
        for p in poll.json["positions"] if poll.status == 200 else []:
            self.tickets.setdefault(p["position_id"], "T-" + p["position_id"])
        for pid in set(self.tickets) - self.acked:
            if Failures.note("ack", device.ack(executed(pid, self.tickets[pid]))).status == 200:
                self.acked.add(pid)
        answer = Failures.note("close-commands", device.close_commands(wait=0))
        for c in answer.json["commands"] if answer.status == 200 else []:
            self.commands[c["command_id"]] = c["broker_ticket"]
            self.broker.close(c["broker_ticket"], c["command_id"])
        for command_id in set(self.commands) - self.reported:
            ack = Failures.note("close-ack", device.close_ack({"command_id": command_id, "status": "executed",
                                                               "actual_close_price": "1.05000"}))
            if ack.status == 200:
                self.reported.add(command_id)


class Operator(Looping):
    """Streams signals for random clients through the hosts in turn."""

    def __init__(self, cluster, clients):
        super().__init__(0.15)
        self.cluster, self.clients = cluster, clients
        self.accepted = set()
        self.turn = 0

    def step(self):
        servers = self.cluster.alive()
        self.turn += 1
        server = servers[self.turn % len(servers)]
        body = {"client_id": random.choice(self.clients), "instrument": "EURUSD", "side": "buy", "volume": "1",
                "owner_sl": random.choice(LEVELS + [NEVER])}
        try:
            answer = Failures.note("signal", server.admin("POST", "/signals", body))
        except OSError:
            return
        if answer.status == 201:
            self.accepted.update(p["position_id"] for p in answer.json["positions"])


class Pusher(Looping):
    """Pushes the phase's bid to every host alive every 150 ms; remembers
    when each bid was first pushed."""

    def __init__(self, cluster):
        super().__init__(0.15)
        self.cluster = cluster
        self.bid = BIDS[0]
        self.first_pushed = {}  # bid -> unix ms

    def set_bid(self, bid):
        self.bid = bid
        self.step()

    def step(self):
        bid = self.bid
        self.first_pushed.setdefault(bid, now_ms())
        ask = f"{float(bid) + 0.00002:.5f}"
        for server in self.cluster.alive():
            try:
                Failures.note("tick", server.admin("POST", "/ticks", {"instrument": "EURUSD", "bid": bid, "ask": ask}))
            except OSError:
                pass


class ThreeHosts(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="vigil-cluster-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.key_file = os.path.join(self.tmp, "master.key")
        with open(self.key_file, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        os.chmod(self.key_file, 0o600)

    def test_store_sqlite_refuses_a_cluster_config(self):
        server = Server(VIGILD, PLUGINS, extra_yaml="cluster:\n  host_id: a\n",
                        cipher_options=f"{{key_file: {self.key_file}}}")
        self.addCleanup(shutil.rmtree, server.dir, True)
        vigild = subprocess.Popen([VIGILD, "--config", server.config], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=server.env())
        try:
            out, err = vigild.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            vigild.kill()
            out, err = vigild.communicate()
            self.fail("vigild started on store-sqlite with a cluster section:\n" + out + err[-2000:])
        self.assertNotEqual(vigild.returncode, 0, out + err)
        self.assertIn("store-sqlite", err, err)
        self.assertNotIn("listening on", out)

    def test_cluster_status_refuses_a_config_without_a_cluster_and_a_store_without_leases(self):
        server = Server(VIGILD, PLUGINS, cipher_options=f"{{key_file: {self.key_file}}}")
        self.addCleanup(shutil.rmtree, server.dir, True)
        alone = subprocess.run([VIGIL, "cluster", "status", "--config", server.config], capture_output=True,
                               text=True, env=server.env())
        self.assertEqual(alone.returncode, 2, alone.stdout + alone.stderr)
        self.assertIn("has no cluster: section", alone.stderr)
        with open(server.config, "a") as f:
            f.write("cluster:\n  host_id: a\n")
        self.assertEqual(subprocess.run([VIGIL, "migrate", "--config", server.config], capture_output=True,
                                        env=server.env()).returncode, 0)
        sqlite = subprocess.run([VIGIL, "cluster", "status", "--config", server.config], capture_output=True,
                                text=True, env=server.env())
        self.assertEqual(sqlite.returncode, 2, sqlite.stdout + sqlite.stderr)
        self.assertIn("store-sqlite", sqlite.stderr)
        self.assertIn("keeps no leases", sqlite.stderr)
        self.assertEqual(sqlite.stdout, "")

    def test_three_hosts_lose_and_duplicate_nothing(self):
        postgres = Postgres()
        self.addCleanup(postgres.stop)
        cluster = Cluster(postgres, self.key_file)
        for host in HOSTS:
            self.addCleanup(cluster.servers[host].cleanup)
            cluster.start(host)
        self.assertTrue(wait_for(lambda: cluster.settled(HOSTS), 10),
                        f"the shards never spread over the three hosts: {cluster.owned()}")
        say(f"three hosts up, shards {cluster.owned()}")

        broker, eas, clients = Broker(), [], []
        for i in range(CLIENTS):
            host = HOSTS[i % 3]
            server = cluster.servers[host]
            client = server.admin("POST", "/clients", {"name": f"client-{i}"}).json["client_id"]
            device = server.admin("POST", f"/clients/{client}/devices", {"name": "terminal"})
            self.assertEqual(device.status, 201, device)
            clients.append(client)
            eas.append(Ea(cluster, broker, device.json["device_id"], device.json["device_secret"],
                          HOSTS[(i + 1) % 3]))
        operator, pusher = Operator(cluster, clients), Pusher(cluster)
        initial = self.initial_positions(cluster, clients)
        threads = eas + [operator, pusher]
        for t in threads:
            t.start()
        self.addCleanup(lambda: [t.stopped.set() for t in threads])
        self.assertTrue(wait_for(lambda: all(self.state(cluster, p) == "open" for p in initial), 15),
                        "the first positions were not all opened")

        say(f"{len(initial)} positions open")
        phase_times = {}
        phase_times[1] = self.breach(cluster, pusher, 1, initial)
        say("wave 1 closed")

        victim, victim_shards = self.pick_victim(cluster, clients)
        killed_at = now_ms()
        cluster.kill(victim)
        pusher.set_bid(BIDS[2])
        survivors = [h for h in HOSTS if h != victim]
        self.assertTrue(wait_for(lambda: cluster.settled(survivors), TAKEOVER_BOUND_MS / 1000 + 3),
                        f"{victim}'s shards were not taken over: {cluster.owned()}")
        self.wait_wave_closed(cluster, 2, initial)
        takeover_ms = self.takeover_ms(cluster, initial, victim_shards, killed_at)
        say(f"{victim} (shards {sorted(victim_shards)}) killed; wave 2 closed; takeover {takeover_ms} ms")
        phase_times[2] = pusher.first_pushed[BIDS[2]]
        takeovers = sum(cluster.healthz(h).json["cluster"]["takeovers"] for h in survivors)
        self.assertGreater(takeovers, 0, "no survivor counts a takeover")

        cluster.start(victim)
        pusher.set_bid(BIDS[3])
        phase_times[3] = pusher.first_pushed[BIDS[3]]
        rejoined = wait_for(lambda: cluster.settled(HOSTS), 15)
        self.assertTrue(rejoined, f"{victim} got no shard back after its restart: {cluster.owned()}")
        self.wait_wave_closed(cluster, 3, initial)
        say(f"{victim} restarted, wave 3 closed, shards {cluster.owned()}")
        time.sleep(2)  # the stream's breaches while the shards settle
        rejoin_ended = now_ms()
        # A breach of the rejoin must get its command before PostgreSQL stops,
        # or the outage, not the rejoin, would delay it.
        time.sleep(takeover_ms / 1000 + 0.5)

        self.store_restart(cluster, pusher, postgres)
        phase_times[4] = pusher.first_pushed[BIDS[4]]
        self.assertTrue(wait_for(lambda: cluster.settled(HOSTS), 15),
                        f"the shards did not settle after PostgreSQL's restart: {cluster.owned()}")
        say(f"PostgreSQL restarted, shards {cluster.owned()}")

        time.sleep(1)  # a last stretch of load
        operator.stopped.set()
        operator.join()
        self.wait_all_settled(cluster, eas)
        say("every position settled")
        for t in threads:
            t.stopped.set()
            t.join()
            self.assertIsNone(t.error, t)
        self.assertEqual(Failures.seen, [], "no answer is a 500, whichever host or store is down")
        positions = self.check_nothing_lost(cluster, broker, operator.accepted | set(initial))
        worst_rejoin, worst_detail = self.worst_detection(positions, phase_times, rejoin_ended)
        say(f"longest breach-to-command while {victim} rejoined: {worst_detail}")
        self.check_replay_across_hosts(cluster, eas[0])
        self.check_metrics(cluster)
        self.check_cluster_status(cluster)
        verify = subprocess.run([VIGIL, "audit", "verify", "--config", cluster.servers["a"].config],
                                capture_output=True, text=True, env=cluster.servers["a"].env())
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        for host in HOSTS:
            cluster.servers[host].stop()
        breached = sum(1 for p in positions.values() if p["owner_sl"] != NEVER)
        print(f"\n{len(positions)} positions ({breached} breached, closed once each), {victim} killed with "
              f"shards {sorted(victim_shards)}: takeover {takeover_ms} ms (kill to the first close command of "
              f"its shards), {takeovers} takeovers counted; longest breach-to-command while {victim} rejoined "
              f"{worst_rejoin} ms; {time.monotonic() - STARTED:.1f} s in all", file=sys.stderr)
        self.assertLess(takeover_ms, TAKEOVER_BOUND_MS)
        self.assertLessEqual(worst_rejoin, takeover_ms,
                             "breach detection paused longer than a takeover while the host rejoined: " + worst_detail)

    def test_a_long_poll_on_one_host_wakes_when_the_owner_commits_its_command(self):
        """An EA waits on a host that does not hold its client's shard; the
        breach is detected and its command committed by the owner, and the
        waiting host's change tail wakes the long-poll."""
        cluster, owner, waiter, device, position_id = self.two_hosts_and_an_open_position()

        answer = {}

        def wait():
            began = time.monotonic()
            answer["response"] = device.close_commands(wait=20)
            answer["at"] = time.monotonic()
            answer["seconds"] = answer["at"] - began
        waiting = threading.Thread(target=wait)
        waiting.start()
        time.sleep(0.5)  # parked on the waiter
        first_tick = time.monotonic()
        while waiting.is_alive() and time.monotonic() - first_tick < 10:
            # Until the owner has followed the ack and watches the position, a tick breaches nothing.
            cluster.servers[owner].admin("POST", "/ticks", {"instrument": "EURUSD", "bid": BIDS[1],
                                                            "ask": BIDS[1][:-1] + "7"})
            waiting.join(0.2)
        waiting.join()
        response = answer["response"]
        self.assertEqual(response.status, 200, response)
        self.assertEqual([c["position_id"] for c in response.json["commands"]], [position_id],
                         f"the wait on {waiter} ended after {answer['seconds']:.1f} s without the owner's command")
        self.assertLess(answer["seconds"], 15, "woken by the commit, not by the wait's end")
        say(f"a long-poll on {waiter} woken by {owner}'s command {answer['at'] - first_tick:.2f} s after the "
            "first breaching tick")

    def test_a_paused_host_issues_no_close_after_its_shards_were_taken_over(self):
        """The host holding a client's shard is paused (SIGSTOP) past its
        lease; the other takes the shard over and closes the breached
        position. A breaching tick sent to the paused host meanwhile is
        read when it resumes, with its engines still watching: it must
        not issue a second close (its lease ran out by its own clock, and
        the store would refuse its stale fence)."""
        cluster, paused, survivor, _, position_id = self.two_hosts_and_an_open_position()
        hosts = (paused, survivor)
        time.sleep(1)  # the owner follows the ack and watches the position

        os.kill(cluster.servers[paused].process.pid, signal_module.SIGSTOP)
        self.addCleanup(lambda: os.kill(cluster.servers[paused].process.pid, signal_module.SIGCONT))
        with cluster.lock:
            cluster.dead.add(paused)
        self.assertTrue(wait_for(lambda: cluster.settled([survivor]), 10),
                        f"{survivor} did not take the paused host's shards: {cluster.owned()}")
        breach = {"instrument": "EURUSD", "bid": BIDS[1], "ask": BIDS[1][:-1] + "7"}
        late = threading.Thread(target=lambda: cluster.servers[paused].admin("POST", "/ticks", breach))
        late.start()  # waits in the paused host's socket until it resumes
        commands = lambda: cluster.servers[survivor].admin("GET", f"/positions/{position_id}").json["close_commands"]

        def breached_on_survivor():
            # Pushed until the survivor, done taking the shard over, watches the position.
            cluster.servers[survivor].admin("POST", "/ticks", breach)
            return len(commands()) == 1
        self.assertTrue(wait_for(breached_on_survivor, 10, every=0.2),
                        "the survivor did not close the breached position")

        os.kill(cluster.servers[paused].process.pid, signal_module.SIGCONT)
        late.join(10)
        self.assertFalse(late.is_alive(), "the resumed host never answered the tick sent while it was paused")
        time.sleep(1.5)  # what the resumed host would do with the breach, done
        self.assertEqual([c["command_id"] for c in commands()], [commands()[0]["command_id"]],
                         "one close command: the resumed host issued none")
        with cluster.lock:
            cluster.dead.discard(paused)
        self.assertTrue(wait_for(lambda: cluster.settled(hosts), 10),
                        f"the resumed host did not rejoin: {cluster.owned()}")
        say(f"{paused} paused past its lease, {survivor} took over and closed once; {paused} resumed and rejoined")

    def two_hosts_and_an_open_position(self):
        """Hosts a and b on one PostgreSQL (c never started), shards
        settled; a client whose EA is served by the host that does not own
        its shard, with one position open (stop LEVELS[0]). Returns
        (cluster, the owner, the other host, the EA, the position id)."""
        postgres = Postgres()
        self.addCleanup(postgres.stop)
        cluster = Cluster(postgres, self.key_file)
        hosts = HOSTS[:2]
        cluster.dead.update(set(HOSTS) - set(hosts))  # never started
        for host in hosts:
            self.addCleanup(cluster.servers[host].cleanup)
            cluster.start(host)
        self.assertTrue(wait_for(lambda: cluster.settled(hosts), 10), f"shards never settled: {cluster.owned()}")
        owned = cluster.owned()
        client = cluster.servers["a"].admin("POST", "/clients", {"name": "two hosts"}).json["client_id"]
        owner = next(h for h in hosts if shard_of(client) in owned[h])
        other = next(h for h in hosts if h != owner)
        device = new_device(cluster.servers[other], client)
        signal = cluster.servers[owner].admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD",
                                                                   "side": "buy", "volume": "1",
                                                                   "owner_sl": LEVELS[0]})
        self.assertEqual(signal.status, 201, signal)
        position_id = signal.json["positions"][0]["position_id"]
        self.assertTrue(wait_for(lambda: device.poll().json["positions"], 5), "the EA never saw its position")
        self.assertEqual(device.ack(executed(position_id, "7001")).status, 200)
        return cluster, owner, other, device, position_id

    # --- phases

    def initial_positions(self, cluster, clients):
        """One position per client and level (waves 1-4 and never), through the hosts in turn.
        Returns position id -> its stop level."""
        out = {}
        for i, client in enumerate(clients):
            for j, level in enumerate(LEVELS + [NEVER]):
                server = cluster.servers[HOSTS[(i + j) % 3]]
                answer = server.admin("POST", "/signals", {"client_id": client, "instrument": "EURUSD",
                                                           "side": "buy", "volume": "1", "owner_sl": level})
                self.assertEqual(answer.status, 201, answer)
                out.update({p["position_id"]: level for p in answer.json["positions"]})
        return out

    def breach(self, cluster, pusher, wave, initial):
        pusher.set_bid(BIDS[wave])
        self.wait_wave_closed(cluster, wave, initial)
        return pusher.first_pushed[BIDS[wave]]

    def wait_wave_closed(self, cluster, wave, initial):
        wave_positions = [p for p, level in initial.items() if level == LEVELS[wave - 1]]
        if not wait_for(lambda: all(self.state(cluster, p) == "closed" for p in wave_positions), 15, every=0.3):
            stuck = {p: self.state(cluster, p) for p in wave_positions if self.state(cluster, p) != "closed"}
            self.fail(f"wave {wave}: {len(stuck)} positions not closed: {stuck}\n" + self.logs(cluster))

    def pick_victim(self, cluster, clients):
        """The host whose shards hold the most clients, and those shards."""
        owned = cluster.owned()
        victim = max(HOSTS, key=lambda h: sum(1 for c in clients if shard_of(c) in owned[h]))
        self.assertTrue(any(shard_of(c) in owned[victim] for c in clients), f"no client on any host: {owned}")
        return victim, owned[victim]

    def takeover_ms(self, cluster, initial, victim_shards, killed_at):
        """Kill to the first close command created for a wave-2 position of the killed host's shards."""
        created = []
        for pid, level in initial.items():
            if level != LEVELS[1]:
                continue
            view = cluster.any_admin("GET", f"/positions/{pid}").json
            if shard_of(view["client_id"]) in victim_shards:
                created += [c["created_at"] for c in view["close_commands"]]
        self.assertTrue(created, "no wave-2 position sat on the killed host's shards")
        return min(created) - killed_at

    def store_restart(self, cluster, pusher, postgres):
        """PostgreSQL stopped ~4 s with wave 4 pushed meanwhile: every host degraded, then back by itself."""
        postgres.halt()
        halted = True

        def restart():
            if halted:
                postgres.start()
        self.addCleanup(restart)
        pusher.set_bid(BIDS[4])
        for host in HOSTS:
            self.assertTrue(wait_for(lambda: cluster.healthz(host).status == 503, 5),
                            f"{host}'s /healthz did not say degraded while PostgreSQL was down")
            degraded = cluster.healthz(host).json
            self.assertEqual(degraded["status"], "degraded", degraded)
        time.sleep(2)
        postgres.start()
        halted = False
        for host in HOSTS:
            self.assertTrue(wait_for(lambda: cluster.healthz(host).status == 200, 15),
                            f"{host} did not recover after PostgreSQL's restart: {cluster.healthz(host).json}")

    def wait_all_settled(self, cluster, eas):
        """Every position delivered, acked, and breached ones closed with their close-acks in."""
        def settled():
            if any(set(ea.commands) - ea.reported or set(ea.tickets) - ea.acked for ea in eas):
                return False
            return all(p["state"] == ("open" if p["owner_sl"] == NEVER else "closed")
                       for p in self.all_positions(cluster))
        if not wait_for(settled, 20, every=0.5):
            left = [p for p in self.all_positions(cluster)
                    if p["state"] != ("open" if p["owner_sl"] == NEVER else "closed")]
            self.fail(f"{len(left)} positions did not settle, e.g. {left[:3]}\n" + self.logs(cluster))

    # --- checks

    def check_nothing_lost(self, cluster, broker, accepted):
        """Each breached position: closed, one executed sl_hit command, closed once at the broker.
        Each never-breached one: open, untouched. Returns position id -> its detail."""
        listed = {p["position_id"] for p in self.all_positions(cluster)}
        self.assertLessEqual(accepted, listed, "an accepted signal's position is missing from the store")
        positions = {pid: cluster.any_admin("GET", f"/positions/{pid}").json for pid in listed}
        self.assertEqual(broker.duplicates(), {}, "a ticket was closed twice at the broker")
        for pid, view in positions.items():
            ticket = "T-" + pid
            if view["owner_sl"] == NEVER:
                self.assertEqual((view["state"], view["close_commands"]), ("open", []), view)
                self.assertNotIn(ticket, broker.closes)
                continue
            self.assertEqual(view["state"], "closed", view)
            self.assertEqual(view["broker_ticket"], ticket, view)
            [command] = view["close_commands"]  # exactly one: none lost, none duplicated
            self.assertEqual((command["status"], command["reason"]), ("executed", "sl_hit"), view)
            self.assertEqual(broker.closes.get(ticket), [command["command_id"]], view)
        return positions

    def worst_detection(self, positions, phase_times, rejoin_ended):
        """The longest wait from a breach (its bid pushed, or its position opened, whichever came
        last) to its close command, over positions breached from the killed host's restart to the
        end of the rejoin; with a sentence on that position."""
        worst, detail = 0, "none breached"
        for view in positions.values():
            if view["owner_sl"] == NEVER:
                continue
            wave = LEVELS.index(view["owner_sl"]) + 1
            first_bid = min(t for phase, t in phase_times.items() if phase >= wave)
            breached_at = max(first_bid, view["opened_at"])
            waited = view["close_commands"][0]["created_at"] - breached_at
            if phase_times[3] <= breached_at <= rejoin_ended and waited >= worst:
                worst = waited
                detail = (f"{view['position_id']} of shard {shard_of(view['client_id'])}, breached "
                          f"{breached_at - phase_times[3]} ms after the restart, its close command {waited} ms later")
        return worst, detail

    def check_replay_across_hosts(self, cluster, ea):
        """The same signed request, nonce and all, sent to a then b: b refuses it."""
        nonce, timestamp = secrets.token_hex(16), now_ms()
        on_a = ea.devices[0].call("GET", "poll", nonce=nonce, timestamp=timestamp)
        self.assertEqual(on_a.status, 200, on_a)
        on_b = ea.devices[1].call("GET", "poll", nonce=nonce, timestamp=timestamp)
        self.assertEqual((on_b.status, on_b.json["error"]["code"]), (401, "replayed_nonce"), on_b)

    def check_metrics(self, cluster):
        jsonschema.validate(cluster.servers["a"].admin("GET", "/health").json, schema("admin-health.response"))
        health = cluster.healthz("a").json["cluster"]
        self.assertEqual(health["host_id"], "a", health)
        self.assertEqual(health["shards"], SHARDS, health)
        self.assertEqual(health["hosts_alive"], 3, health)
        self.assertLess(health["lease_renewed_ms_ago"], LEASE_MS, health)
        metrics = cluster.servers["a"].request("GET", "/metrics").text
        for name in ("vigil_cluster_owned_shards", "vigil_cluster_takeovers_total",
                     "vigil_cluster_lease_renewed_seconds_ago", "vigil_cluster_hosts_alive",
                     "vigil_cluster_changes_behind"):
            self.assertRegex(metrics, rf"(?m)^{name}(\{{[^}}]*\}})? [0-9.e+-]+$", name)

    def check_cluster_status(self, cluster):
        server = cluster.servers["a"]
        text = subprocess.run([VIGIL, "cluster", "status", "--config", server.config], capture_output=True,
                              text=True, env=server.env())
        self.assertEqual(text.returncode, 0, text.stdout + text.stderr)
        for host in HOSTS:
            self.assertRegex(text.stdout, rf"(?m)^{host} +http://{host}\.cluster\.test:8081 ", text.stdout)
        as_json = subprocess.run([VIGIL, "cluster", "status", "--config", server.config, "--json"],
                                 capture_output=True, text=True, env=server.env())
        self.assertEqual(as_json.returncode, 0, as_json.stderr)
        status = json.loads(as_json.stdout)
        self.assertEqual(sorted(h["id"] for h in status["hosts"]), list(HOSTS), status)
        self.assertEqual([lease["shard"] for lease in status["leases"]], list(range(SHARDS)), status)
        owners = {lease["owner"] for lease in status["leases"] if lease["expires_in_ms"] > 0}
        self.assertEqual(owners, set(HOSTS), status)

    # --- reading the store

    def state(self, cluster, position_id):
        try:
            return cluster.any_admin("GET", f"/positions/{position_id}").json["state"]
        except OSError:
            return None

    def all_positions(self, cluster):
        out, cursor = [], None
        while True:
            answer = cluster.any_admin("GET", "/positions?limit=1000" + (f"&cursor={cursor}" if cursor else ""))
            self.assertEqual(answer.status, 200, answer)
            out += answer.json["items"]
            cursor = answer.json["next_cursor"]
            if not cursor:
                return out

    def logs(self, cluster):
        text = ""
        for host, server in cluster.servers.items():
            path = os.path.join(server.dir, "vigild.log")
            if os.path.exists(path):
                with open(path, errors="replace") as log:
                    lines = [line for line in log if re.search(r"(ERROR|WARN|error|warn)", line)]
                text += f"--- {host}'s log, last warnings and errors:\n" + "".join(lines[-15:])
        return text


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[4:])
