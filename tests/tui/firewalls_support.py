"""Helpers for the Regions and Firewalls Pilot tests: waiting on workers, reading what the screen shows, toasts.

No real sleeping: `wait_until` lets the event loop run (in-process HTTP to the
simulator) until a condition holds, and fails if it never does.
"""

from __future__ import annotations

from typing import Any, TypeVar

from rich.text import Text
from textual.content import Content
from textual.widgets import Static

from barrack_tui.sim.state import FirewallRecord, SimState
from barrack_tui.tui.kit.synced_table import SyncedTable
from tests.harness import wait_until

W = TypeVar("W")


def find(app: Any, selector: str, kind: type[W] = Static) -> W:  # type: ignore[assignment]
    """The widget on the topmost screen that has one (a modal first, then the screens under it)."""
    for screen in reversed(app.screen_stack):
        found = screen.query(selector)
        if found:
            return found.only_one(kind)
    raise AssertionError(f"nothing matches {selector!r} on any screen")


def shown(widget: Static) -> str:
    """The plain text a Static shows ('' when hidden)."""
    if not widget.display:
        return ""
    content = widget.content
    if isinstance(content, (Text, Content)):
        return content.plain
    return str(content)


def text_of(app: Any, selector: str) -> str:
    return shown(find(app, selector, Static))


def table_ids(app: Any, selector: str) -> list[str]:
    return find(app, selector, SyncedTable).row_ids


def row_texts(app: Any, selector: str, row_id: str) -> list[str]:
    return [cell.plain for cell in find(app, selector, SyncedTable).get_row(row_id)]


def record_notifications(app: Any, monkeypatch: Any) -> list[str]:
    """Every toast message from now on (they are still shown)."""
    seen: list[str] = []
    real_notify = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append(message)
        real_notify(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return seen


def firewall_named(state: SimState, name: str) -> FirewallRecord:
    return next(f for f in state.firewalls.values() if f.name == name)


def add_firewalls(state: SimState, count: int, *, region: str = "US-1", prefix: str = "extra") -> list[FirewallRecord]:
    """Firewalls created "earlier" directly in the simulator (a user's other sessions)."""
    made = []
    for index in range(count):
        firewall = FirewallRecord(
            id=state.new_id("fw"),
            name=f"{prefix}-{index:02d}",
            description="",
            region=region,
            status="SUCCESS",
            created_at=state.now() + index,
        )
        state.firewalls[firewall.id] = firewall
        made.append(firewall)
    return made


async def open_firewalls(h: Any, pilot: Any) -> Any:
    """Show the Firewalls screen with fresh data; return it."""
    await pilot.press("4")
    await h.poll()
    await pilot.pause()
    return h.app.screen


async def open_details(h: Any, pilot: Any, name: str) -> Any:
    """From the Firewalls list, open the named firewall's details and wait for them to load."""
    screen = h.app.screen
    firewall = firewall_named(h.state, name)
    table = screen.query_one("#fw-table", SyncedTable)
    if firewall.id not in table.row_ids:
        screen.set_region_filter(firewall.region)
        screen.show_firewall(firewall.id)
    assert table.select_id(firewall.id)
    table.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: getattr(h.app.screen, "details", None) is not None)
    return h.app.screen
