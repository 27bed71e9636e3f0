"""Delete a firewall once its name is typed: the `ConfirmModal` (tui/kit/confirm.py) with the firewall's words.

The modal runs the request itself, so a refusal (F5 because an instance was
attached meanwhile, a 404 because another session removed it) is shown in
place in the server's words; it dismisses True once done.
"""

from __future__ import annotations

from rich.text import Text

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import FirewallResponse
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.tui.kit.confirm import ConfirmModal


def firewall_error(exc: ApiError) -> str:
    """The server's own sentence when it gave one (firewall refusals are full sentences)."""
    return exc.message or str(exc)


class DeleteFirewallModal(ConfirmModal):
    """Delete a firewall once the user has typed its name exactly."""

    def __init__(self, firewall: FirewallResponse, currency: str = "") -> None:
        name = str(firewall.name)
        body = Text("This deletes ")
        body.append(Text(name, style="bold"))
        body.append(f" ({firewall.region}) and its {firewall.rule_count} rule(s). It cannot be undone.")

        async def delete() -> None:
            await self.barrack.store.send(lambda api: api.delete_firewall(firewall.id))

        super().__init__(
            title="Delete firewall",
            resource=name,
            confirm_label="Delete",
            cost=cost_effect("firewall_delete", currency=currency),
            lines=[body],
            destructive=True,
            run=delete,
            working=f"Deleting {name}…",
            error_words=firewall_error,
            modal_id="fw-delete",
        )
        self.firewall = firewall
