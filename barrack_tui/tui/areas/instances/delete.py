"""I7: delete an instance only after its name is typed exactly (the name box has the focus from the start)."""

from __future__ import annotations

from rich.text import Text

from barrack_tui.api.models import VMInstance
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.tui.kit.confirm import ConfirmModal


class DeleteInstanceModal(ConfirmModal):
    """Dismisses True when the typed name matched and the user confirmed."""

    def __init__(self, instance: VMInstance) -> None:
        super().__init__(
            title=Text.assemble("Delete instance ", (instance.name, "bold")),
            resource=instance.name,
            confirm_label="Delete",
            cost=cost_effect("delete", currency=instance.currency, status=instance.status, hourly_price=instance.hourly_price),
            lines=[
                Text(f"{instance.status} in {instance.region}."),
                Text(
                    "The instance and its OS disk are destroyed; this cannot be undone. Attached data volumes are "
                    "detached and kept (they still bill storage)."
                ),
            ],
            destructive=True,
        )
        self.instance = instance
