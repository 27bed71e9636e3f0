"""Read-only mode as the user sees it: every binding that would change the account is greyed from the start.

`refused_binding(screen, action, params)` says which mutation binding (see
`key_scheme.MUTATIONS`) an action of a screen is, when the app runs read-only;
`AreaScreen.check_action` then answers None, which greys the binding in the
key bar and in `?`, and the app's `run_action` answers a press with
`REFUSAL` instead of opening a form. Palette entries are built with
`command`, which names the current key (rebinds included) and marks a
mutation "(read-only)" the same way. The client guard (`tui/shell/guard.py`) stays
as the last line: nothing mutating is ever sent, whatever path calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from textual.actions import parse
from textual.app import SystemCommand
from textual.dom import DOMNode

from barrack_tui.tui.kit.key_scheme import MUTATIONS
from barrack_tui.tui.shell.keymap import key_for

LABEL = "(read-only)"


def refusal(what: str) -> str:
    """One sentence, as every read-only refusal is worded."""
    return f"Read-only mode: {what} was not sent; start the app without --read-only to make changes."


@cache
def _mutation_actions(cls: type[DOMNode]) -> dict[tuple[str, tuple[object, ...]], tuple[str, str]]:
    """(action name, parameters) -> (binding id, description) for a screen class's mutation bindings."""
    found: dict[tuple[str, tuple[object, ...]], tuple[str, str]] = {}
    for _key, binding in cls._merge_bindings():
        if binding.id in MUTATIONS:
            _namespace, name, params = parse(binding.action)
            found.setdefault((name, tuple(params)), (binding.id, binding.description))
    return found


def is_read_only(node: Any) -> bool:
    try:
        return bool(getattr(node.app, "read_only", False))
    except Exception:  # no active app (a screen built outside one)
        return False


def refused_binding(screen: DOMNode, action: str, params: tuple[object, ...]) -> tuple[str, str] | None:
    """(binding id, description) when `action` changes the account and the app is read-only; else None."""
    if not is_read_only(screen):
        return None
    return _mutation_actions(type(screen)).get((action, tuple(params)))


def command(
    screen: Any, binding_id: str, title: str, help_text: str, callback: Callable[[], Any]
) -> SystemCommand:
    """A palette entry for `binding_id`: its current key in the help, greyed and refused when read-only."""
    key = key_for(screen, binding_id)
    if binding_id in MUTATIONS and is_read_only(screen):
        text = refusal(f"“{title.split(': ', 1)[-1]}”")

        def refuse() -> None:
            screen.app.notify(text, title="Read-only", severity="warning")

        return SystemCommand(f"{title} {LABEL}", f"{help_text} (key {key}; read-only mode)", refuse)
    return SystemCommand(title, f"{help_text} (key {key})", callback)
