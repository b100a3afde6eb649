"""Sending one result until the server has answered it.

An ack or close-ack is the EA's report of something already done at the
broker, so it must reach the server however long that takes. The server
answers a repeated ack or close-ack exactly as it answered the first, so
sending the same body again is always safe: after no answer (the request
may or may not have arrived), a 429, or a 5xx, the same body is sent again
after a pause (the server's Retry-After when it gave one, else a backoff).
A 2xx or any other 4xx is a definite answer and ends the loop."""
import time

from .errors import ApiError, TransportError

__all__ = ["Backoff", "send_until_answered"]


class Backoff:
    """Pauses of `first` seconds, doubling up to `most`."""

    def __init__(self, first=0.5, most=30.0):
        self.first = first
        self.most = most

    def pauses(self):
        pause = self.first
        while True:
            yield pause
            pause = min(pause * 2, self.most)


def send_until_answered(call, body, backoff=None, deadline=None, sleep=time.sleep, clock=time.monotonic,
                        on_retry=None):
    """call(body) until it returns (its result is returned) or raises a
    definite ApiError (raised). `deadline`: seconds after which the last
    transient error is raised instead of waiting again (None: keep trying,
    as an EA should). on_retry(error, pause) is told of every retry."""
    pauses = (backoff or Backoff()).pauses()
    give_up_at = None if deadline is None else clock() + deadline
    while True:
        try:
            return call(body)
        except ApiError as error:
            if not error.retryable:
                raise
            pause = error.retry_after if error.retry_after is not None else next(pauses)
            last = error
        except TransportError as error:
            pause = next(pauses)
            last = error
        if give_up_at is not None and clock() + pause > give_up_at:
            raise last
        if on_retry:
            on_retry(last, pause)
        sleep(pause)
