"""`?`: every key of the screen in view (hidden ones too), as the user has them bound, greyed when unavailable.

Textual's help panel lists the bindings without saying which are disabled;
this one dims them like the key bar does, and labels each mutation
"(read-only)" when the app runs read-only. Its rows (`help_rows`) are the same
(key, description) pairs README.md's key table is generated from
(tui/shell/keymap.py), so a test can hold the two together.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from barrack_tui.tui.kit.key_scheme import MUTATIONS
from barrack_tui.tui.shell.read_only import LABEL


class HelpRow(NamedTuple):
    keys: str
    description: str
    enabled: bool
    read_only: bool


def help_rows(screen: Screen) -> list[HelpRow]:
    """One row per action active on `screen` (its widgets', its own, the app's), in the key bar's order."""
    app = screen.app
    read_only = bool(getattr(app, "read_only", False))
    rows: dict[str, tuple[list[str], str, bool, bool]] = {}
    for _node, binding, enabled, _tooltip in screen.active_bindings.values():
        if binding.system:
            continue
        keys, _, was_enabled, refused = rows.setdefault(
            binding.action, ([], binding.description, enabled, read_only and not enabled and binding.id in MUTATIONS)
        )
        shown = app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
    return [HelpRow(" ".join(keys), description, enabled, refused) for keys, description, enabled, refused in rows.values()]


class KeyHelp(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    KeyHelp {
        dock: right;
        width: 44;
        max-width: 50%;
        height: 1fr;
        border-left: vkey $foreground 30%;
        padding: 0 1;
        background: $panel;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="key-help-table")

    def on_mount(self) -> None:
        self._mounted_on = self.screen
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._draw()

    def on_unmount(self) -> None:
        self._mounted_on.bindings_updated_signal.unsubscribe(self)

    def _changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._draw()

    def rows(self) -> list[HelpRow]:
        return help_rows(self.screen)

    def _draw(self) -> None:
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="bold")
        table.add_column()
        for row in self.rows():
            style = "" if row.enabled else "dim"
            description = Text(row.description, style=style)
            if row.read_only:
                description.append(f" {LABEL}", style="dim italic")
            table.add_row(Text(row.keys, style="bold" if row.enabled else "dim"), description)
        self.query_one("#key-help-table", Static).update(table)
