"""clients/python installs offline with pip (no index, no build isolation:
nothing fetched) and the installed copy imports and signs."""
import os
import subprocess
import sys
import tempfile
import unittest

import package_path


class OfflineInstall(unittest.TestCase):
    def test_pip_installs_the_package_offline_and_the_installed_copy_imports(self):
        with tempfile.TemporaryDirectory(prefix="vigil-pip-") as target, \
                tempfile.TemporaryDirectory(prefix="vigil-pip-cache-") as cache:
            install = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--no-index", "--no-build-isolation", "--no-cache-dir",
                 "--disable-pip-version-check", "--target", target, package_path.PACKAGE_DIR],
                capture_output=True, text=True, env=dict(os.environ, PIP_CACHE_DIR=cache))
            self.assertEqual(install.returncode, 0, install.stdout + install.stderr)
            probe = ("import vigil_api; print(vigil_api.__file__); print(vigil_api.signer.signature("
                     "'00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'GET', "
                     "'/api/v1/client/close-commands', 'wait=5', '1700000000000', 'nonce-0123456789_AB', b''))")
            # Run from the target, with no path to the source tree: only the installed copy can be found.
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            env["PYTHONPATH"] = target
            imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=target,
                                      env=env)
            self.assertEqual(imported.returncode, 0, imported.stderr)
            where, signature = imported.stdout.split()
            self.assertTrue(where.startswith(os.path.realpath(target)) or where.startswith(target), where)
            self.assertEqual(signature, "7a83a3c7819c0034faf51d8bd0be342e9fc7f52098c11c00308e64b834ce9b47")
            self.assertTrue(any(name.endswith(".dist-info") for name in os.listdir(target)))


if __name__ == "__main__":
    unittest.main(verbosity=2)
