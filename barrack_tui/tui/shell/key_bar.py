"""The bottom line of key hints, drawn as one line of text.

Textual's `Footer` mounts a widget per key and recomposes all of them whenever
the screen's bindings change, which is every focus change and every mode
switch: ~100 ms each on these screens (each key restyles itself as it mounts).
`KeyBar` shows the same hints (the focused widget's, then the screen's, then
the app's; one per action; disabled ones dimmed, mutations labelled
"(read-only)" in read-only mode; the command palette key at the right) and only redraws its line when the hints actually differ. When the line
is too long for the terminal, the mode keys fold into one "1–7 Areas" hint; if
it is still too long, hints are left out from the right until it fits, except
`?` (which lists every key) and the command palette's. A click on a hint
presses its key, as with the Footer.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from barrack_tui.tui.kit.access import UsesBarrack
from barrack_tui.tui.kit.key_scheme import MUTATIONS
from barrack_tui.tui.shell.read_only import LABEL as READ_ONLY_LABEL


class Hint(NamedTuple):
    key: str
    key_display: str
    description: str
    enabled: bool
    action: str = ""


# The hint a narrow bar keeps whatever else it leaves out: the one that shows all the others.
HELP_ACTION = "toggle_help"


def _is_mode_key(hint: Hint) -> bool:
    return hint.action.startswith("switch_mode(")


def compact(hints: tuple[Hint, ...]) -> tuple[Hint, ...]:
    """The mode keys (1..7) as one "1-7 Areas" hint, so the screen's own keys and `?` stay visible."""
    modes = [hint for hint in hints if _is_mode_key(hint)]
    if len(modes) < 2:
        return hints
    first = hints.index(modes[0])
    areas = Hint("", f"{modes[0].key_display}–{modes[-1].key_display}", "Areas", True)
    rest = tuple(hint for hint in hints if not _is_mode_key(hint))
    return (*rest[:first], areas, *rest[first:])


class KeyBar(UsesBarrack, Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--disabled {
            text-style: dim;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id)
        self._hints: tuple[Hint, ...] = ()
        self._palette: Hint | None = None
        self._spans: list[tuple[int, int, Hint]] = []

    def on_mount(self) -> None:
        # Like the Footer, wait for the screen's signal: before it, the screen's widgets (which its
        # check_action may query) are not all mounted.
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        hints, palette = self._collect(screen)
        if (hints, palette) != (self._hints, self._palette):
            self._hints, self._palette = hints, palette
            self.refresh()

    def _collect(self, screen: Screen) -> tuple[tuple[Hint, ...], Hint | None]:
        app = self.app
        active = screen.active_bindings
        read_only = bool(getattr(app, "read_only", False))
        hints: list[Hint] = []
        seen_actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            description = binding.description
            if read_only and not enabled and binding.id in MUTATIONS:
                description = f"{description} {READ_ONLY_LABEL}"
            hints.append(Hint(binding.key, app.get_key_display(binding), description, enabled, binding.action))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = Hint(binding.key, app.get_key_display(binding), binding.description, enabled)
        return tuple(hints), palette

    @property
    def hints(self) -> tuple[Hint, ...]:
        """What the bar offers now, in order (the palette key not included)."""
        return self._hints

    def render(self) -> Text:
        width = self.size.width
        line = self._line(self._hints)
        if line.cell_len <= width:
            return line
        # Too narrow for every hint: fold the mode keys rather than crop `?` and the screen's keys away.
        kept = list(compact(self._hints))
        line = self._line(tuple(kept))
        while line.cell_len > width:
            # Still too long: leave hints out from the right; `?` stays, and lists them all.
            droppable = [index for index, hint in enumerate(kept) if hint.action != HELP_ACTION]
            if not droppable:
                break
            del kept[droppable[-1]]
            line = self._line(tuple(kept))
        return line

    def _line(self, hints: tuple[Hint, ...]) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        dim = self.get_component_rich_style("key-bar--disabled", partial=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, Hint]] = []

        def add(hint: Hint) -> None:
            start = len(line)
            line.append(f" {hint.key_display} ", key_style + dim if not hint.enabled else key_style)
            if hint.description:
                line.append(f"{hint.description} ", description_style + dim if not hint.enabled else description_style)
            spans.append((start, len(line), hint))

        for hint in hints:
            add(hint)
        if self._palette is not None:
            # Right-aligned when there is room, as in Textual's Footer; otherwise it follows the others.
            palette_width = len(f" {self._palette.key_display} {self._palette.description} ")
            gap = self.size.width - len(line) - palette_width
            if gap > 0:
                line.append(" " * gap)
            add(self._palette)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, hint in self._spans:
            if start <= event.x < end and hint.key:
                if hint.enabled:
                    self.barrack.simulate_key(hint.key)
                else:
                    self.barrack.bell()
                return
