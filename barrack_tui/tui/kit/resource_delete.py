"""Delete an SSH key, startup scripts, a snapshot or an image: the typed-name `ConfirmModal` that sends itself.

The name box has the focus; Enter deletes only once the name matches. The
request runs in a worker with a progress line; success dismisses with its
result, an `ApiError` stays in the modal as the server's own words (the user
sees why, and nothing changed).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from rich.text import Text

from barrack_tui.tui.kit.confirm import ConfirmModal


class ConfirmDeleteModal(ConfirmModal):
    """Dismisses with `perform()`'s result (or True when it returns None); None when cancelled."""

    def __init__(
        self,
        title: Text,
        lines: Sequence[Text],
        perform: Callable[[], Awaitable[Any]],
        *,
        resource: str,
        cost: str,
        confirm_label: str = "Delete",
        modal_id: str = "confirm-delete",
    ) -> None:
        super().__init__(
            title=title,
            resource=resource,
            confirm_label=confirm_label,
            cost=cost,
            lines=lines,
            destructive=True,
            run=perform,
            working=f"Deleting {resource}…",
            modal_id=modal_id,
        )
