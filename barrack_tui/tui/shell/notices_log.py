"""The notices log: the last 200 toasts, newest first, each with its time, severity, title and text.

Every line is plain Text: a toast quotes instance names and API messages,
which are shown exactly as they came, never parsed as markup. Escape (or
Close) dismisses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from barrack_tui.tui.kit.modal import BarrackModal
from barrack_tui.tui.shell.notices import MAX_NOTICES, Notice

_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "cyan"}


def notices_text(notices: Sequence[Notice]) -> Text:
    """One line per notice (newest first): "14:02:07  warning  Title: text"."""
    out = Text()
    for notice in notices:
        if out:
            out.append("\n")
        out.append(datetime.fromtimestamp(notice.at).strftime("%H:%M:%S"), style="dim")
        out.append(f"  {notice.severity:<7}  ", style=_STYLES.get(notice.severity, ""))
        if notice.title:
            out.append(f"{notice.title}: ", style="bold")
        out.append(notice.text)
    return out


class NoticesLogModal(BarrackModal[None]):
    """What the toasts said, kept after they left the screen."""

    DEFAULT_CSS = """
    NoticesLogModal .modal-box { width: 100; }
    NoticesLogModal #notices-list { height: auto; max-height: 20; }
    """

    def __init__(self, notices: Sequence[Notice]) -> None:
        super().__init__(id="notices-log")
        self._notices = list(notices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            count = len(self._notices)
            yield Static(Text(f"Notices ({count}, the last {MAX_NOTICES} are kept, newest first)"), classes="modal-title")
            with VerticalScroll(id="notices-list"):
                body = notices_text(self._notices) if self._notices else Text("No notices yet.", style="dim")
                yield Static(body, id="notices-body")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)
