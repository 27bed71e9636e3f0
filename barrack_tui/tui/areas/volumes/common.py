"""What the volume modals share: a store-watching modal base, the volume summary, money and progress rows.

A volume modal stays open while the pollers run, so it re-reads the store on
every change and re-asks the rules: an instance that reaches SHUTOFF while
the Detach modal is open enables its Detach button without reopening it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import LoadingIndicator, Static

from barrack_tui.api.errors import ApiError, InvalidRequestError
from barrack_tui.api.models import VMInstance, VolumeResponse
from barrack_tui.rules.pricing import storage_hourly
from barrack_tui.tui.kit.badge import status_badge
from barrack_tui.tui.kit.modal import BarrackModal
from barrack_tui.tui.shell.store import ChangeSet, StoreChanged

T = TypeVar("T")

CSS_PATH = "volumes.tcss"


class StoreWatchingModal(BarrackModal[T]):
    """A modal that follows the store: `store_changed` runs after each poll or action that changed data."""

    CSS_PATH = CSS_PATH

    busy = False

    def on_mount(self) -> None:
        self.barrack.store.subscribe(self)

    def on_unmount(self) -> None:
        self.barrack.store.unsubscribe(self)

    def on_store_changed(self, message: StoreChanged) -> None:
        if not self.busy:
            self.store_changed(message.change)

    def store_changed(self, change: ChangeSet) -> None:
        """Re-read the store and re-ask the rules."""

    @property
    def store(self) -> Any:
        return self.barrack.store

    def set_busy(self, busy: bool, label: str = "") -> None:
        """Show the progress row while a request runs; the subclass disables its own inputs."""
        self.busy = busy
        row = self.query_one(".modal-progress")
        row.display = busy
        row.query_one(".progress-label", Static).update(Text(label))

    def show_error(self, error: ApiError | str | None) -> None:
        """The server's own words in the modal (exactly `str(exc)`), or hide the line."""
        line = self.query_one(".modal-error", Static)
        line.display = bool(error)
        line.update(Text(str(error) if error else ""))


def show_text(widget: Static, text: Text | str) -> None:
    """Update a message line and hide it while it is empty (an empty line still costs a row)."""
    content = text if isinstance(text, Text) else Text(text)
    widget.display = bool(content.plain)
    widget.update(content)


def progress_row() -> ComposeResult:
    with Horizontal(classes="modal-progress"):
        yield LoadingIndicator()
        yield Static(classes="progress-label")


def error_line() -> Static:
    line = Static(classes="modal-error error")
    line.display = False
    return line


def field_errors(exc: InvalidRequestError) -> dict[str, str]:
    """A 422's per-field messages, keyed by the request's field names."""
    return {str(name).split(".")[-1]: str(text) for name, text in (exc.fields or {}).items()}


def format_rate(hourly: Decimal, currency: str) -> str:
    return f"{hourly:,.4f} {currency}/h"


def format_change(delta: Decimal, currency: str) -> str:
    sign = "+" if delta >= 0 else "−"
    return f"{sign}{abs(delta):,.4f} {currency}/h"


def storage_cost(size_gb: int, currency: str) -> Decimal:
    return storage_hourly(size_gb, currency)


def volume_summary(volume: VolumeResponse, instance: VMInstance | None = None) -> Text:
    """Name, status, size, region, type, bootable and (when attached) the instance, as plain Text."""
    text = Text()
    text.append("Volume: ", style="bold")
    text.append(volume.name)
    text.append("  ")
    text.append_text(status_badge(volume.status))
    text.append(f"\n{volume.size_gb:,} GB · {volume.volume_type} · {volume.region} · ")
    text.append(f"Bootable: {'Yes' if volume.bootable else 'No'}")
    if volume.instance_id:
        name = instance.name if instance is not None else (volume.instance_name or "unknown instance")
        status = instance.status if instance is not None else volume.instance_status
        text.append("\nAttached to: ", style="bold")
        text.append(name)
        text.append(f" ({volume.instance_id})", style="dim")
        if status is not None:
            text.append("  ")
            text.append_text(status_badge(status))
    return text
