"""The errors every call raises (docs/http-api.md, "Errors").

An answer other than 2xx becomes an ApiError subclass chosen by its status,
carrying the contract's error body: `code` (snake_case), `message`, and
`request_id` when the server gave one (500). 429 and 503 carry
`retry_after`, the seconds the server asked the client to wait. No answer
at all (refused, reset, timed out) is a TransportError: the request may or
may not have reached the server."""
import email.utils
import json
import time

__all__ = [
    "VigilError", "TransportError", "ApiError", "BadRequest", "Unauthorized", "Forbidden", "NotFound",
    "Conflict", "PayloadTooLarge", "RateLimited", "ServerError", "Unavailable", "error_from_response",
    "parse_retry_after",
]


class VigilError(Exception):
    """Base of every error this package raises."""


class TransportError(VigilError):
    """No answer came back: the connection failed or timed out."""


class ApiError(VigilError):
    """The server answered with a status other than 2xx."""

    def __init__(self, status, code, message, retry_after=None, request_id=None, response=None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.request_id = request_id
        self.response = response

    @property
    def retryable(self):
        """True when the same request may be answered differently later
        (429, 5xx); any other 4xx is the server's definite answer."""
        return self.status == 429 or self.status >= 500


class BadRequest(ApiError):
    """400: validation failed; the message names the field."""


class Unauthorized(ApiError):
    """401: missing or bad credentials, stale timestamp, replayed nonce."""


class Forbidden(ApiError):
    """403."""


class NotFound(ApiError):
    """404: no such object, or another device's (never revealed)."""


class Conflict(ApiError):
    """409: e.g. conflicting_ack, not_delivered."""


class PayloadTooLarge(ApiError):
    """413: the body is over the server's limit."""


class RateLimited(ApiError):
    """429: wait `retry_after` seconds."""


class ServerError(ApiError):
    """5xx other than 503: `request_id` names it in the server's log."""


class Unavailable(ServerError):
    """503: a dependency (the store) cannot serve now; wait `retry_after`."""


_BY_STATUS = {400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict,
              413: PayloadTooLarge, 429: RateLimited, 503: Unavailable}


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP
    date), or None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def error_from_response(response):
    """The ApiError for a non-2xx Response. A body that is not the
    contract's error object (a proxy's page, say) still gives an error,
    with code 'http_<status>' and the body's start as the message."""
    code, message, request_id = f"http_{response.status}", "", None
    try:
        error = json.loads(response.body)["error"]
        code, message = str(error["code"]), str(error["message"])
        request_id = error.get("request_id")
    except (ValueError, KeyError, TypeError):
        message = response.body[:200].decode("utf-8", "replace") or f"HTTP {response.status}"
    if response.status in _BY_STATUS:
        kind = _BY_STATUS[response.status]
    elif response.status >= 500:
        kind = ServerError
    else:
        kind = ApiError
    return kind(response.status, code, message, parse_retry_after(response.headers.get("retry-after")),
                request_id, response)
