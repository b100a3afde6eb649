"""The Debian package, built from the already-built tree with cpack and
extracted into a fresh root (issue 17 items 1-2): its layout, its declared
dependencies, its postinst, its systemd unit (systemd-analyze verify), and
the packaged binaries run from that root: --version, `vigil plugins` on the
packaged config, and vigild started exactly as the unit's ExecStart says
(credentials, state directory, notify socket), answering /healthz over
loopback, reloading on SIGHUP and stopping on SIGTERM; and vigild's
master key files (the credential, the config's secrets.master_key_file)
reaching the cipher.

The one liberty taken with ExecStart: `--listen 127.0.0.1:0`, so parallel
tests never fight over port 8080.

Usage: package_test.py BUILD_DIR SOURCE_DIR"""
import json
import os
import re
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

BUILD, SOURCE = (os.path.abspath(p) for p in sys.argv[1:3])
PLUGINS = sorted(d for d in os.listdir(os.path.join(SOURCE, "plugins"))
                 if d != "support" and os.path.exists(os.path.join(SOURCE, "plugins", d, "CMakeLists.txt")))
UNIT = "usr/lib/systemd/system/vigild.service"


def run(*args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)


def build_version():
    """The version the build tree's vigild reports: what the package must carry."""
    out = run(os.path.join(BUILD, "bin", "vigild"), "--version").stdout
    return re.fullmatch(r"vigild (\S+) \(plugin ABI (\d+\.\d+)\)\n", out).groups()


def text(path):
    with open(path) as f:
        return f.read()


def unit_settings(unit_text):
    settings = {}
    for line in unit_text.splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vigil-package-")
        cls.version, cls.abi = build_version()
        started = time.monotonic()
        built = run("cpack", "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake"),
                    "-B", os.path.join(cls.tmp, "out"))
        cls.cpack_seconds = time.monotonic() - started
        if built.returncode != 0:
            raise RuntimeError("cpack failed:\n" + built.stdout + built.stderr)
        cls.deb = os.path.join(cls.tmp, "out", f"vigil_{cls.version}_amd64.deb")
        cls.root = os.path.join(cls.tmp, "root")
        for args in (("-x", cls.deb, cls.root), ("-e", cls.deb, os.path.join(cls.tmp, "control"))):
            extracted = run("dpkg-deb", *args)
            if extracted.returncode != 0:
                raise RuntimeError("dpkg-deb " + args[0] + ": " + extracted.stderr)
        print(f"package: {os.path.getsize(cls.deb)} bytes, cpack {cls.cpack_seconds:.1f} s", file=sys.stderr)
        # What dpkg runs after unpacking, into the extracted root.
        cls.postinst = run("sh", os.path.join(cls.tmp, "control", "postinst"), "configure",
                           env=dict(os.environ, DPKG_ROOT=cls.root))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def path(self, relative):
        return os.path.join(self.root, relative)

    def env(self):
        """No plugin path from outside: the packaged binaries must find their own."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_") and k != "NOTIFY_SOCKET"}
        env["HOME"] = self.tmp
        return env

    # -- the package itself

    def test_the_package_carries_the_build_version_and_lays_out_everything(self):
        fields = run("dpkg-deb", "-f", self.deb, "Package", "Version", "Architecture").stdout
        self.assertEqual(fields, f"Package: vigil\nVersion: {self.version}\nArchitecture: amd64\n")
        expected = ["usr/bin/vigild", "usr/bin/vigil", UNIT, "usr/share/vigil/vigild.yaml",
                    "usr/share/vigil/schemas/sqlite/001_initial.sql", "usr/share/vigil/schemas/postgres/001_initial.sql",
                    "usr/share/vigil/schemas/api/admin-health.response.json", "usr/share/doc/vigil/README.md",
                    "usr/share/doc/vigil/examples/configs/default.yaml", "usr/include/vigil/abi.h",
                    "usr/lib/cmake/VigilSDK/VigilSDKConfig.cmake", "usr/share/doc/vigil-sdk/GUIDE.md", "usr/lib/vigil/console/index.html"]
        expected += [f"usr/lib/vigil/plugins/{plugin}.so" for plugin in PLUGINS]
        self.assertEqual([p for p in expected if not os.path.exists(self.path(p))], [])
        # Test plugins of the build tree are not shipped.
        self.assertEqual(sorted(os.listdir(self.path("usr/lib/vigil/plugins"))), [p + ".so" for p in PLUGINS])

    def test_depends_names_the_package_of_every_library_the_binaries_load(self):
        depends = run("dpkg-deb", "-f", self.deb, "Depends").stdout
        declared = {re.match(r"\s*([^\s(]+)", d).group(1) for d in depends.split(",")}
        binaries = [self.path("usr/bin/vigild"), self.path("usr/bin/vigil")]
        binaries += [self.path(f"usr/lib/vigil/plugins/{p}.so") for p in PLUGINS]
        needed_by = {}  # library file -> a binary that names it
        for binary in binaries:
            # The libraries it names itself (NEEDED), not theirs: those are
            # their packages' dependencies.
            direct = re.findall(r"\(NEEDED\)\s+Shared library: \[(\S+)\]", run("readelf", "-d", binary).stdout)
            loaded = run("ldd", binary).stdout
            resolved = dict(re.findall(r"^\s*(\S+) => (/\S+)", loaded, re.M))
            resolved.update((os.path.basename(p), p) for p in re.findall(r"^\s*(/\S+) \(", loaded, re.M))
            self.assertEqual([n for n in direct if n not in resolved], [], binary)
            for name in direct:
                needed_by.setdefault(resolved[name], os.path.basename(binary))
        # One dpkg -S for all (each call reads the whole database). dpkg
        # knows a file by the path its package ships, /lib or /usr/lib
        # (usrmerge), so both are asked.
        paths = sorted(set(needed_by) | {os.path.realpath(lib) for lib in needed_by})
        owners = {}
        for line in run("dpkg", "-S", *paths).stdout.splitlines():
            package, path = line.split(": ", 1)
            owners[path] = package.split(":")[0]
        needed = {}
        for lib, binary in needed_by.items():
            owner = owners.get(lib) or owners.get(os.path.realpath(lib))
            self.assertIsNotNone(owner, f"{binary}: no package owns {lib}")
            needed.setdefault(owner, binary)
        self.assertIn("libsodium23", needed)  # the check sees what it should
        missing = {pkg: binary for pkg, binary in needed.items() if pkg not in declared}
        self.assertEqual(missing, {}, "Depends: " + depends)

    def test_postinst_installs_the_config_and_creates_root_only_secrets_once(self):
        self.assertEqual(self.postinst.returncode, 0, self.postinst.stderr)
        etc = self.path("etc/vigil")
        with open(os.path.join(etc, "vigild.yaml")) as a, open(self.path("usr/share/vigil/vigild.yaml")) as b:
            self.assertEqual(a.read(), b.read())
        with open(os.path.join(etc, "master.key")) as f:
            key = f.read()
        self.assertRegex(key, r"^[0-9a-f]{64}\n$")
        with open(os.path.join(etc, "admin-token")) as f:
            self.assertRegex(f.read(), r"^[0-9a-f]{48}\n$")
        for name in ("master.key", "admin-token"):
            self.assertEqual(stat.S_IMODE(os.stat(os.path.join(etc, name)).st_mode), 0o600, name)
        again = run("sh", os.path.join(self.tmp, "control", "postinst"), "configure",
                    env=dict(os.environ, DPKG_ROOT=self.root))
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertNotIn("created", again.stdout)
        with open(os.path.join(etc, "master.key")) as f:
            self.assertEqual(f.read(), key)

    def test_systemd_analyze_verifies_the_unit(self):
        with open(self.path(UNIT)) as f:
            unit = f.read()
        settings = unit_settings(unit)
        self.assertEqual(settings["Type"], ["notify"])
        self.assertEqual(settings["ExecReload"], ["/bin/kill -HUP $MAINPID"])
        for key in ("NoNewPrivileges", "DynamicUser", "PrivateTmp"):
            self.assertEqual(settings[key], ["yes"], key)
        self.assertEqual(settings["ProtectSystem"], ["strict"])
        self.assertEqual(settings["StateDirectory"], ["vigil"])
        self.assertIn("RestrictAddressFamilies", settings)
        # verify checks that ExecStart's program exists: point it at the root's.
        checked = os.path.join(self.tmp, "verify", "vigild.service")
        os.makedirs(os.path.dirname(checked), exist_ok=True)
        with open(checked, "w") as f:
            f.write(unit.replace("/usr/bin/vigild", self.path("usr/bin/vigild")))
        verified = run("systemd-analyze", "verify", "--recursive-errors=no", "--man=no", checked)
        self.assertEqual((verified.returncode, verified.stdout + verified.stderr), (0, ""))

    # -- the packaged binaries, run from the root

    def test_both_binaries_print_the_version_and_the_plugin_abi(self):
        for binary in ("vigild", "vigil"):
            out = run(self.path("usr/bin/" + binary), "--version", env=self.env())
            self.assertEqual((out.returncode, out.stdout), (0, f"{binary} {self.version} (plugin ABI {self.abi})\n"))

    def test_vigil_plugins_loads_every_plugin_of_the_packaged_config_from_the_root(self):
        self.assertEqual(self.postinst.returncode, 0, self.postinst.stderr)
        out = run(self.path("usr/bin/vigil"), "plugins", "--config", self.path("etc/vigil/vigild.yaml"),
                  env=self.env())
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        for plugin in ("rule-sltp", "rule-drawdown", "store-sqlite", "cipher-sodium", "transport-http"):
            self.assertIn(self.path(f"usr/lib/vigil/plugins/{plugin}.so"), out.stdout)
        self.assertNotIn(BUILD, out.stdout)

    def exec_start(self, credentials, state):
        """The unit's ExecStart with systemd's specifiers filled in and its
        absolute paths moved into the root; LoadCredential= copied as
        systemd would."""
        with open(self.path(UNIT)) as f:
            settings = unit_settings(f.read())
        os.makedirs(credentials, exist_ok=True)
        for credential in settings["LoadCredential"]:
            name, source = credential.split(":", 1)
            shutil.copy(self.path(source.lstrip("/")), os.path.join(credentials, name))
        [command] = settings["ExecStart"]
        command = command.replace("%d", credentials).replace("%S/vigil", state)
        args = shlex.split(command)
        args = [self.path(a.lstrip("/")) if a.startswith(("/usr/", "/etc/")) else a for a in args]
        return args + ["--listen", "127.0.0.1:0"]

    def test_vigild_starts_as_the_unit_says_reloads_on_hup_and_stops_on_term(self):
        self.assertEqual(self.postinst.returncode, 0, self.postinst.stderr)
        credentials, state = os.path.join(self.tmp, "credentials"), os.path.join(self.tmp, "state")
        args = self.exec_start(credentials, state)
        notify_path = os.path.join(self.tmp, "notify")
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(notify_path)
        notify.settimeout(30)
        self.addCleanup(notify.close)
        log = open(os.path.join(self.tmp, "vigild.log"), "w+")
        self.addCleanup(log.close)
        vigild = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True,
                                  env=dict(self.env(), NOTIFY_SOCKET=notify_path))
        self.addCleanup(vigild.stdout.close)
        self.addCleanup(lambda: vigild.poll() is None and vigild.kill())

        line = vigild.stdout.readline()
        self.assertIn("listening on", line, text(log.name))
        base = line.split("listening on ")[1].strip()
        self.assertEqual(notify.recv(256), b"READY=1")

        with urllib.request.urlopen(base + "/healthz", timeout=10) as answer:
            health = json.load(answer)
        self.assertEqual((health["status"], health["version"]), ("ok", self.version))
        with urllib.request.urlopen(base + "/metrics", timeout=10) as answer:
            metrics = answer.read().decode()
        self.assertIn(f'vigil_build_info{{version="{self.version}",abi="{self.abi}"}} 1\n', metrics)
        # The admin API opened with the token from the credential.
        with open(os.path.join(credentials, "admin-token")) as f:
            token = f.read().strip()
        request = urllib.request.Request(base + "/api/v1/admin/health", headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(request, timeout=10) as answer:
            self.assertEqual(answer.status, 200)
        # The store lives in the state directory, keyed by the credential's master key.
        self.assertTrue(os.path.exists(os.path.join(state, "vigil.db")))
        self.assertFalse(os.path.exists(os.path.join(state, "master.key")))
        # transport-http found the packaged console beside its plugins' folder.
        self.assertIn("console: ", text(log.name))
        self.assertIn("files from " + self.path("usr/lib/vigil/console"), text(log.name))

        vigild.send_signal(signal.SIGHUP)  # systemctl reload
        self.assertEqual(notify.recv(256), b"RELOADING=1")
        self.assertEqual(notify.recv(256), b"READY=1")
        self.assertIsNone(vigild.poll())

        vigild.send_signal(signal.SIGTERM)  # systemctl stop
        self.assertEqual(notify.recv(256), b"STOPPING=1")
        self.assertEqual(vigild.wait(timeout=30), 0, text(log.name))

    def test_vigild_refuses_a_master_key_credential_it_cannot_use_naming_the_file(self):
        self.assertEqual(self.postinst.returncode, 0, self.postinst.stderr)
        credentials = os.path.join(self.tmp, "bad-credentials")
        args = self.exec_start(credentials, os.path.join(self.tmp, "bad-state"))
        with open(os.path.join(credentials, "master-key"), "w") as f:
            f.write("not a key\n")
        out = run(*args, env=self.env())
        self.assertNotEqual(out.returncode, 0)
        self.assertIn(os.path.join(credentials, "master-key"), out.stderr)

    def test_a_master_key_file_and_a_key_named_by_the_cipher_are_refused_together(self):
        self.assertEqual(self.postinst.returncode, 0, self.postinst.stderr)
        config = os.path.join(self.tmp, "key-env.yaml")
        with open(config, "w") as f:
            f.write(text(self.path("etc/vigil/vigild.yaml")).replace(
                "  plugin: cipher-sodium\n", "  plugin: cipher-sodium\n  options: {key_env: VIGIL_OTHER_KEY}\n"))
        out = run(self.path("usr/bin/vigild"), "--config", config, "--master-key-file",
                  self.path("etc/vigil/master.key"), env=self.env())
        self.assertEqual((out.returncode, out.stderr),
                         (1, "vigild: --master-key-file: the cipher's options already name its key (key_env): "
                             "give one or the other\n"))

    def test_the_configs_secrets_master_key_file_reaches_the_cipher(self):
        self.assertEqual(self.postinst.returncode, 0, self.postinst.stderr)
        key, config = os.path.join(self.tmp, "config-key"), os.path.join(self.tmp, "config-key.yaml")
        with open(key, "w") as f:
            f.write("not a key\n")
        os.chmod(key, 0o600)
        with open(config, "w") as f:
            f.write(text(self.path("etc/vigil/vigild.yaml")) + f"secrets: {{master_key_file: {key}}}\n")
        out = run(self.path("usr/bin/vigild"), "--config", config, "--data-dir", os.path.join(self.tmp, "s"),
                  env=self.env())
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("key file " + key, out.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
