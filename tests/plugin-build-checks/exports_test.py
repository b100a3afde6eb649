"""Every plugin library exports `vigil_plugin_v1` and nothing else, and is
unmapped again when the last handle to it is closed. Usage:
    exports_test.py PLUGIN_DIR [MORE_PLUGIN.so ...]"""
import ctypes
import glob
import os
import subprocess
import sys
import unittest

PLUGIN_DIR, MORE = sys.argv[1], sys.argv[2:]
ENTRY = "vigil_plugin_v1"


def plugins():
    found = sorted(glob.glob(os.path.join(PLUGIN_DIR, "*.so"))) + MORE
    assert len(found) >= 10, f"expected the shipped plugins in {PLUGIN_DIR}, found {found}"
    return found


def exported(path):
    out = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True, check=True).stdout
    return sorted(line.split()[-1] for line in out.splitlines() if line.strip())


def mapped(path):
    real = os.path.realpath(path)
    with open("/proc/self/maps") as maps:
        return any(line.rstrip().endswith(real) for line in maps)


class Exports(unittest.TestCase):
    def test_each_plugin_exports_only_its_entry_symbol(self):
        for path in plugins():
            with self.subTest(plugin=os.path.basename(path)):
                self.assertEqual(exported(path), [ENTRY])

    def test_each_plugin_is_unmapped_when_closed(self):
        libdl = ctypes.CDLL(None)
        libdl.dlopen.restype = ctypes.c_void_p
        libdl.dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
        libdl.dlclose.argtypes = [ctypes.c_void_p]
        rtld_now = 2
        for path in plugins():
            with self.subTest(plugin=os.path.basename(path)):
                handle = libdl.dlopen(path.encode(), rtld_now)
                self.assertTrue(handle, f"dlopen {path} failed")
                self.assertTrue(mapped(path))
                self.assertEqual(libdl.dlclose(handle), 0)
                self.assertFalse(mapped(path), "still mapped after dlclose: a unique or nodelete symbol pins it")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
