"""Step 4: SSH keys — pick at least one; create (generated) or import (pasted public key) a key inline.

The key-name and public-key checks are K1's (`validate_key_name`,
`validate_ssh_public_key`, `can_create_key`). A generated key's private half
comes back once and is shown in `DeployPrivateKeyModal` to be saved.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import SSHKeyResponse
from barrack_tui.rules.resources import can_create_key
from barrack_tui.rules.validators import validate_key_name, validate_ssh_public_key
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.areas.instances.deploy.steps.base import WizardStep
from barrack_tui.tui.areas.instances.new_key import DeployPrivateKeyModal


def key_prompt(key: SSHKeyResponse) -> Text:
    return Text.assemble((key.name, "bold"), "  ", (key.fingerprint, "dim"))


class KeysStep(WizardStep):
    KEY = "keys"
    TITLE = "SSH keys"

    def __init__(self, form) -> None:  # noqa: ANN001
        super().__init__(form)
        self.keys: list[SSHKeyResponse] = []

    def compose(self) -> ComposeResult:
        yield Label("SSH keys allowed to log in (space toggles; at least one)")
        yield SelectionList[str](id="wiz-keys")
        yield Static(Text(""), id="wiz-keys-error", classes="field-error")
        yield Label("New key: a name and a public key to import (empty: generate a pair)")
        with Horizontal(classes="wiz-row"):
            yield Input(placeholder="key name", id="wiz-key-name")
            yield Input(placeholder="ssh-ed25519 AAAA… (optional)", id="wiz-key-public")
            yield Button("Add key", id="wiz-key-create")
        yield Static(Text(""), id="wiz-key-create-error", classes="field-error")

    def entered(self) -> None:
        self.query_one("#wiz-keys", SelectionList).focus()
        self.load_keys()

    @work(exclusive=True, group="wizard-keys", exit_on_error=False)
    async def load_keys(self) -> None:
        try:
            self.keys = await self.barrack.store.send(lambda api: api.list_ssh_keys())
        except ApiError as exc:
            self.set_note("wiz-keys-error", str(exc), "red")
            return
        self._fill()

    def _fill(self) -> None:
        selection = self.query_one("#wiz-keys", SelectionList)
        chosen = set(self.form.ssh_key_ids)
        selection.clear_options()
        selection.add_options([Selection(key_prompt(key), key.id, key.id in chosen) for key in self.keys])
        if self.keys:
            selection.highlighted = 0

    def collect(self) -> None:
        known = {key.id for key in self.keys}
        selected = list(self.query_one("#wiz-keys", SelectionList).selected)
        # Before the list loaded, keep what was chosen (e.g. a restored form).
        self.form.ssh_key_ids = selected if known else list(self.form.ssh_key_ids)

    def show_verdicts(self, verdicts: dict[str, Verdict]) -> None:
        self.set_error("wiz-keys-error", verdicts.get("ssh_key_ids"))

    @on(Input.Submitted, "#wiz-key-public")
    @on(Input.Submitted, "#wiz-key-name")
    @on(Button.Pressed, "#wiz-key-create")
    def create_key(self) -> None:
        name = self.query_one("#wiz-key-name", Input).value.strip()
        public = self.query_one("#wiz-key-public", Input).value.strip()
        region = self.form.region
        in_region = sum(1 for key in self.keys if region in key.regions)
        checks = [
            can_create_key(in_region),
            validate_key_name(name, taken={key.name for key in self.keys}),
            validate_ssh_public_key(public) if public else None,
        ]
        refused = next((c for c in checks if c is not None and not c), None)
        if refused is not None:
            self.set_error("wiz-key-create-error", refused)
            return
        self.set_error("wiz-key-create-error", None)
        self.query_one("#wiz-key-create", Button).disabled = True
        self.send_create(name, public or None)

    @work(exclusive=True, group="wizard-key-create", exit_on_error=False)
    async def send_create(self, name: str, public_key: str | None) -> None:
        try:
            answer = await self.barrack.store.send(lambda api: api.create_ssh_key(name, public_key))
        except ApiError as exc:
            self.set_note("wiz-key-create-error", str(exc), "red")
            return
        finally:
            self.query_one("#wiz-key-create", Button).disabled = False
        self.keys.append(answer.key)
        self.form.ssh_key_ids = [*self.query_one("#wiz-keys", SelectionList).selected, answer.key.id]
        self._fill()
        self.wizard.revalidate("ssh_key_ids")  # "add at least one" is answered
        self.store.upsert("ssh_keys", answer.key)
        for widget_id in ("#wiz-key-name", "#wiz-key-public"):
            self.query_one(widget_id, Input).value = ""
        self.set_note("wiz-key-create-error", Text.assemble("Added and selected ", (answer.key.name, "bold")), "green")
        if answer.private_key:
            self.barrack.push_screen(DeployPrivateKeyModal(answer.key.name, answer.private_key))
