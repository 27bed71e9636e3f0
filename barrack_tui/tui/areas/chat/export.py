"""Export a conversation to Markdown: to the data dir's exports folder, or to a path the user types.

The write happens here so a failure (a missing folder, an existing file, no
permission) is shown in place and the user can type another path; on success
the modal dismisses with the path written, which the screen shows in a toast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from barrack_tui.tui.kit.modal import BarrackModal


class ExportConversation(BarrackModal[Path]):
    CSS_PATH = "chat.tcss"
    FORM = "the export path"

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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "chat-export-save":
            self._export()
        else:
            self.action_cancel()

    def _export(self) -> None:
        typed = self.query_one(Input).value.strip() or None
        try:
            written = self._write(typed)
        except FileExistsError as exc:
            self._error(f"{exc.filename or typed} already exists; choose another name")
        except OSError as exc:
            self._error(f"Could not write the file: {exc.strerror or exc}")
        else:
            self.dismiss(written)

    def _error(self, text: str) -> None:
        self.query_one("#chat-export-error", Static).update(Text(text))
