"""Toasts raised by screens and dialogs are plain text unless the caller opts in to markup.

`BarrackApp.notify` defaults to plain text because toasts so often quote server
strings. Textual's `Widget.notify` (what `self.notify` is on a screen) passes
`markup=True` to the app explicitly, so without this a screen's toast would
parse `[...]` in an interpolated name as markup.
"""

from __future__ import annotations

from typing import Any

from barrack_tui.tui.kit.access import UsesBarrack


class PlainNotify(UsesBarrack):
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        self.barrack.notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
