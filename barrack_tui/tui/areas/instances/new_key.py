"""K1: a key generated inline in the deploy wizard — its private half shown once, savable with mode 0600.

The server returns the private key exactly once. The modal shows it
read-only and offers to write it to a file created with mode 0600 (never
overwriting an existing file); closing it without saving is allowed but the
user is told that the key cannot be shown again.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static, TextArea

from barrack_tui.account import keyfile
from barrack_tui.tui.kit.modal import BarrackModal


def save_private_key(path_text: str, private_key: str) -> Path:
    """Create the file with mode 0600, atomically (barrack_tui.account.keyfile); never replace one.

    Raises FileExistsError when it exists, OSError (path and reason only) otherwise.
    """
    return keyfile.save_private_key(path_text.strip(), private_key)


class DeployPrivateKeyModal(BarrackModal[str]):
    """Dismisses with the saved path, or None when closed without saving."""

    CSS_PATH = "instances.tcss"

    def __init__(self, key_name: str, private_key: str) -> None:
        super().__init__()
        self.key_name = key_name
        self.private_key = private_key

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="private-key-box"):
            yield Static(Text.assemble("Private key of ", (self.key_name, "bold")), classes="modal-title")
            yield Static(
                Text("Shown once: Barrack does not keep it. Save it now (the file is created readable only by you).", style="yellow")
            )
            yield TextArea(self.private_key, read_only=True, id="private-key-text")
            yield Input(value=f"~/.ssh/barrack_{self.key_name}", id="private-key-path", compact=True)
            yield Static(Text(""), id="private-key-status")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="private-key-close")
                yield Button("Save (0600)", variant="primary", id="private-key-save")

    @on(Input.Submitted, "#private-key-path")
    @on(Button.Pressed, "#private-key-save")
    def save(self) -> None:
        status = self.query_one("#private-key-status", Static)
        try:
            path = save_private_key(self.query_one("#private-key-path", Input).value, self.private_key)
        except FileExistsError:
            status.update(Text("That file exists; choose another name (nothing is overwritten).", style="red"))
            return
        except OSError as exc:
            status.update(Text(f"Could not save: {exc.strerror or exc}", style="red"))
            return
        self.barrack.notify(f"Private key saved to {path} (mode 0600)")
        self.dismiss(str(path))

    @on(Button.Pressed, "#private-key-close")
    def close(self) -> None:
        self.barrack.notify("The private key was not saved and cannot be shown again.", severity="warning")
        self.dismiss(None)
