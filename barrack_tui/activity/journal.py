"""The activity log on disk: one SQLite file per account in the data dir, pruned to the last 90 days.

SQLite because the log is appended to from the UI thread a few times a
minute, read back filtered and newest first, and must survive a crash mid
write; one small file with a journal does all three. The file name is a
one-way hash of the account (base URL and key), so the key never appears on
disk and two accounts never share a log. The demo's data dir is its own, so
the demo keeps its own log.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from barrack_tui.activity.entry import FIELDS, Activity

KEEP_DAYS = 90
DAY = 86_400.0
MAX_ROWS_READ = 5_000  # what the screen shows at most; the file keeps the rest until they age out

_SCHEMA = """
CREATE TABLE IF NOT EXISTS activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    verb TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_name TEXT NOT NULL,
    target_id TEXT NOT NULL,
    result TEXT NOT NULL,
    message TEXT NOT NULL,
    status INTEGER,
    request_id TEXT,
    cost_effect TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS activity_at ON activity (at);
"""


def account_file(data_dir: Path, base_url: str, key: str) -> Path:
    """Where this account's log lives: `<data dir>/activity/<hash>.sqlite3`."""
    digest = hashlib.sha256(f"barrack-activity\0{base_url}\0{key}".encode()).hexdigest()[:20]
    return data_dir / "activity" / f"{digest}.sqlite3"


class Journal:
    """An open activity file. Not thread-safe: the app's event loop is its one user."""

    def __init__(self, path: Path, *, now: float, keep_days: int = KEEP_DAYS) -> None:
        from barrack_tui.account.paths import ensure_private_dir

        ensure_private_dir(path.parent)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        path.chmod(0o600)
        self._db.executescript(_SCHEMA)
        self.prune(now, keep_days)

    def add(self, entry: Activity) -> Activity:
        """Append `entry`; returns it with its row id."""
        values = entry.as_dict()
        cursor = self._db.execute(
            f"INSERT INTO activity ({', '.join(FIELDS)}) VALUES ({', '.join('?' * len(FIELDS))})",
            [values[name] for name in FIELDS],
        )
        return Activity(**values, row_id=cursor.lastrowid)

    def entries(self, *, limit: int = MAX_ROWS_READ) -> list[Activity]:
        """The newest `limit` entries, newest first."""
        rows = self._db.execute(
            f"SELECT id, {', '.join(FIELDS)} FROM activity ORDER BY at DESC, id DESC LIMIT ?", (limit,)
        )
        return list(_read(rows))

    def prune(self, now: float, keep_days: int = KEEP_DAYS) -> int:
        """Drop entries older than `keep_days`; how many went."""
        return self._db.execute("DELETE FROM activity WHERE at < ?", (now - keep_days * DAY,)).rowcount

    def close(self) -> None:
        self._db.close()


def _read(rows: sqlite3.Cursor) -> Iterator[Activity]:
    for row_id, *values in rows:
        yield Activity(**dict(zip(FIELDS, values, strict=True)), row_id=row_id)
