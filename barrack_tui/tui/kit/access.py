"""`self.barrack`: the running app, typed, for screens, dialogs, widgets and the area helpers mixed into them.

Textual types `self.app` as a plain `App`, so the store, the client and the
settings would be untyped attributes. The app class is imported for the type
checker only: at run time the kit knows nothing of the shell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from barrack_tui.tui.shell.app import BarrackApp


class UsesBarrack:
    """Base of every node (and helper mixed into a node) that talks to the app."""

    @property
    def barrack(self) -> BarrackApp:
        # Every class this is mixed into is a Textual node; its `app` finds the running app.
        return cast("BarrackApp", cast("MessagePump", self).app)
