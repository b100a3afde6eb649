"""The journal of executed results: on disk when record() returns, the
old file intact after a crash between the write and the rename, a torn
or unreadable file refused rather than read as empty."""
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

import package_path
from vigil_api import CLOSE, OPEN, Journal, JournalError


class JournalFile(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="vigil-journal-")
        self.addCleanup(self.dir.cleanup)
        self.path = os.path.join(self.dir.name, "journal.json")

    def test_a_recorded_result_is_read_back_by_a_new_journal(self):
        Journal(self.path).record(CLOSE, "cmd_1", {"command_id": "cmd_1", "status": "executed"})
        again = Journal(self.path)
        self.assertEqual(again.get(CLOSE, "cmd_1")["body"], {"command_id": "cmd_1", "status": "executed"})
        self.assertFalse(again.get(CLOSE, "cmd_1")["answered"])
        self.assertIsNone(again.get(OPEN, "cmd_1"))

    def test_answered_results_are_no_longer_owed_and_survive_a_restart_as_answered(self):
        journal = Journal(self.path)
        journal.record(OPEN, "pos_1", {"a": 1})
        journal.record(CLOSE, "cmd_1", {"b": 2})
        journal.mark_answered(OPEN, "pos_1")
        again = Journal(self.path)
        self.assertEqual(again.unanswered(), [(CLOSE, "cmd_1", {"b": 2})])
        self.assertTrue(again.get(OPEN, "pos_1")["answered"])

    def test_only_the_newest_answered_entries_are_kept_and_every_unanswered_one(self):
        journal = Journal(self.path, keep_answered=2)
        for i in range(5):
            journal.record(CLOSE, f"cmd_{i}", {})
        for i in range(4):
            journal.mark_answered(CLOSE, f"cmd_{i}")
        again = Journal(self.path)
        self.assertEqual([i for i in range(5) if again.get(CLOSE, f"cmd_{i}")], [2, 3, 4])
        self.assertEqual(again.unanswered(), [(CLOSE, "cmd_4", {})])

    def test_a_crash_between_the_write_and_the_rename_leaves_the_old_journal_intact(self):
        Journal(self.path).record(CLOSE, "cmd_old", {"kept": True})
        crash = textwrap.dedent(f"""
            import os, sys
            sys.path.insert(0, {package_path.PACKAGE_DIR!r})
            from vigil_api import Journal, CLOSE
            journal = Journal({self.path!r})
            os.replace = lambda *args: os._exit(9)  # killed after the temporary file is written
            journal.record(CLOSE, "cmd_new", {{"kept": False}})
        """)
        self.assertEqual(subprocess.run([sys.executable, "-c", crash]).returncode, 9)
        with open(self.path + ".tmp") as f:
            self.assertIn("cmd_new", f.read())  # the new journal was written, not renamed
        journal = Journal(self.path)
        self.assertEqual(journal.unanswered(), [(CLOSE, "cmd_old", {"kept": True})])
        journal.record(CLOSE, "cmd_next", {})
        self.assertEqual([e[1] for e in Journal(self.path).unanswered()], ["cmd_old", "cmd_next"])

    def test_a_torn_or_foreign_file_is_refused_not_read_as_empty(self):
        for content in ['{"version":1,"entries":[{"kind":"close"', "[]", '{"entries":[{"id":"x"}]}']:
            with self.subTest(content=content):
                with open(self.path, "w") as f:
                    f.write(content)
                with self.assertRaises(JournalError):
                    Journal(self.path)

    def test_a_journal_that_cannot_be_written_says_so(self):
        journal = Journal(os.path.join(self.dir.name, "missing-dir", "journal.json"))
        with self.assertRaises(JournalError):
            journal.record(CLOSE, "cmd_1", {})

    def test_the_file_is_plain_json_naming_each_entry(self):
        Journal(self.path).record(OPEN, "pos_1", {"position_id": "pos_1"})
        with open(self.path) as f:
            data = json.load(f)
        self.assertEqual(data["version"], 1)
        self.assertEqual([(e["kind"], e["id"]) for e in data["entries"]], [(OPEN, "pos_1")])


if __name__ == "__main__":
    unittest.main(verbosity=2)
