"""The one and only showing of a generated private key, with "save to file".

The key lives in this modal only: it is not put in the store, not logged, and
the text area is emptied when the modal closes. Saving goes through
`barrack_tui.account.keyfile` (mode 0600 from creation, atomic); an existing file is
replaced only after the user presses "Overwrite". Closing before the key was
saved asks once more, because the key cannot be fetched again.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from barrack_tui.account.keyfile import KeyFileError, KeyFileExists, default_key_path, save_private_key
from barrack_tui.api.models import SSHKeyResponse
from barrack_tui.tui.kit.modal import BarrackModal

SHOWN_ONCE = "This private key is shown only this once: Barrack keeps no copy. Save it to a file now."
CLOSE_WARNING = "The private key will not be shown again. Press Discard key to close without it, or save it first."


class PrivateKeyModal(BarrackModal[bool]):
    """Dismisses with True when the key was saved to a file, False when the user closed without saving."""

    CSS_PATH = "keys.tcss"

    def __init__(self, key: SSHKeyResponse, private_key: str) -> None:
        super().__init__(id="private-key-modal")
        self._key = key
        self._private_key = private_key
        self.saved_to: str | None = None
        self._close_confirmed = False
        self._overwrite_path: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box private-key-box"):
            title = Text("Private key for ")
            title.append(self._key.name, style="bold")
            yield Static(title, classes="modal-title")
            yield Static(Text(SHOWN_ONCE, style="bold yellow"), id="shown-once")
            yield Static(Text(f"Fingerprint {self._key.fingerprint}"), classes="hint")
            yield TextArea(self._private_key, read_only=True, soft_wrap=False, id="private-key-text")
            yield Label("Save to file (created with mode 0600)")
            yield Input(str(default_key_path(self._key.name)), id="key-path", compact=True)
            yield Static(id="save-status", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Save to file", id="save", variant="primary")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one("#key-path", Input).focus()

    def on_resize(self, event: events.Resize) -> None:
        # As many key lines as fit around the fixed parts of the modal (about 17 rows), 4 to 14.
        self.query_one("#private-key-text", TextArea).styles.height = max(4, min(14, event.size.height - 17))

    # --- saving ----------------------------------------------------------------------------------

    @on(Input.Changed, "#key-path")
    def _path_changed(self) -> None:
        # A different path must be confirmed again if it exists.
        if self._overwrite_path is not None:
            self._overwrite_path = None
            save = self.query_one("#save", Button)
            save.label = "Save to file"
            save.variant = "primary"

    @on(Input.Submitted, "#key-path")
    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        path = self.query_one("#key-path", Input).value.strip()
        if not path:
            self._status(Text("Enter a file path", style="bold red"))
            return
        self.query_one("#save", Button).disabled = True
        self._save(path, overwrite=self._overwrite_path == path)

    @work(exclusive=True, group="private-key-save", exit_on_error=False)
    async def _save(self, path: str, *, overwrite: bool) -> None:
        save = self.query_one("#save", Button)
        try:
            written = await asyncio.to_thread(save_private_key, path, self._private_key, overwrite=overwrite)
        except KeyFileExists as exc:
            self._overwrite_path = path
            save.label, save.variant, save.disabled = "Overwrite", "error", False
            exists = f"{exc.path} already exists. Press Overwrite to replace it, or change the path."
            self._status(Text(exists, style="bold yellow"))
            return
        except (KeyFileError, OSError) as exc:
            save.disabled = False
            self._status(Text(str(exc), style="bold red"))
            return
        self.saved_to = str(written)
        self._overwrite_path = None
        save.label, save.variant, save.disabled = "Saved", "success", True
        self.query_one("#close", Button).label = "Close"
        message = Text(
            f"Saved to {written} (mode 0600). Connect with: ssh -i {written} ubuntu@<instance IP>", style="green"
        )
        self._status(message)

    def _status(self, text: Text) -> None:
        self.query_one("#save-status", Static).update(text)

    # --- closing ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()

    def action_cancel(self) -> None:
        # Escape must not drop an unsaved key silently: it goes through the same warning as Close.
        self.action_close()

    def action_close(self) -> None:
        if self.saved_to is None and not self._close_confirmed:
            self._close_confirmed = True
            self.query_one("#close", Button).label = "Discard key"
            self.query_one("#close", Button).variant = "error"
            self._status(Text(CLOSE_WARNING, style="bold yellow"))
            return
        self._forget()
        self.dismiss(self.saved_to is not None)

    def _forget(self) -> None:
        self._private_key = ""
        self.query_one("#private-key-text", TextArea).load_text("")
