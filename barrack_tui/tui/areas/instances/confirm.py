"""Yes/no confirmations of instance-side changes that are not an instance action (the ssh-config Include).

A thin form of `ConfirmModal` (tui/kit/confirm.py) for callers that build their
own body lines: Enter confirms, Esc cancels. The instance actions themselves
build their `ConfirmModal` with its cost line in `tui/areas/instances/actions.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from barrack_tui.tui.kit.confirm import ConfirmModal


class ConfirmInstanceAction(ConfirmModal):
    """Dismisses True on confirm, None on cancel/Escape."""

    def __init__(
        self,
        title: str,
        body: Sequence[Text],
        *,
        confirm_label: str,
        warning: str | None = None,
        cost: str | None = None,
        resource: str = "",
    ) -> None:
        super().__init__(title=title, resource=resource, confirm_label=confirm_label, cost=cost, lines=body, warning=warning)
