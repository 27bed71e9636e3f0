"""Destructive firewall confirmations: remove a rule, detach an instance, delete a firewall (typed name).

Each modal runs its request itself, in a worker, so a refusal (F5 because an
instance was attached meanwhile, a 404 because another session removed it)
is shown in place in the server's words; it dismisses True once done.
Cancel has the focus first (the typed-name delete focuses its name field,
whose Delete stays disabled until the name matches): a stray Enter on a
freshly opened confirmation does nothing harmful.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from barrack_tui.api.errors import ApiError, AuthError
from barrack_tui.api.models import FirewallResponse
from barrack_tui.rules.instances import delete_confirmed
from barrack_tui.tui.modals.base import BarrackModal
from barrack_tui.tui.modals.firewall_create import show_verdict


class ConfirmActionModal(BarrackModal[bool | None]):
    """A yes/no confirmation that performs `run()` on yes and shows its refusal in place."""

    CSS_PATH = "../styles/firewalls.tcss"

    def __init__(
        self,
        *,
        title: str,
        body: Text,
        confirm_label: str,
        run: Callable[[], Awaitable[Any]],
        warning: Text | None = None,
        modal_id: str = "fw-confirm",
    ) -> None:
        super().__init__(id=modal_id)
        self.title_text = title
        self.body = body
        self.warning = warning
        self.confirm_label = confirm_label
        self.run = run

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box danger"):
            yield Static(Text(self.title_text), classes="modal-title")
            yield Static(self.body, id="confirm-body")
            if self.warning is not None:
                yield Static(self.warning, id="confirm-warning", classes="warning-box")
            error = Static(id="confirm-error", classes="form-error")
            error.display = False
            yield error
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="confirm-cancel", compact=True)
                yield Button(self.confirm_label, id="confirm-ok", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel", Button).focus()

    @on(Button.Pressed, "#confirm-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#confirm-ok")
    def _confirm_pressed(self) -> None:
        self.perform()

    @work(exclusive=True, group="firewall-confirm", exit_on_error=False)
    async def perform(self) -> None:
        button = self.query_one("#confirm-ok", Button)
        button.disabled = True
        try:
            await self.run()
        except AuthError:
            raise
        except ApiError as exc:
            show_verdict(self.query_one("#confirm-error", Static), exc.message or str(exc))
            button.disabled = False
            return
        self.dismiss(True)


class DeleteFirewallModal(BarrackModal[bool | None]):
    """Delete a firewall once the user has typed its name exactly."""

    CSS_PATH = "../styles/firewalls.tcss"

    def __init__(self, firewall: FirewallResponse) -> None:
        super().__init__(id="fw-delete")
        self.firewall = firewall

    def compose(self) -> ComposeResult:
        name = str(self.firewall.name)
        with Vertical(classes="modal-box danger"):
            yield Static(Text("Delete firewall"), classes="modal-title")
            body = Text("This deletes ")
            body.append(Text(name, style="bold"))
            body.append(f" ({self.firewall.region}) and its {self.firewall.rule_count} rule(s). It cannot be undone.")
            yield Static(body)
            prompt = Text("Type the firewall's name to confirm: ")
            prompt.append(Text(name, style="bold"))
            yield Static(prompt, classes="form-prompt")
            yield Input(placeholder=name, id="delete-name", compact=True)
            error = Static(id="delete-error", classes="form-error")
            error.display = False
            yield error
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="delete-cancel", compact=True)
                yield Button("Delete", id="delete-ok", variant="error", compact=True, disabled=True)

    def on_mount(self) -> None:
        # The name field, not Cancel, has the focus: Delete stays disabled until the name is typed,
        # so nothing can be confirmed by a stray Enter, and the user can type at once.
        self.query_one("#delete-name", Input).focus()

    def confirmed(self) -> bool:
        return delete_confirmed(self.query_one("#delete-name", Input).value, str(self.firewall.name))

    @on(Input.Changed, "#delete-name")
    def _typed(self) -> None:
        self.query_one("#delete-ok", Button).disabled = not self.confirmed()

    @on(Input.Submitted, "#delete-name")
    @on(Button.Pressed, "#delete-ok")
    def _delete_requested(self) -> None:
        if self.confirmed():
            self.delete()

    @on(Button.Pressed, "#delete-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, group="firewall-delete", exit_on_error=False)
    async def delete(self) -> None:
        button = self.query_one("#delete-ok", Button)
        button.disabled = True
        try:
            await self.app.client.delete_firewall(self.firewall.id)  # type: ignore[attr-defined]
        except AuthError:
            raise
        except ApiError as exc:
            show_verdict(self.query_one("#delete-error", Static), exc.message or str(exc))
            button.disabled = not self.confirmed()
            return
        self.dismiss(True)
