"""One volume card: name and badge, the attached instance, size/region/type/bootable, and its action buttons.

The card is a slot the Volumes screen binds to whichever volume sits at that
position of the current page, so paging, adding and removing volumes update
cards in place instead of rebuilding the grid. Which buttons are shown and
pressable comes only from `rules.volumes.card_actions`; a disabled button's
reason is printed on the card (a terminal user may never see a tooltip); in
the compact form of short terminals, on one line under the grid for the focused
card (`reasons_line`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static

from barrack_tui.api.models import VMInstance, VolumeResponse, VolumeStatus
from barrack_tui.rules.volumes import ButtonState, CardActions, card_actions
from barrack_tui.tui.kit.badge import status_badge
from barrack_tui.tui.kit.marks import MARK, MARK_STYLE
from barrack_tui.tui.kit.unknown_mark import marked_text

# Button order on the card; the key each action has on the Volumes screen.
CARD_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("attach", "Attach", "a"),
    ("detach", "Detach", "d"),
    ("delete", "Delete", "x"),
    ("clone", "Clone", "c"),
    ("resize", "Resize", "r"),
)
_VARIANTS = {"attach": "success", "detach": "warning", "delete": "error", "clone": "default", "resize": "default"}


def attached_instance_line(volume: VolumeResponse, instance: VMInstance | None) -> Text:
    """"→ name (id) STATUS" from the instances store, falling back to what the volume itself says."""
    name = instance.name if instance is not None else (volume.instance_name or "unknown instance")
    status = instance.status if instance is not None else volume.instance_status
    line = Text("→ ")
    line.append(name, style="bold")
    line.append(f"  {volume.instance_id}", style="dim")
    if status is not None:
        line.append("  ")
        line.append_text(status_badge(status))
    return line


def volume_facts(volume: VolumeResponse) -> Text:
    facts = Text()
    facts.append(f"Size: {volume.size_gb:,} GB · ")
    facts.append_text(marked_text(volume.volume_type))
    facts.append("\nRegion: ")
    facts.append_text(marked_text(volume.region))
    facts.append(" · ")
    facts.append(f"Bootable: {'Yes' if volume.bootable else 'No'}")
    return facts


class VolumeCard(Widget, can_focus=True, can_focus_children=False):
    """A focusable card; the screen binds it to a volume with `show()` and reads `actions` for the keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # On the card itself so they win over the scrolling container around the grid.
        Binding("up", "move('up')", "Card above", show=False, id="volumes.card_up"),
        Binding("down", "move('down')", "Card below", show=False, id="volumes.card_down"),
        Binding("left", "move('left')", "Previous card", show=False, id="volumes.card_left"),
        Binding("right", "move('right')", "Next card", show=False, id="volumes.card_right"),
        Binding("pageup", "move('pageup')", "Previous page", show=False, id="volumes.card_pageup"),
        Binding("pagedown", "move('pagedown')", "Next page", show=False, id="volumes.card_pagedown"),
    ]

    class MoveRequested(Message):
        """An arrow or page key on the card: the screen, which knows the grid, moves the focus."""

        def __init__(self, card: VolumeCard, direction: str) -> None:
            super().__init__()
            self.card = card
            self.direction = direction

    class ActionPressed(Message):
        """A card button was clicked: the screen runs the same action as the key."""

        def __init__(self, card: VolumeCard, action: str) -> None:
            super().__init__()
            self.card = card
            self.action = action

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.volume: VolumeResponse | None = None
        self.instance: VMInstance | None = None
        self.actions: CardActions | None = None
        self._shown: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="card-head"):
            yield Static(classes="card-name")
            yield Static(classes="card-badge")
        yield Static(classes="card-instance")
        yield Static(classes="card-facts")
        with Horizontal(classes="card-buttons"):
            for action, label, _key in CARD_ACTIONS:
                # Not focusable (can_focus_children): the card is the keyboard's unit, letter keys press these.
                variant: Any = _VARIANTS[action]
                yield Button(label, variant=variant, compact=True, classes=f"card-{action}")
        yield Static(classes="card-reasons")

    @property
    def volume_id(self) -> str | None:
        return self.volume.id if self.volume is not None else None

    def button(self, action: str) -> Button:
        return self.query_one(f".card-{action}", Button)

    def show(self, volume: VolumeResponse | None, instance: VMInstance | None, currency: str, *, marked: bool = False) -> None:
        """Bind the card to `volume` (None hides the slot); redraw only what the data changed."""
        key = (volume, instance, currency, marked)
        if key == self._shown:
            return
        self._shown = key
        self.volume, self.instance = volume, instance
        self.display = volume is not None
        self.set_class(marked and volume is not None, "-marked")
        if volume is None:
            self.actions = None
            return
        self.actions = card_actions(volume, instance, currency)
        name = Text(overflow="ellipsis", no_wrap=True)
        if marked:
            name.append(f"{MARK} ", style=MARK_STYLE)
        name.append(volume.name, style="bold")
        self.query_one(".card-name", Static).update(name)
        self.query_one(".card-badge", Static).update(status_badge(volume.status))
        instance_line = self.query_one(".card-instance", Static)
        instance_line.display = volume.status == VolumeStatus.ATTACHED
        if instance_line.display:
            instance_line.update(attached_instance_line(volume, instance))
        self.query_one(".card-facts", Static).update(volume_facts(volume))
        reasons = Text()
        for action, label, _key in CARD_ACTIONS:
            state: ButtonState = getattr(self.actions, action)
            button = self.button(action)
            button.display = state.visible
            button.disabled = not state.enabled
            button.tooltip = Text(state.reason) if state.visible and not state.enabled else None
            if state.visible and not state.enabled:
                if reasons:
                    reasons.append("\n")
                reasons.append(f"⊘ {label}: ", style="bold")
                reasons.append(state.reason)
        reasons_widget = self.query_one(".card-reasons", Static)
        # A class, not `display`: the compact form (short terminals) hides every card's reasons in CSS
        # and shows the focused card's in one line under the grid instead.
        reasons_widget.set_class(not reasons, "-empty")
        reasons_widget.update(reasons)

    def reasons_line(self) -> Text:
        """Why this card's greyed buttons are greyed, on one line (the compact form's line under the grid)."""
        line = Text(no_wrap=True, overflow="ellipsis")
        if self.volume is None or self.actions is None:
            return line
        for action, label, _key in CARD_ACTIONS:
            state: ButtonState = getattr(self.actions, action)
            if state.visible and not state.enabled:
                if line:
                    line.append(" · ")
                line.append(f"⊘ {label}: ", style="bold")
                line.append(state.reason)
        return line

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        for action, _label, _key in CARD_ACTIONS:
            if event.button.has_class(f"card-{action}"):
                self.focus()
                self.post_message(self.ActionPressed(self, action))
                return

    def on_click(self) -> None:
        self.focus()

    def action_move(self, direction: str) -> None:
        self.post_message(self.MoveRequested(self, direction))
