"""The items an area could not read, one key away from its status line: each one's label and field errors.

Labels and errors were sanitized when the client read the list (they name
fields and say what was wrong, never quote values), and are drawn as plain
Text. The request id, when the server gave one, is there to quote to support.
Escape (or Close) dismisses.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from barrack_tui.tui.kit.modal import BarrackModal
from barrack_tui.tui.shell.poll_health import KindItems, noun

# Beyond this many, the list says how many more: a server that sent 50,000 bad items needs no 50,000 lines.
MAX_LISTED = 200


def unreadable_text(reports: Sequence[tuple[str, KindItems]]) -> Text:
    """Every refused item of these kinds (and any cut), grouped by kind."""
    out = Text()
    for kind, items in reports:
        if not items.refused and not items.cut:
            continue
        if out:
            out.append("\n\n")
        out.append(f"{noun(kind)}", style="bold")
        if items.refused:
            out.append(f": {len(items.refused):,} of {items.sent:,} could not be read", style="bold")
        if items.request_id:
            out.append(f"  (request id {items.request_id})", style="dim")
        if items.cut:
            out.append(f"\n  {items.cut}", style="yellow")
        for problem in items.refused[:MAX_LISTED]:
            out.append("\n  • ")
            out.append(problem.label(), style="bold")
            for error in problem.errors:
                out.append(f"\n      {error}", style="dim")
        hidden = len(items.refused) - MAX_LISTED
        if hidden > 0:
            out.append(f"\n  … and {hidden:,} more", style="dim")
    return out


class UnreadableItemsModal(BarrackModal[None]):
    """What the client left out of this area's lists, and why."""

    DEFAULT_CSS = """
    UnreadableItemsModal #unreadable-list { height: auto; max-height: 20; }
    """

    def __init__(self, reports: Sequence[tuple[str, KindItems]]) -> None:
        super().__init__(id="unreadable-items")
        self._reports = list(reports)

    def compose(self) -> ComposeResult:
        body = unreadable_text(self._reports)
        with Vertical(classes="modal-box"):
            yield Static(Text("Items this version could not read"), classes="modal-title")
            if body.plain:
                yield Static(
                    Text(
                        "The server sent these, but not in a shape this version of barrack-tui understands, "
                        "so they are left out of the list. Everything else is shown.",
                        style="dim",
                    ),
                    classes="hint",
                )
                with VerticalScroll(id="unreadable-list"):
                    yield Static(body, id="unreadable-body")
            else:
                yield Static(Text("Every item the server sent for this area was read."), id="unreadable-body")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)
