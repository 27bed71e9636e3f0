"""The SSH key form: generate a new pair on the server, or import a public key (K1 checked as it is pasted).

The name is checked with `validate_key_name` and the pasted key with
`validate_ssh_public_key` and `is_new_public_key` (a key the account already
holds is refused with the name it is saved as) on every keystroke; the K1 per-region limit
(`can_create_key`) disables the submit button with its reason. The request
runs in a worker; a 422 puts the server's per-field messages under the
fields, any other refusal shows the server's words, and the input is kept.
Dismisses with the `CreateSSHKeyResponse` (its `private_key` is set for a
generated pair and must be shown once, never stored).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from barrack_tui.api.errors import ApiError, ConflictError, InvalidRequestError
from barrack_tui.api.models import CreateSSHKeyResponse
from barrack_tui.rules.resources import can_create_key
from barrack_tui.rules.sshkeys import KEY_DUPLICATE, is_new_public_key, saved_keys_index, validate_ssh_public_key
from barrack_tui.rules.validators import NAME_MAX, validate_key_name
from barrack_tui.tui.kit.field_text import show_line, verdict_text
from barrack_tui.tui.kit.modal import BarrackModal


def key_type_of(public_key: str) -> str:
    """`ssh-ed25519 AAAA...` -> `ed25519`, for the list and the import preview."""
    first = public_key.split(maxsplit=1)[0] if public_key.strip() else ""
    return first.removeprefix("ssh-").removeprefix("ecdsa-sha2-") or "?"


class KeyFormModal(BarrackModal[CreateSSHKeyResponse]):
    CSS_PATH = "keys.tcss"

    def __init__(self, *, importing: bool, taken_names: Iterable[str], keys_in_fullest_region: int) -> None:
        super().__init__(id="key-import" if importing else "key-generate")
        self.importing = importing
        self.FORM = "the key import form" if importing else "the new key form"
        self._taken = frozenset(taken_names)
        self._limit = can_create_key(keys_in_fullest_region)
        self._saved: dict[tuple[str, str], str] = {}

    def compose(self) -> ComposeResult:
        title = "Import an SSH public key" if self.importing else "Generate a new SSH key pair"
        with Vertical(classes="modal-box key-form"):
            yield Static(Text(title), classes="modal-title")
            if not self.importing:
                yield Static(
                    Text(
                        "Barrack generates an RSA-2048 pair. The private key is shown once, "
                        "right after creation: save it to a file then.",
                    ),
                    classes="hint",
                )
            with Horizontal(classes="field-head"):
                yield Label("Name (letters, digits, - _ . ; no spaces)")
                yield Static(id="name-counter", classes="counter")
            yield Input(placeholder="my-laptop", id="key-name")
            yield Static(id="name-error", classes="field-error")
            if self.importing:
                with Horizontal(classes="field-head"):
                    yield Label("Public key (paste the contents of your .pub file)")
                    yield Static(id="key-kind", classes="counter")
                yield TextArea(id="public-key", soft_wrap=True, show_line_numbers=False)
                yield Static(id="key-error", classes="field-error")
            yield Static(id="limit-error", classes="field-error")
            yield Static(id="form-status", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Import" if self.importing else "Generate", id="submit", variant="primary")

    def on_mount(self) -> None:
        keys = self.barrack.store.ssh_keys.values()
        self._saved = saved_keys_index((key.name, key.public_key) for key in keys)
        self.query_one("#key-name", Input).focus()
        show_line(self.query_one("#limit-error", Static), verdict_text(self._limit))
        self._validate()

    # --- validation ------------------------------------------------------------------------------

    def _values(self) -> tuple[str, str | None]:
        name = self.query_one("#key-name", Input).value
        public_key = self.query_one("#public-key", TextArea).text if self.importing else None
        return name, public_key

    def _validate(self, *, show_empty: bool = False) -> bool:
        name, public_key = self._values()
        name_verdict = validate_key_name(name, taken=self._taken)
        self.query_one("#name-counter", Static).update(Text(f"{len(name)}/{NAME_MAX}", style="bold red" if len(name) > NAME_MAX else ""))
        # An untouched empty field is not an error yet; the button stays disabled.
        quiet_name = not name and not show_empty
        show_line(self.query_one("#name-error", Static), Text("") if quiet_name else verdict_text(name_verdict))
        valid = name_verdict.allowed and self._limit.allowed
        if self.importing:
            key_verdict = validate_ssh_public_key(public_key)
            if key_verdict.allowed:
                key_verdict = is_new_public_key(public_key, self._saved)
            quiet_key = not (public_key or "").strip() and not show_empty
            kind = key_type_of(public_key or "") if key_verdict.allowed else ""
            self.query_one("#key-kind", Static).update(Text(f"{kind} key" if kind else ""))
            key_line = Text("") if quiet_key else verdict_text(key_verdict, "✓ valid public key")
            show_line(self.query_one("#key-error", Static), key_line)
            valid = valid and key_verdict.allowed
        self.query_one("#submit", Button).disabled = not valid
        return valid

    @on(Input.Changed, "#key-name")
    @on(TextArea.Changed, "#public-key")
    def _changed(self) -> None:
        show_line(self.query_one("#form-status", Static), Text(""))
        self._validate()

    @on(Input.Submitted, "#key-name")
    def _enter(self) -> None:
        self._submit()

    # --- submit ----------------------------------------------------------------------------------

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        if not self._validate(show_empty=True):
            return
        self.query_one("#submit", Button).disabled = True
        working = "Importing…" if self.importing else "Generating the key pair…"
        show_line(self.query_one("#form-status", Static), Text(working, style="italic"))
        name, public_key = self._values()
        self._create(name, public_key.strip() if public_key is not None else None)

    @work(exclusive=True, group="key-form", exit_on_error=False)
    async def _create(self, name: str, public_key: str | None) -> None:
        try:
            created = await self.barrack.client.create_ssh_key(name, public_key)
        except InvalidRequestError as exc:
            self._show_server_fields(exc)
            return
        except ConflictError as exc:
            # Taken since the form opened: the name, or the key itself (saved under another name).
            target = "#key-error" if exc.code == KEY_DUPLICATE and self.importing else "#name-error"
            show_line(self.query_one(target, Static), Text(exc.message or str(exc), style="bold red"))
            self._show_status("")
            return
        except ApiError as exc:
            self._show_status(str(exc))
            return
        self.dismiss(created)

    def _show_server_fields(self, exc: InvalidRequestError) -> None:
        targets = {"name": "#name-error", "public_key": "#key-error"}
        shown = False
        for field_name, message in exc.fields.items():
            selector = targets.get(field_name)
            if selector and self.query(selector):
                show_line(self.query_one(selector, Static), Text(message, style="bold red"))
                shown = True
        self._show_status("" if shown else str(exc))

    def _show_status(self, message: str) -> None:
        show_line(self.query_one("#form-status", Static), Text(message, style="bold red"))
        self.query_one("#submit", Button).disabled = False
