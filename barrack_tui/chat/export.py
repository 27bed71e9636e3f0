"""A stored conversation as a Markdown document, and where that document is written (no Textual)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from barrack_tui.account import paths

if TYPE_CHECKING:
    from barrack_tui.chat.history import Conversation, StoredMessage

EXPORT_DIR = "exports"


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def usage_line(message: StoredMessage) -> str:
    """`model · 12 + 80 tokens · 0.000252 USD` — what a turn used, as far as the API reported it."""
    parts = [message.model or "unknown model"]
    if message.prompt_tokens is not None and message.completion_tokens is not None:
        parts.append(f"{message.prompt_tokens} + {message.completion_tokens} tokens")
    else:
        parts.append("usage not reported")
    if message.cost is not None:
        parts.append(f"{message.cost} {message.currency or ''}".rstrip())
    return " · ".join(parts)


def status_note(message: StoredMessage) -> str | None:
    """Why a reply is incomplete, in words; None for a complete one."""
    if message.cancelled:
        return "cancelled: the reply was stopped; the text above is what arrived"
    if message.failed:
        return f"error: {message.error or 'the reply failed'}; the text above is what arrived"
    if message.interrupted:
        return "interrupted: the app stopped while this reply was streaming"
    return None


def conversation_markdown(conversation: Conversation, messages: Iterable[StoredMessage]) -> str:
    lines = [f"# {conversation.title or 'Untitled'}", ""]
    model = f" · model {conversation.model}" if conversation.model else ""
    lines += [f"_Conversation started {_when(conversation.created_at)}{model}_", ""]
    for message in messages:
        if message.role == "user":
            lines += [f"## You — {_when(message.created_at)}", ""]
            if message.context:
                lines += ["<details><summary>Account context attached</summary>", "", "```text",
                          message.context, "```", "", "</details>", ""]
        else:
            lines += [f"## Assistant — {usage_line(message)}", ""]
        lines += [message.content.rstrip("\n") or "_(no text)_", ""]
        note = status_note(message)
        if note:
            lines += [f"> _{note}_", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return words[:40].rstrip("-") or "conversation"


def export_target(conversation: Conversation, path: Path | str | None, *, stamp: datetime) -> Path:
    """The file to write: the typed path (a directory gets the default name inside), else the data dir's exports."""
    name = f"{slug(conversation.title)}-{conversation.id}-{stamp.strftime('%Y%m%d-%H%M%S')}.md"
    if path is None or not str(path).strip():
        return paths.data_dir() / EXPORT_DIR / name
    target = Path(str(path).strip()).expanduser()
    if target.is_dir():
        return target / name
    return target
