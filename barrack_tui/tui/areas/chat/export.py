"""Export a conversation to Markdown: to the data dir's exports folder, or to a path the user types.

The write happens here (the form's `send`) so a failure (a missing folder, an
existing file, no permission) is shown in place and the user can type another
path; on success the modal dismisses with the path written, which the screen
shows in a toast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.kit.form import FormModal, Refused


class ExportConversation(FormModal[Path, str | None]):
    """Dismisses with the path written, or None. Its value is the typed path (None: the default folder)."""

    CSS_PATH = "chat.tcss"
    FORM = "the export path"
    SUBMIT_ID = "chat-export-save"
    CANCEL_ID = "chat-export-cancel"
    ERROR_ID = "chat-export-error"
    MESSAGE_STYLE = ""  # the line's `error` class colours it

    def __init__(self, title: str, default_dir: Path, write: Callable[[str | None], Path]) -> None:
        super().__init__()
        self.conversation_title = title
        self.default_dir = default_dir
        self._write = write

    def compose(self) -> ComposeResult:
        heading = Text("Export “")
        heading.append(self.conversation_title, style="bold")
        heading.append("” to Markdown")
        with Vertical(classes="modal-box", id="chat-export"):
            yield Static(heading, classes="modal-title")
            hint = Text("Leave empty to save in ")
            hint.append(str(self.default_dir), style="bold")
            hint.append(", or type a file or folder path. An existing file is never overwritten.")
            yield Static(hint, classes="hint")
            yield Input(placeholder="path (optional)", id="chat-export-path")
            yield Static(id="chat-export-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="chat-export-cancel")
                yield Button("Export", variant="primary", id="chat-export-save")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def values(self) -> str | None:
        return self.query_one(Input).value.strip() or None

    def verdicts(self, values: str | None) -> dict[str, Verdict]:
        return {}  # any path may be tried: only the write can tell

    def fields_changed(self) -> None:
        # The refusal stays until the next try: its line is in the box from the start, so typing never
        # shrinks the box under the user.
        self.validate()

    def set_sending(self, sending: bool) -> None:
        # The write is over within the frame: disabling Export would only take the focus off it after a refusal.
        self.sending = sending

    async def send(self, values: str | None) -> Path:
        try:
            return self._write(values)
        except FileExistsError as exc:
            raise Refused(f"{exc.filename or values} already exists; choose another name") from exc
        except OSError as exc:
            raise Refused(f"Could not write the file: {exc.strerror or exc}") from exc
