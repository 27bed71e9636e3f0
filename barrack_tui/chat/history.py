"""The local chat history: conversations and their messages in one SQLite file (no Textual).

The file lives in the data dir as `chat.sqlite3`; `--demo` has its own in the
demo's data dir (`paths.demo_data_dir()`), so simulator chats and a real account's
never mix. The schema is versioned with `PRAGMA user_version` and migrated forward
on open; a file written by a newer barrack-tui is refused rather than guessed at. Every write is one
transaction, and a reply being streamed is saved as it grows (status
"streaming"), so a crash mid-reply loses nothing already shown: on the next
start such a reply reads as interrupted.

A small `meta` table keeps the default model and the conversation shown last.
Money is stored as decimal strings, never floats.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from barrack_tui.account import paths
from barrack_tui.account.files import atomic_write

DB_NAME = "chat.sqlite3"
LEGACY_DEMO_DB_NAME = "demo-chat.sqlite3"  # where earlier versions kept the demo's chats, beside the real file
TITLE_MAX = 60
_MICRO = Decimal("0.000001")

# One entry per schema version; entry i moves a database from user_version i to i + 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            model TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )""",
        """CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            content TEXT NOT NULL,
            context TEXT,
            model TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            cost TEXT,
            currency TEXT,
            status TEXT NOT NULL DEFAULT 'complete'
                CHECK (status IN ('complete', 'streaming', 'cancelled', 'error')),
            error TEXT,
            created_at REAL NOT NULL
        )""",
        "CREATE INDEX messages_by_conversation ON messages (conversation_id, id)",
        "CREATE INDEX conversations_by_update ON conversations (updated_at DESC, id DESC)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class ChatHistoryError(Exception):
    """The history file cannot be used (corrupt, or from a newer version)."""


def default_path(*, demo: bool = False) -> Path:
    """The demo's history is a file of its own: a demo shown to someone never reveals the real account's chats."""
    if not demo:
        return paths.base_data_dir() / DB_NAME
    target = paths.demo_data_dir() / DB_NAME
    _adopt_legacy_demo_history(target)
    return target


def _adopt_legacy_demo_history(target: Path) -> None:
    """Move an earlier version's demo-chat.sqlite3 (and its WAL files) into the demo's dir, once."""
    legacy = paths.base_data_dir() / LEGACY_DEMO_DB_NAME
    if target.exists() or not legacy.exists():
        return
    try:
        paths.ensure_private_dir(target.parent)
        for suffix in ("-wal", "-shm", ""):  # the database last: once it is there, the move is done
            part = legacy.with_name(legacy.name + suffix)
            if part.exists():
                os.replace(part, target.with_name(target.name + suffix))
    except OSError:
        pass  # the demo starts a fresh history; the old file stays where it was, untouched


def turn_cost(input_price_per_1k: Decimal, output_price_per_1k: Decimal, prompt_tokens: int, completion_tokens: int) -> Decimal:
    """What one turn costs: the API's usage times the model's per-1k prices, to the micro-unit (as billed)."""
    cost = (Decimal(prompt_tokens) * input_price_per_1k + Decimal(completion_tokens) * output_price_per_1k) / 1000
    return cost.quantize(_MICRO, rounding=ROUND_HALF_UP)


def title_from(text: str) -> str:
    """A conversation's title from its first question: the first non-empty line, whitespace folded, cut short."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    title = re.sub(r"\s+", " ", first_line).strip()
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rstrip() + "…"
    return title or "New conversation"


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    model: str | None
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class StoredMessage:
    id: int
    conversation_id: int
    role: str
    content: str
    context: str | None
    model: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    cost: Decimal | None
    currency: str | None
    status: str
    error: str | None
    created_at: float

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def failed(self) -> bool:
        return self.status == "error"

    @property
    def interrupted(self) -> bool:
        """Still marked streaming when read back: the app stopped mid-reply."""
        return self.status == "streaming"


_MESSAGE_COLUMNS = (
    "id, conversation_id, role, content, context, model, prompt_tokens, completion_tokens, "
    "cost, currency, status, error, created_at"
)


def _message(row: tuple[Any, ...]) -> StoredMessage:
    values = list(row)
    values[8] = Decimal(values[8]) if values[8] is not None else None
    return StoredMessage(*values)


class ChatHistory:
    """The store. One connection, used from the thread that opened it (the app's event loop)."""

    def __init__(self, path: Path | str | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._clock = clock
        if str(self.path) != ":memory:":
            paths.ensure_private_dir(self.path.parent)
            # Questions may carry the account summary (balances, addresses): readable by the user only.
            # SQLite gives its -wal and -shm files the database file's permissions.
            os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))
        try:
            # Autocommit mode: transactions are opened explicitly by `_transaction`.
            self._conn = sqlite3.connect(str(self.path), isolation_level=None)
            self._conn.execute("PRAGMA foreign_keys = ON")
            if str(self.path) != ":memory:":
                # WAL + NORMAL: a commit does not wait for fsync, so saving a growing reply stays cheap,
                # and a crash still keeps every committed transaction.
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            conn = getattr(self, "_conn", None)
            if conn is not None:
                conn.close()
            raise ChatHistoryError(f"Chat history {self.path} cannot be opened: {exc}") from None

    # --- lifecycle -----------------------------------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ChatHistory:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"it was written by a newer barrack-tui (schema {version}, this version knows {SCHEMA_VERSION})"
            )
        for target in range(version, SCHEMA_VERSION):
            with self._transaction() as conn:
                for statement in MIGRATIONS[target]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target + 1}")

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # --- meta ----------------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self._transaction() as conn:
            if value is None:
                conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    @property
    def default_model(self) -> str | None:
        return self.get_meta("default_model")

    @default_model.setter
    def default_model(self, model_id: str | None) -> None:
        self.set_meta("default_model", model_id)

    @property
    def last_conversation_id(self) -> int | None:
        value = self.get_meta("last_conversation")
        return int(value) if value is not None and value.isdigit() else None

    @last_conversation_id.setter
    def last_conversation_id(self, conversation_id: int | None) -> None:
        self.set_meta("last_conversation", None if conversation_id is None else str(conversation_id))

    # --- conversations -------------------------------------------------------------------------------

    def create_conversation(self, *, model: str | None = None, title: str = "") -> Conversation:
        now = self._clock()
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO conversations (title, model, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (title, model, now, now),
            )
        return Conversation(int(cursor.lastrowid or 0), title, model, now, now)

    def list_conversations(self) -> list[Conversation]:
        """Newest first: the one with the latest message (or rename) on top."""
        rows = self._conn.execute(
            "SELECT id, title, model, created_at, updated_at FROM conversations ORDER BY updated_at DESC, id DESC"
        ).fetchall()
        return [Conversation(*row) for row in rows]

    def get_conversation(self, conversation_id: int) -> Conversation | None:
        row = self._conn.execute(
            "SELECT id, title, model, created_at, updated_at FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
        return Conversation(*row) if row else None

    def last_conversation(self) -> Conversation | None:
        """The conversation shown when the app closed, else the newest."""
        remembered = self.last_conversation_id
        if remembered is not None and (conversation := self.get_conversation(remembered)) is not None:
            return conversation
        newest = self._conn.execute(
            "SELECT id, title, model, created_at, updated_at FROM conversations ORDER BY updated_at DESC, id DESC LIMIT 1"
        ).fetchone()
        return Conversation(*newest) if newest else None

    def rename(self, conversation_id: int, title: str) -> None:
        title = re.sub(r"\s+", " ", title).strip()[:TITLE_MAX] or "Untitled"
        with self._transaction() as conn:
            conn.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))

    def set_model(self, conversation_id: int, model_id: str) -> None:
        with self._transaction() as conn:
            conn.execute("UPDATE conversations SET model = ? WHERE id = ?", (model_id, conversation_id))

    def delete(self, conversation_id: int) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        if self.last_conversation_id == conversation_id:
            self.last_conversation_id = None

    # --- messages ------------------------------------------------------------------------------------

    def add_user_message(self, conversation_id: int, content: str, *, context: str | None = None) -> StoredMessage:
        """Save a question; the first one also names a conversation that has no title yet."""
        now = self._clock()
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO messages (conversation_id, role, content, context, status, created_at) "
                "VALUES (?, 'user', ?, ?, 'complete', ?)",
                (conversation_id, content, context, now),
            )
            conn.execute(
                "UPDATE conversations SET updated_at = ?, title = CASE WHEN title = '' THEN ? ELSE title END WHERE id = ?",
                (now, title_from(content), conversation_id),
            )
        return self.get_message(int(cursor.lastrowid or 0))

    def set_context(self, message_id: int, context: str | None) -> StoredMessage:
        """Attach the account summary sent with a question (built after the question was saved)."""
        with self._transaction() as conn:
            conn.execute("UPDATE messages SET context = ? WHERE id = ?", (context, message_id))
        return self.get_message(message_id)

    def start_reply(self, conversation_id: int, model: str | None) -> StoredMessage:
        """An empty assistant message marked streaming; `save_partial` grows it, `finish_reply` settles it."""
        now = self._clock()
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO messages (conversation_id, role, content, model, status, created_at) "
                "VALUES (?, 'assistant', '', ?, 'streaming', ?)",
                (conversation_id, model, now),
            )
            conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
        return self.get_message(int(cursor.lastrowid or 0))

    def save_partial(self, message_id: int, content: str) -> None:
        with self._transaction() as conn:
            conn.execute("UPDATE messages SET content = ? WHERE id = ?", (content, message_id))

    def finish_reply(
        self,
        message_id: int,
        content: str,
        *,
        status: str = "complete",
        model: str | None = None,
        prompt_tokens: int | None = None,
        completion_tokens: int | None = None,
        cost: Decimal | None = None,
        currency: str | None = None,
        error: str | None = None,
    ) -> StoredMessage:
        if status not in ("complete", "cancelled", "error"):
            raise ValueError(f"a finished reply is complete, cancelled or error, not {status!r}")
        with self._transaction() as conn:
            conn.execute(
                "UPDATE messages SET content = ?, status = ?, model = COALESCE(?, model), prompt_tokens = ?, "
                "completion_tokens = ?, cost = ?, currency = ?, error = ? WHERE id = ?",
                (content, status, model, prompt_tokens, completion_tokens,
                 None if cost is None else str(cost), currency, error, message_id),
            )
        return self.get_message(message_id)

    def get_message(self, message_id: int) -> StoredMessage:
        row = self._conn.execute(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            raise KeyError(message_id)
        return _message(row)

    def messages(self, conversation_id: int, *, last: int | None = None, before_id: int | None = None) -> list[StoredMessage]:
        """Oldest first; `last=n` gives only the newest n (before `before_id` when given), for opening long chats fast."""
        where, params = "conversation_id = ?", [conversation_id]
        if before_id is not None:
            where += " AND id < ?"
            params.append(before_id)
        if last is None:
            rows = self._conn.execute(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE {where} ORDER BY id", params)
            return [_message(row) for row in rows]
        newest = self._conn.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE {where} ORDER BY id DESC LIMIT ?", (*params, last)
        ).fetchall()
        return [_message(row) for row in reversed(newest)]

    def count_messages(self, conversation_id: int, *, before_id: int | None = None) -> int:
        if before_id is None:
            row = self._conn.execute("SELECT COUNT(*) FROM messages WHERE conversation_id = ?", (conversation_id,))
        else:
            row = self._conn.execute(
                "SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND id < ?", (conversation_id, before_id)
            )
        return int(row.fetchone()[0])

    # --- export --------------------------------------------------------------------------------------

    def export_markdown(self, conversation_id: int) -> str:
        from barrack_tui.chat.export import conversation_markdown

        conversation = self.get_conversation(conversation_id)
        if conversation is None:
            raise KeyError(conversation_id)
        return conversation_markdown(conversation, self.messages(conversation_id))

    def export_to_file(self, conversation_id: int, path: Path | str | None = None) -> Path:
        """Write the conversation as Markdown; to `data_dir()/exports/` unless a path is given. Never overwrites."""
        from barrack_tui.chat.export import export_target

        conversation = self.get_conversation(conversation_id)
        if conversation is None:
            raise KeyError(conversation_id)
        target = export_target(conversation, path, stamp=datetime.fromtimestamp(self._clock(), tz=UTC))
        paths.ensure_private_dir(target.parent)
        text = self.export_markdown(conversation_id)
        # An existing file is an error (FileExistsError), never overwritten; 0600 like the history itself.
        return atomic_write(target, text, 0o600, overwrite=False)
