"""The at-least-once discipline of an EA loop, in one object.

For each position from poll() and each command from close_commands():
  1. if the journal holds a result for its id, that result is sent again
     (the broker is not asked a second time);
  2. otherwise `execute` trades at the broker and returns the body to
     report (executed_ack / rejected_ack, executed_close / failed_close);
     the body is journaled before it is sent;
  3. the body is sent until the server answers (delivery.py), and the
     entry is marked answered.
A definite refusal (a 4xx other than 401/403/429) is marked answered too,
since sending it again would get the same refusal, and is raised; 401 and
403 leave the entry waiting (the device's credentials or clock are at
fault, not the result). What is left unprotected: a crash after the
broker traded and before the journal was written; an EA closes by ticket,
so a second close of a closed ticket fails at the broker, but a second
open would not, so check the terminal's positions (positions_snapshot)
after a crash."""
import time

from .delivery import send_until_answered
from .errors import ApiError
from .journal import CLOSE, OPEN

__all__ = ["Executor"]


class Executor:
    def __init__(self, ea, journal, backoff=None, deadline=None, sleep=time.sleep, on_retry=None):
        self.ea = ea
        self.journal = journal
        self._options = dict(backoff=backoff, deadline=deadline, sleep=sleep, on_retry=on_retry)

    def resend_unanswered(self):
        """Sends every journaled result the server has not answered yet
        (call once at start): returns [(kind, id, answer or ApiError)]."""
        results = []
        for kind, object_id, body in self.journal.unanswered():
            try:
                results.append((kind, object_id, self._deliver(kind, object_id, body)))
            except ApiError as refused:
                results.append((kind, object_id, refused))
        return results

    def open(self, position, execute):
        """Executes a polled position once: execute(position) -> ack body.
        Returns the server's answer to the ack."""
        return self._once(OPEN, position["position_id"], position, execute)

    def close(self, command, execute):
        """Executes a close command once: execute(command) -> close-ack
        body. Returns the server's answer to the close-ack."""
        return self._once(CLOSE, command["command_id"], command, execute)

    def already_executed(self, kind, object_id):
        return self.journal.get(kind, object_id) is not None

    def _once(self, kind, object_id, item, execute):
        entry = self.journal.get(kind, object_id)
        if entry is not None:
            body = entry["body"]
        else:
            body = execute(item)
            self.journal.record(kind, object_id, body)
        return self._deliver(kind, object_id, body)

    def _deliver(self, kind, object_id, body):
        call = self.ea.ack if kind == OPEN else self.ea.close_ack
        try:
            answer = send_until_answered(call, body, **self._options)
        except ApiError as refused:
            if not refused.retryable and refused.status not in (401, 403):
                self.journal.mark_answered(kind, object_id)
            raise
        self.journal.mark_answered(kind, object_id)
        return answer
