"""The question a form asks before Escape throws away what the user typed, and the mixin that asks it.

The question is a confirmation like any other (`ConfirmModal`): the Discard
button has the focus, so Enter discards; Esc or "Keep editing" goes back to
the form with everything typed. It lives here rather than beside
`BarrackModal` (which decides when to ask) because a confirmation is built on
`BarrackModal`: the base asks through `ask_to_discard`, and forms mix in
`AsksBeforeDiscarding`, which answers it with this question.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from barrack_tui.tui.kit.confirm import ConfirmModal


def discard_question(form: str) -> str:
    """"Discard the new volume form?": what the dialog asks about `form`."""
    return f"Discard {form}?"


class DiscardChangesModal(ConfirmModal):
    """Dismisses True (discard) or None (keep editing: the form stays as it was, with everything typed).

    Its own Escape must not ask anything, so it is not a form itself (`FORM` stays empty).
    """

    def __init__(self, form: str) -> None:
        super().__init__(
            title=Text(discard_question(form), style="bold"),
            resource=form,
            confirm_label="Discard",
            lines=[Text("Enter discards what you typed, Esc keeps editing.")],
            cancel_label="Keep editing",
            confirm_variant="error",
            modal_id="discard-changes",
        )
        self.form = form


class AsksBeforeDiscarding:
    """Mixed into a form (before its `BarrackModal` base): Escape with changes asks `DiscardChangesModal` first."""

    def ask_to_discard(self: Any) -> None:
        def answered(discard: bool | None) -> None:
            if discard:
                self.discard()

        self.barrack.push_screen(DiscardChangesModal(self.FORM), answered)
