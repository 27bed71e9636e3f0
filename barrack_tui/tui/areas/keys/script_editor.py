"""Create or edit a startup script in a multi-line editor, with a live size counter ("3.2 KB / 16 KB").

Name and content are checked with `validate_script` as the user types (the
content limit is the user-data limit, 16 KB of UTF-8). The request runs in a
worker; the server's refusal (per-field 422 or any other) shows in the form
and nothing typed is lost. Dismisses with the saved `Script`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from barrack_tui.api.models import Script
from barrack_tui.rules.validators import NAME_MAX, SCRIPT_MAX_BYTES, validate_script
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.kit.form import FormModal

NEW_SCRIPT_TEMPLATE = "#!/bin/bash\nset -euo pipefail\n\n"


def script_size(content: str) -> int:
    """Bytes as the limit counts them (UTF-8)."""
    return len(content.encode("utf-8", "surrogatepass"))


def format_size(size_bytes: int) -> str:
    """Bytes under 1 KB, then KB to one decimal (what the 16 KB limit is measured in)."""
    return f"{size_bytes} B" if size_bytes < 1024 else f"{size_bytes / 1024:.1f} KB"


def size_counter(content: str) -> str:
    """"3.2 KB / 16 KB": the script's size against the limit."""
    return f"{format_size(script_size(content))} / {SCRIPT_MAX_BYTES // 1024} KB"


class ScriptEditorModal(FormModal[Script, tuple[str, str]]):
    CSS_PATH = "keys.tcss"
    FIELDS = ("name", "content")
    PROGRESS = "Saving…"
    WORK_GROUP = "script-editor"

    def __init__(self, script: Script | None, *, taken_names: Iterable[str]) -> None:
        super().__init__(id="script-editor")
        self._script = script
        self.FORM = "the new script" if script is None else "your changes to this script"
        # Renaming a script to its own name is not a clash.
        self._taken = frozenset(taken_names) - ({script.name} if script else set())

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box script-editor-box"):
            if self._script is None:
                yield Static(Text("New startup script"), classes="modal-title")
            else:
                title = Text("Edit startup script ")
                title.append(self._script.name, style="bold")
                yield Static(title, classes="modal-title")
            with Horizontal(classes="field-head"):
                yield Label("Name")
                yield Static(id="name-counter", classes="counter")
            yield Input(self._script.name if self._script else "", placeholder="install-drivers", id="script-name")
            yield Static(id="name-error", classes="field-error")
            with Horizontal(classes="field-head"):
                yield Label("Script (runs once at first boot)")
                yield Static(id="size-counter", classes="counter")
            content = self._script.content if self._script else NEW_SCRIPT_TEMPLATE
            yield TextArea(content, id="script-content", show_line_numbers=True, tab_behavior="indent")
            yield Static(id="content-error", classes="field-error")
            yield Static(id="form-status", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="submit", variant="primary")

    def on_mount(self) -> None:
        if self._script is None:
            self.query_one("#script-name", Input).focus()
        else:
            editor = self.query_one("#script-content", TextArea)
            editor.focus()

    def values(self) -> tuple[str, str]:
        return self.query_one("#script-name", Input).value, self.query_one("#script-content", TextArea).text

    def verdicts(self, values: tuple[str, str]) -> dict[str, Verdict]:
        name, content = values
        return validate_script(name, content, taken=self._taken)

    def is_quiet(self, field: str, values: tuple[str, str]) -> bool:
        # An empty name is not an error yet; submitting says it is missing.
        return field == "name" and not values[0]

    def after_validate(self, values: tuple[str, str], verdicts: Mapping[str, Verdict]) -> None:
        name, content = values
        self.query_one("#name-counter", Static).update(Text(f"{len(name)}/{NAME_MAX}"))
        over = script_size(content) > SCRIPT_MAX_BYTES
        self.query_one("#size-counter", Static).update(Text(size_counter(content), style="bold red" if over else ""))

    async def send(self, values: tuple[str, str]) -> Script:
        name, content = values
        send = self.barrack.store.send
        saved: Script
        if self._script is None:
            saved = await send(lambda api: api.create_script(name, content))
        else:
            script_id = self._script.id
            saved = await send(lambda api: api.update_script(script_id, name=name, content=content))
        return saved
