"""A small file of what this EA executed at its broker, so that a restart
never trades a position or a close command twice.

Before an ack or close-ack is sent, its body is recorded here; when the
server has answered it, the entry is marked answered. A restarted EA that
is handed a position or command again finds it here and sends the
recorded body again instead of trading. Answered entries are kept (the
newest `keep_answered` of them) because a command fetched just before its
close-ack was answered can still arrive in a later list.

The file is JSON, rewritten whole on every change: written to
`<path>.tmp`, flushed to disk, then renamed over `<path>` (and the
directory synced), so a crash at any moment leaves either the old or the
new journal, never a torn one. A journal that cannot be read raises
JournalError rather than starting empty: an empty journal would trade
again. Not thread-safe; one process per file."""
import json
import os
import time

__all__ = ["Journal", "JournalError", "OPEN", "CLOSE"]

OPEN = "open"  # an ack of a position, keyed by position_id
CLOSE = "close"  # a close-ack of a command, keyed by command_id


class JournalError(Exception):
    """The journal file exists but cannot be read or written."""


class Journal:
    def __init__(self, path, keep_answered=1000):
        self.path = path
        self.keep_answered = keep_answered
        # "kind id" -> {"kind","id","body","answered","at"}, in the order
        # recorded (kept through the file's list), so never reordered by
        # a wall clock that stepped back.
        self._entries = self._load()

    def _load(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
            return {_key(e["kind"], e["id"]): e for e in data["entries"]}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise JournalError(f"journal {self.path} cannot be read: {e}") from e

    def get(self, kind, object_id):
        """The entry {"body", "answered", ...} recorded for that id, or None."""
        return self._entries.get(_key(kind, object_id))

    def record(self, kind, object_id, body):
        """Stores the body owed to the server; on disk when this returns."""
        self._entries[_key(kind, object_id)] = {"kind": kind, "id": object_id, "body": body, "answered": False,
                                                "at": int(time.time() * 1000)}
        self._save()

    def mark_answered(self, kind, object_id):
        entry = self._entries.get(_key(kind, object_id))
        if entry is None or entry["answered"]:
            return
        entry["answered"] = True
        answered = [e for e in self._entries.values() if e["answered"]]  # in the order recorded
        for old in answered[:max(0, len(answered) - self.keep_answered)]:
            del self._entries[_key(old["kind"], old["id"])]
        self._save()

    def unanswered(self):
        """(kind, id, body) of every recorded result the server has not
        answered yet, oldest first: what a restarted EA sends first."""
        return [(e["kind"], e["id"], e["body"]) for e in self._entries.values() if not e["answered"]]

    def _save(self):
        data = json.dumps({"version": 1, "entries": list(self._entries.values())}, separators=(",", ":"))
        temporary = self.path + ".tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, self.path)
            _sync_directory(os.path.dirname(os.path.abspath(self.path)))
        except OSError as e:
            raise JournalError(f"journal {self.path} cannot be written: {e}") from e


def _key(kind, object_id):
    return f"{kind} {object_id}"


def _sync_directory(directory):
    """Makes the rename itself durable (POSIX; a no-op where directories
    cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
