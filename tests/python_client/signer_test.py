"""The signer against signatures recorded elsewhere: the README's exchanges
(real requests vigild accepted, with the device secret it printed) and the
C++ reference client's vectors (tests/ea-client/signer_test.cpp)."""
import re
import unittest

import package_path  # noqa: F401
from vigil_api import signer

README_SECRET = "6b71330198788663d82e503c376a108b4f8688421d98189639c47417e36b4deb"
# (method, path, query, timestamp, nonce, body, X-Signature) from README.md "EA protocol".
README_EXCHANGES = [
    ("GET", "/api/v1/client/poll", "", "1795602481501", "4f56f3e7a8697d7448f04faa2c89af83", b"",
     "eaaaf836d8278cf59242dbdb765cb42456fc6d1b4c28494f29a32109c76730e4"),
    ("POST", "/api/v1/client/ack", "", "1795602481506", "70b7a509f8c7bcf22e42114f269dc528",
     b'{"actual_entry_price":"1.09998","broker_ticket":"5000000000","execution_id":"sim-5000000000",'
     b'"filled_volume":"1.00","position_id":"pos_b3ee76776c8147fd929271b82051eb76","status":"executed"}',
     "95f15f535c52ea126d337ad9ff1ff4d671759d637b43894b908e77533a1eebf5"),
    ("GET", "/api/v1/client/close-commands", "wait=10", "1795602474177", "7e412ba627588277cd9f26709d03270a", b"",
     "f22749943075337db6efd5c14fbae9fb24cc44aa8c16a4bd5cda8ccf58d906ce"),
    ("POST", "/api/v1/client/close-ack", "", "1795602475181", "bde2ae9203502838709800cf56d62771",
     b'{"actual_close_price":"1.08988","command_id":"cmd_f9277c4fca49851662bb1c8897a44c21","status":"executed"}',
     "b34c3f1899ef49a227767ef82bdd816d7cfbeab6d9da8ee37e962360ede1570e"),
]
CPP_SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"


class Signer(unittest.TestCase):
    def test_reproduces_every_signature_recorded_in_the_readme(self):
        for method, path, query, timestamp, nonce, body, expected in README_EXCHANGES:
            with self.subTest(path=path):
                self.assertEqual(signer.signature(README_SECRET, method, path, query, timestamp, nonce, body),
                                 expected)

    def test_reproduces_the_cpp_reference_clients_vectors(self):
        body = b'{"position_id":"pos_1","status":"executed"}'
        self.assertEqual(
            signer.signature(CPP_SECRET, "POST", "/api/v1/client/ack", "", "1700000000000", "nonce-0123456789_AB",
                             body), "01be90979012c25e9faa9c6f458a385b6b1870fcdd34c57c7ecc222985fa6c0f")
        self.assertEqual(
            signer.signature(CPP_SECRET, "GET", "/api/v1/client/close-commands", "wait=5", "1700000000000",
                             "nonce-0123456789_AB", b""),
            "7a83a3c7819c0034faf51d8bd0be342e9fc7f52098c11c00308e64b834ce9b47")

    def test_builds_the_string_to_sign_line_by_line_with_the_empty_bodys_hash(self):
        self.assertEqual(signer.string_to_sign("GET", "/p", "a=1", "5", "n", b""),
                         "GET\n/p\na=1\n5\nn\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

    def test_signed_headers_carry_the_device_the_given_time_and_nonce_and_their_signature(self):
        method, path, query, timestamp, nonce, body, expected = README_EXCHANGES[2]
        headers = signer.signed_headers("dev_aabcf5dbbf4fa1e34f47f60af35cecec", README_SECRET, method, path, query,
                                        body, int(timestamp), nonce)
        self.assertEqual(headers, {"X-Device-Id": "dev_aabcf5dbbf4fa1e34f47f60af35cecec", "X-Timestamp": timestamp,
                                   "X-Nonce": nonce, "X-Signature": expected})

    def test_signs_with_the_current_time_in_milliseconds_and_a_fresh_nonce_when_none_is_given(self):
        a = signer.signed_headers("d", CPP_SECRET, "GET", "/p", "", b"")
        b = signer.signed_headers("d", CPP_SECRET, "GET", "/p", "", b"")
        self.assertNotEqual(a["X-Nonce"], b["X-Nonce"])
        self.assertNotEqual(a["X-Signature"], b["X-Signature"])
        self.assertEqual(len(a["X-Timestamp"]), 13)

    def test_makes_nonces_of_the_contracts_alphabet_and_length_never_repeated(self):
        nonces = {signer.new_nonce() for _ in range(10000)}
        self.assertEqual(len(nonces), 10000)
        for nonce in list(nonces)[:100]:
            self.assertRegex(nonce, re.compile(r"^[A-Za-z0-9_-]{16,64}$"))

    def test_a_change_of_any_part_changes_the_signature(self):
        base = ("GET", "/p", "", "1", "nonce-0123456789_AB", b"")
        reference = signer.signature(CPP_SECRET, *base)
        for i, other in enumerate(["POST", "/q", "wait=1", "2", "nonce-0123456789_AC", b"x"]):
            changed = list(base)
            changed[i] = other
            self.assertNotEqual(signer.signature(CPP_SECRET, *changed), reference, other)
        self.assertNotEqual(signer.signature("0" * 64, *base), reference)


if __name__ == "__main__":
    unittest.main(verbosity=2)
