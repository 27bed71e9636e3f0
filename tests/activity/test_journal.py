"""The activity journal keeps entries across a restart, per account, for 90 days, never naming the key."""

from __future__ import annotations

from barrack_tui.activity.entry import FAILED, Activity
from barrack_tui.activity.journal import DAY, Journal, account_file


def test_entries_survive_reopening_newest_first(tmp_path):
    path = account_file(tmp_path, "https://api.example", "key-one")
    journal = Journal(path, now=1000.0)
    journal.add(Activity(at=900.0, verb="stop", target_kind="instance", target_name="gpu-a", target_id="i-1"))
    journal.add(Activity(at=950.0, verb="delete", target_name="vol", result=FAILED, status=503, request_id="r1"))
    journal.close()

    reopened = Journal(path, now=1000.0)
    kept = reopened.entries()
    assert [e.verb for e in kept] == ["delete", "stop"]
    assert kept[0].status == 503 and kept[0].request_id == "r1" and kept[0].result == FAILED
    assert kept[1].target_name == "gpu-a"


def test_entries_older_than_90_days_are_pruned_on_open(tmp_path):
    path = tmp_path / "log.sqlite3"
    journal = Journal(path, now=0.0)
    journal.add(Activity(at=0.0, verb="old"))
    journal.add(Activity(at=50 * DAY, verb="recent"))
    journal.close()
    assert [e.verb for e in Journal(path, now=91 * DAY).entries()] == ["recent"]


def test_each_account_has_its_own_file_and_the_name_does_not_hold_the_key(tmp_path):
    one = account_file(tmp_path, "https://api.example", "secret-key-one")
    two = account_file(tmp_path, "https://api.example", "secret-key-two")
    assert one != two
    assert "secret" not in str(one)
    Journal(one, now=0.0).close()
    assert oct(one.stat().st_mode & 0o777) == oct(0o600)
    assert oct(one.parent.stat().st_mode & 0o777) == oct(0o700)


def test_server_text_is_kept_exactly(tmp_path):
    journal = Journal(tmp_path / "log.sqlite3", now=0.0)
    journal.add(Activity(at=1.0, verb="rename", target_name="gpu [/bold] box", message="it's 'quoted'; DROP"))
    entry = journal.entries()[0]
    assert entry.target_name == "gpu [/bold] box" and entry.message == "it's 'quoted'; DROP"
