"""The local chat history: schema versioning, transactions, ordering, partial replies, export."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from barrack_tui.account import paths
from barrack_tui.chat.history import (
    SCHEMA_VERSION,
    ChatHistory,
    ChatHistoryError,
    default_path,
    title_from,
    turn_cost,
)


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        self.now += 1
        return self.now


@pytest.fixture
def history():
    store = ChatHistory(clock=Clock())
    yield store
    store.close()


def test_the_file_lives_in_the_data_dir_and_carries_its_schema_version(history):
    assert history.path == paths.data_dir() / "chat.sqlite3" == default_path()
    assert history.path.exists()
    assert history.path.stat().st_mode & 0o777 == 0o600  # it may hold account summaries
    with sqlite3.connect(history.path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1


def test_a_file_from_a_newer_version_is_refused_not_rewritten(tmp_path):
    path = tmp_path / "chat.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE keep_me (x)")
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ChatHistoryError, match="newer barrack-tui"):
        ChatHistory(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT name FROM sqlite_master").fetchall() == [("keep_me",)]


def test_a_corrupt_file_is_reported_with_its_path(tmp_path):
    path = tmp_path / "chat.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ChatHistoryError) as caught:
        ChatHistory(path)
    assert str(path) in str(caught.value)


def test_conversations_are_listed_newest_first_and_titled_by_their_first_question(history):
    first = history.create_conversation(model="barrack-assist")
    second = history.create_conversation()
    history.add_user_message(first.id, "\n  What am I   paying for right now?\nand more")
    history.add_user_message(first.id, "second question does not rename")
    assert [c.id for c in history.list_conversations()] == [first.id, second.id]
    assert history.get_conversation(first.id).title == "What am I paying for right now?"
    history.add_user_message(second.id, "x" * 200)
    listed = history.list_conversations()
    assert [c.id for c in listed] == [second.id, first.id]
    assert len(listed[0].title) == 60 and listed[0].title.endswith("…")


def test_rename_keeps_the_title_and_delete_removes_messages_too(history):
    conversation = history.create_conversation()
    history.add_user_message(conversation.id, "hello")
    history.rename(conversation.id, "  My   [bold]budget[/]  ")
    assert history.get_conversation(conversation.id).title == "My [bold]budget[/]"
    history.add_user_message(conversation.id, "another")
    assert history.get_conversation(conversation.id).title == "My [bold]budget[/]"
    history.last_conversation_id = conversation.id
    history.delete(conversation.id)
    assert history.get_conversation(conversation.id) is None
    assert history.messages(conversation.id) == []
    assert history.last_conversation_id is None


def test_a_growing_reply_is_on_disk_at_every_save_and_reads_as_interrupted_after_a_crash(tmp_path):
    path = tmp_path / "chat.sqlite3"
    store = ChatHistory(path, clock=Clock())
    conversation = store.create_conversation(model="barrack-assist")
    store.add_user_message(conversation.id, "how do I connect?")
    reply = store.start_reply(conversation.id, "barrack-assist")
    store.save_partial(reply.id, "## Connecting\n\nssh ubu")
    # Another process (the app restarted after a crash) reads what was shown so far.
    script = (
        "import sys; from barrack_tui.chat.history import ChatHistory; "
        f"h = ChatHistory({str(path)!r}); m = h.messages({conversation.id})[-1]; "
        "print(m.status, m.interrupted, repr(m.content))"
    )
    seen = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert seen.strip() == "streaming True '## Connecting\\n\\nssh ubu'"
    store.close()


def test_finishing_a_reply_records_usage_cost_and_status(history):
    conversation = history.create_conversation()
    history.add_user_message(conversation.id, "q")
    reply = history.start_reply(conversation.id, "barrack-assist")
    done = history.finish_reply(reply.id, "answer", model="barrack-assist", prompt_tokens=12, completion_tokens=80,
                                cost=Decimal("0.000252"), currency="USD")
    assert (done.status, done.prompt_tokens, done.completion_tokens, done.cost, done.currency) == (
        "complete", 12, 80, Decimal("0.000252"), "USD")
    stopped = history.start_reply(conversation.id, "barrack-assist")
    history.finish_reply(stopped.id, "partial", status="cancelled")
    failed = history.start_reply(conversation.id, "barrack-assist")
    history.finish_reply(failed.id, "half", status="error", error="Network error: dropped")
    statuses = [(m.role, m.status, m.cancelled, m.failed, m.error) for m in history.messages(conversation.id)]
    assert statuses == [
        ("user", "complete", False, False, None),
        ("assistant", "complete", False, False, None),
        ("assistant", "cancelled", True, False, None),
        ("assistant", "error", False, True, "Network error: dropped"),
    ]
    with pytest.raises(ValueError):
        history.finish_reply(reply.id, "x", status="streaming")


def test_a_failed_write_is_rolled_back_whole(history):
    conversation = history.create_conversation()
    with pytest.raises(sqlite3.IntegrityError):
        with history._transaction() as conn:
            conn.execute("UPDATE conversations SET title = 'changed' WHERE id = ?", (conversation.id,))
            conn.execute("INSERT INTO messages (conversation_id, role, content, created_at) VALUES (?, 'robot', '', 0)",
                         (conversation.id,))
    assert history.get_conversation(conversation.id).title == ""


def test_the_newest_messages_load_first_and_earlier_ones_on_demand(history):
    conversation = history.create_conversation()
    for n in range(50):
        history.add_user_message(conversation.id, f"message {n}")
    newest = history.messages(conversation.id, last=20)
    assert [m.content for m in newest] == [f"message {n}" for n in range(30, 50)]
    earlier = history.messages(conversation.id, last=20, before_id=newest[0].id)
    assert [m.content for m in earlier] == [f"message {n}" for n in range(10, 30)]
    assert history.count_messages(conversation.id, before_id=earlier[0].id) == 10


def test_default_model_and_last_conversation_are_remembered_across_opens(tmp_path):
    path = tmp_path / "chat.sqlite3"
    with ChatHistory(path, clock=Clock()) as store:
        assert store.default_model is None and store.last_conversation() is None
        old = store.create_conversation()
        shown = store.create_conversation()
        store.add_user_message(old.id, "newer activity here")
        store.default_model = "barrack-assist-large"
        store.last_conversation_id = shown.id
    with ChatHistory(path) as reopened:
        assert reopened.default_model == "barrack-assist-large"
        assert reopened.last_conversation().id == shown.id
        reopened.last_conversation_id = None
        assert reopened.last_conversation().id == old.id


def test_export_writes_markdown_to_the_data_dir_and_never_overwrites(history, tmp_path):
    conversation = history.create_conversation(model="barrack-assist")
    question = history.add_user_message(conversation.id, "Why can't I detach data-1?")
    history.set_context(question.id, "Account context:\nBalance: 500.00 USD")
    reply = history.start_reply(conversation.id, "barrack-assist")
    history.finish_reply(reply.id, "Because it is ACTIVE.\n\n```sh\nstop it\n```", prompt_tokens=9, completion_tokens=14,
                         cost=Decimal("0.000051"), currency="USD")
    cut = history.start_reply(conversation.id, "barrack-assist")
    history.finish_reply(cut.id, "Partial", status="cancelled")
    written = history.export_to_file(conversation.id)
    assert written.parent == paths.data_dir() / "exports"
    assert written.stat().st_mode & 0o777 == 0o600
    text = written.read_text()
    assert text.startswith("# Why can't I detach data-1?\n")
    assert "## Assistant — barrack-assist · 9 + 14 tokens · 0.000051 USD" in text
    assert "```sh\nstop it\n```" in text
    assert "Account context:\nBalance: 500.00 USD" in text
    assert "> _cancelled: the reply was stopped" in text
    typed = tmp_path / "mine.md"
    assert history.export_to_file(conversation.id, str(typed)) == typed
    with pytest.raises(FileExistsError):
        history.export_to_file(conversation.id, str(typed))
    into_folder = history.export_to_file(conversation.id, str(tmp_path))
    assert into_folder.parent == tmp_path and into_folder.name.startswith("why-can-t-i-detach-data-1-")


def test_turn_cost_is_usage_times_the_per_1k_prices_to_the_micro_unit():
    assert turn_cost(Decimal("0.0010"), Decimal("0.0030"), 12, 80) == Decimal("0.000252")
    assert turn_cost(Decimal("0.0002"), Decimal("0.0006"), 5, 92) == Decimal("0.000056")  # 0.0000562 rounds down
    assert turn_cost(Decimal("0.0030"), Decimal("0.0150"), 0, 0) == Decimal("0")


def test_titles_from_blank_questions_are_never_empty():
    assert title_from("   \n\n") == "New conversation"
    assert title_from("  a\tb  ") == "a b"


def test_the_history_module_imports_no_textual():
    code = "import sys, barrack_tui.chat.history, barrack_tui.chat.context, barrack_tui.chat.export; " \
           "print('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).parents[1]).stdout.strip() == "False"
