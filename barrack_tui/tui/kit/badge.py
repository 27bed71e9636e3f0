"""Status badges: one colour scheme for every status string the API returns.

Returns `rich.text.Text`, so a status (a server string) is never parsed as markup.
"""

from __future__ import annotations

from rich.text import Text

from barrack_tui.api.enums import TRANSITIONAL_VM_STATUSES
from barrack_tui.api.unknown import is_unknown
from barrack_tui.tui.kit.unknown_mark import UNKNOWN_BADGE_STYLE, UNKNOWN_MARK, UNKNOWN_STYLE

_STYLES: dict[str, str] = {
    # instances
    "ACTIVE": "bold black on green",
    "SHUTOFF": "bold black on yellow",
    "HIBERNATED": "bold white on blue",
    "ERROR": "bold white on red",
    "DELETED": "dim",
    # volumes
    "available": "bold black on green",
    "attached": "bold white on blue",
    "creating": "bold black on cyan",
    "error": "bold white on red",
    # firewalls, attachments, snapshots, images
    "SUCCESS": "bold black on green",
    "CREATING": "bold black on cyan",
    "ATTACHING": "bold black on cyan",
}

_LABELS = {"available": "Available", "attached": "Attached", "creating": "Creating", "error": "Error"}


def status_badge(status: object, *, transitional_marker: str = "⟳ ") -> Text:
    """`ACTIVE` as a coloured pill; transitional instance states get a marker so they read as "moving"."""
    raw = str(getattr(status, "value", status))
    if is_unknown(status):
        return Text(f" {raw} {UNKNOWN_MARK} ", style=UNKNOWN_BADGE_STYLE)
    label = _LABELS.get(raw, raw)
    if raw in TRANSITIONAL_VM_STATUSES:
        return Text(f" {transitional_marker}{label} ", style="bold black on cyan")
    return Text(f" {label} ", style=_STYLES.get(raw, "bold reverse"))


def status_text(status: object) -> Text:
    """The same colour as a foreground only, for dense tables."""
    raw = str(getattr(status, "value", status))
    if is_unknown(status):
        return Text(f"{raw} {UNKNOWN_MARK}", style=UNKNOWN_STYLE)
    style = _STYLES.get(raw, "")
    fg = style.split(" on ")[-1] if " on " in style else ""
    if raw in TRANSITIONAL_VM_STATUSES:
        return Text(f"⟳ {raw}", style="bold cyan")
    return Text(_LABELS.get(raw, raw), style=f"bold {fg}".strip())
