"""Request signing for the EA API (docs/http-api.md).

Every EA request carries X-Device-Id, X-Timestamp (unix ms), X-Nonce and
X-Signature: the lowercase hex HMAC-SHA256, keyed with the device secret's
ASCII characters (all 64 hex digits, not the 32 bytes they spell), of

    METHOD \\n PATH \\n RAW_QUERY \\n TIMESTAMP \\n NONCE \\n hex(sha256(body))

The query is signed as sent, without '?'; an empty body hashes as the
empty string. Pure functions, safe from any thread."""
import hashlib
import hmac
import secrets
import time

__all__ = ["sha256_hex", "string_to_sign", "signature", "new_nonce", "signed_headers"]


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def string_to_sign(method: str, path: str, query: str, timestamp: str, nonce: str, body: bytes) -> str:
    return "\n".join([method, path, query, str(timestamp), nonce, sha256_hex(body)])


def signature(secret: str, method: str, path: str, query: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = string_to_sign(method, path, query, timestamp, nonce, body)
    return hmac.new(secret.encode("ascii"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def new_nonce() -> str:
    """32 hex digits from the OS's random source: the contract allows 16-64
    characters of [A-Za-z0-9_-], and a device must never repeat one within
    the server's window, so each is drawn fresh (128 bits)."""
    return secrets.token_hex(16)


def signed_headers(device_id: str, secret: str, method: str, path: str, query: str, body: bytes,
                   timestamp=None, nonce=None) -> dict:
    """The four authentication headers of one request. A request sent again
    must be signed again: the server refuses a nonce it has seen."""
    timestamp = str(timestamp if timestamp is not None else int(time.time() * 1000))
    nonce = nonce or new_nonce()
    return {
        "X-Device-Id": device_id,
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
        "X-Signature": signature(secret, method, path, query, timestamp, nonce, body),
    }
