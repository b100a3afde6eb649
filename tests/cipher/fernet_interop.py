#!/usr/bin/env python3
"""Fernet tokens both ways between `vigil cipher` and Python's cryptography.

Without --context the key file's Fernet key is used as it is, so tokens are
plain Fernet. With --context the per-client key is HKDF-SHA256 of the master
key (plugins/cipher-fernet/README.md), which Python derives here on its own:
the README's formula is the contract, not vigil's code.

Usage: fernet_interop.py --vigil build/bin/vigil   (exit 0 when all pass)
"""
import argparse
import base64
import os
import struct
import subprocess
import sys
import tempfile

try:
    from cryptography.fernet import Fernet, InvalidToken
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
except ImportError:
    sys.exit(f"{sys.executable} has no 'cryptography' module: install python3-cryptography")

PLAINTEXTS = [b"hello", b"", '{"note":"caf\u00e9 \u2192 \U0001f4c8"}'.encode(), bytes(range(256)), b"x" * 70000]


def client_key(master_key: bytes, context: str, field: str = "payload") -> bytes:
    raw = base64.urlsafe_b64decode(master_key)
    ctx, fld = context.encode(), field.encode()
    info = b"vigil-fernet-v1\x00" + struct.pack(">I", len(ctx)) + ctx + struct.pack(">I", len(fld)) + fld
    return base64.urlsafe_b64encode(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(raw))


class Vigil:
    def __init__(self, binary: str, key_file: str):
        self.binary, self.key_file = binary, key_file

    def run(self, mode: str, data: bytes, context: str = None) -> subprocess.CompletedProcess:
        argv = [self.binary, "cipher", mode, "--plugin", "cipher-fernet", "--key-file", self.key_file]
        if context is not None:
            argv += ["--context", context]
        return subprocess.run(argv, input=data, capture_output=True, timeout=30)

    def encrypt(self, data: bytes, context: str = None) -> bytes:
        result = self.run("encrypt", data, context)
        check(result.returncode == 0, f"vigil cipher encrypt failed: {result.stderr.decode()}")
        return result.stdout.strip()

    def decrypt(self, token: bytes, context: str = None) -> bytes:
        result = self.run("decrypt", token, context)
        check(result.returncode == 0, f"vigil cipher decrypt failed: {result.stderr.decode()}")
        return result.stdout


failures = []


def check(condition: bool, message: str) -> None:
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def expect_refused(vigil: Vigil, token: bytes, context: str, what: str) -> None:
    result = vigil.run("decrypt", token, context)
    check(result.returncode == 1, f"{what}: exit {result.returncode}, expected 1")
    check(result.stdout == b"", f"{what}: wrote to stdout")
    check(result.stderr.count(b"\n") == 1, f"{what}: stderr is not one line: {result.stderr!r}")


def python_to_vigil(vigil: Vigil, key: bytes) -> None:
    for plaintext in PLAINTEXTS:
        check(vigil.decrypt(Fernet(key).encrypt(plaintext)) == plaintext, f"python -> vigil, {len(plaintext)} bytes")
        token = Fernet(client_key(key, "client-42")).encrypt(plaintext)
        check(vigil.decrypt(token, "client-42") == plaintext, f"python -> vigil --context, {len(plaintext)} bytes")


def vigil_to_python(vigil: Vigil, key: bytes) -> None:
    for plaintext in PLAINTEXTS:
        check(Fernet(key).decrypt(vigil.encrypt(plaintext), ttl=60) == plaintext, f"vigil -> python, {len(plaintext)} bytes")
        token = vigil.encrypt(plaintext, "client-42")
        check(Fernet(client_key(key, "client-42")).decrypt(token) == plaintext,
              f"vigil --context -> python, {len(plaintext)} bytes")


def refusals(vigil: Vigil, key: bytes) -> None:
    expect_refused(vigil, Fernet(client_key(key, "client-42")).encrypt(b"x"), "client-43", "another client's token")
    expect_refused(vigil, Fernet(Fernet.generate_key()).encrypt(b"x"), None, "a token of another key")
    expect_refused(vigil, Fernet(key).encrypt_at_time(b"x", 2**40), None, "a token from the far future")
    try:
        Fernet(client_key(key, "client-43")).decrypt(vigil.encrypt(b"x", "client-42"))
        check(False, "python decrypted client-42's token with client-43's key")
    except InvalidToken:
        pass


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vigil", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        key = Fernet.generate_key()
        key_file = os.path.join(tmp, "fernet.key")
        with open(os.open(key_file, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as f:
            f.write(key + b"\n")
        vigil = Vigil(args.vigil, key_file)
        python_to_vigil(vigil, key)
        vigil_to_python(vigil, key)
        refusals(vigil, key)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
