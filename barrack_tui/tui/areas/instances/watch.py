"""State watches on an instance: "tell me when my-train is ACTIVE" (w, or the command palette).

The watch itself is the shell's (tui/shell/alerts.py): it is checked on every
instances poll whatever screen is shown, and told like a budget alert (a
toast, the activity log, the terminal's desktop notification). This is the
key and the small dialog that picks the status to wait for; the command
palette offers the same watches for the selected instance (the app's commands).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from barrack_tui.api.models import VMInstance
from barrack_tui.spend.watches import GONE, choices
from barrack_tui.tui.kit.access import UsesBarrack
from barrack_tui.tui.kit.modal import BarrackModal

WATCH_BINDING = Binding("w", "watch_state", "Watch state", id="instances.watch")


class WatchStateModal(BarrackModal[str]):
    """Pick the status to be told about; dismisses with it."""

    CSS_PATH = "instances.tcss"

    def __init__(self, instance: VMInstance) -> None:
        super().__init__()
        self.instance = instance

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="watch-box"):
            yield Static(Text.assemble("Tell me when ", (self.instance.name, "bold"), " is…"), classes="modal-title")
            yield OptionList(*(Option(f"{status.lower() if status == GONE else status}", id=status)
                               for status in choices(str(self.instance.status))), id="watch-list")
            yield Static(Text(f"now {self.instance.status} · Enter watches · Esc cancels", style="dim"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


if TYPE_CHECKING:  # the screens this is mixed into; at run time it is only a mixin
    from barrack_tui.tui.shell.screen import AreaScreen as _MixedInto
else:
    _MixedInto = UsesBarrack


class StateWatchActions(_MixedInto):
    """Mixed into a screen that has a selected instance: `w` asks which status to wait for."""

    def selected_instance(self) -> VMInstance | None:
        raise NotImplementedError

    def action_watch_state(self) -> None:
        instance = self.selected_instance()
        if instance is None:
            self.barrack.notify("No instance selected", severity="warning", timeout=4)
            return
        self.barrack.push_screen(WatchStateModal(instance), lambda status: self.start_watch(instance, status))

    def start_watch(self, instance: VMInstance, status: Any) -> None:
        if status:
            self.barrack.notify(self.barrack.alerts.watch_state(instance, str(status)), title="Watch")
