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

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from barrack_tui.api.errors import ApiError, ConflictError
from barrack_tui.api.models import CreateSSHKeyResponse
from barrack_tui.rules.resources import can_create_key
from barrack_tui.rules.sshkeys import KEY_DUPLICATE, is_new_public_key, saved_keys_index, validate_ssh_public_key
from barrack_tui.rules.validators import NAME_MAX, validate_key_name
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.kit.field_text import show_line, verdict_text
from barrack_tui.tui.kit.form import FormModal


def key_type_of(public_key: str) -> str:
    """`ssh-ed25519 AAAA...` -> `ed25519`, for the list and the import preview."""
    first = public_key.split(maxsplit=1)[0] if public_key.strip() else ""
    return first.removeprefix("ssh-").removeprefix("ecdsa-sha2-") or "?"


class KeyFormModal(FormModal[CreateSSHKeyResponse, tuple[str, str | None]]):
    CSS_PATH = "keys.tcss"
    WORK_GROUP = "key-form"

    def __init__(self, *, importing: bool, taken_names: Iterable[str], keys_in_fullest_region: int) -> None:
        super().__init__(id="key-import" if importing else "key-generate")
        self.importing = importing
        self.FORM = "the key import form" if importing else "the new key form"
        self.FIELDS = ("name", "public_key") if importing else ("name",)
        self.PROGRESS = "Importing…" if importing else "Generating the key pair…"
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

    # --- validation ------------------------------------------------------------------------------

    def message_id(self, field: str) -> str:
        return "key-error" if field == "public_key" else "name-error"

    def values(self) -> tuple[str, str | None]:
        name = self.query_one("#key-name", Input).value
        public_key = self.query_one("#public-key", TextArea).text if self.importing else None
        return name, public_key

    def verdicts(self, values: tuple[str, str | None]) -> dict[str, Verdict]:
        name, public_key = values
        # The K1 limit has its own line, shown once: it counts against the button, not under a field.
        verdicts = {"name": validate_key_name(name, taken=self._taken), "limit": self._limit}
        if self.importing:
            key_verdict = validate_ssh_public_key(public_key)
            verdicts["public_key"] = is_new_public_key(public_key, self._saved) if key_verdict.allowed else key_verdict
        return verdicts

    def is_quiet(self, field: str, values: tuple[str, str | None]) -> bool:
        # An empty field is not an error yet (the button stays disabled); submitting says what is missing.
        name, public_key = values
        return not name if field == "name" else not (public_key or "").strip()

    def ok_message(self, field: str) -> str:
        return "✓ valid public key" if field == "public_key" else ""

    def after_validate(self, values: tuple[str, str | None], verdicts: Mapping[str, Verdict]) -> None:
        name, public_key = values
        self.query_one("#name-counter", Static).update(Text(f"{len(name)}/{NAME_MAX}", style="bold red" if len(name) > NAME_MAX else ""))
        if self.importing:
            kind = key_type_of(public_key or "") if verdicts["public_key"].allowed else ""
            self.query_one("#key-kind", Static).update(Text(f"{kind} key" if kind else ""))

    # --- submit ----------------------------------------------------------------------------------

    async def send(self, values: tuple[str, str | None]) -> CreateSSHKeyResponse:
        name, public_key = values
        created: CreateSSHKeyResponse = await self.barrack.store.send(lambda api: api.create_ssh_key(
            name, public_key.strip() if public_key is not None else None
        ))
        return created

    def field_for_error(self, exc: ApiError) -> str | None:
        if not isinstance(exc, ConflictError):
            return None
        # Taken since the form opened: the name, or the key itself (saved under another name).
        return "public_key" if exc.code == KEY_DUPLICATE and self.importing else "name"
