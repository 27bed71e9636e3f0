"""Helpers for the SSH keys / scripts / snapshots Pilot tests: waiting on workers, reading what the screen shows."""

from __future__ import annotations

from typing import Any, TypeVar

from rich.text import Text
from textual.widgets import Button, OptionList, Select, Static

from barrack_tui.sim.keygen import GeneratedKeyPair, fingerprint
from barrack_tui.sim.seed_resources import ed25519_public_key
from barrack_tui.tui.kit.synced_table import SyncedTable

W = TypeVar("W")


def shown(widget: Static) -> str:
    """The plain text a Static shows ('' when it is hidden)."""
    if not widget.display:
        return ""
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


def find(app: Any, selector: str, kind: type[W]) -> W:
    """The widget on the topmost screen that has it (a modal first, then the screen under it)."""
    for screen in reversed(app.screen_stack):
        found = screen.query(selector)
        if found:
            return found.only_one(kind)
    raise AssertionError(f"nothing matches {selector!r} on any screen")


def text_of(app: Any, selector: str) -> str:
    return shown(find(app, selector, Static))


def button(app: Any, selector: str) -> Button:
    return find(app, selector, Button)


def table_rows(app: Any, selector: str) -> list[list[str]]:
    table = find(app, selector, SyncedTable)
    return [[cell.plain for cell in table.get_row(row_id)] for row_id in table.row_ids]


def table_column(app: Any, selector: str, index: int) -> list[str]:
    return [row[index] for row in table_rows(app, selector)]


def select_prompts(app: Any, selector: str) -> list[str]:
    """The choices a Select offers (read from its option list, as the user would see them when it opens)."""
    options = find(app, selector, Select).query_one(OptionList)
    prompts = []
    for index in range(options.option_count):
        prompt = options.get_option_at_index(index).prompt
        prompts.append(prompt.plain if isinstance(prompt, Text) else str(prompt))
    return prompts


def record_notifications(app: Any, monkeypatch: Any) -> list[str]:
    """Every toast message the app shows from now on (and still shows them)."""
    seen: list[str] = []
    real_notify = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append(message)
        real_notify(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return seen


async def select_row(pilot: Any, selector: str, row_id: str) -> None:
    table = find(pilot.app, selector, SyncedTable)
    table.focus()
    assert table.select_id(row_id), f"{row_id} is not in {selector}"
    await pilot.pause()


# Stand-in for a generated pair in pictures (snapshot tests, screenshots): reproducible, and
# not key-shaped ("PRIVATE KEY" armour), so no secret scanner mistakes a picture for a leak.
DEMO_PRIVATE_TEXT = (
    "-----BEGIN DEMO KEY MATERIAL-----\n"
    + "\n".join(f"ZGVtbyBrZXkgbWF0ZXJpYWwsIG5vdCBhIHJlYWwga2V5IC0gbGluZSB{n:02d}ZGVtbyBrZXkgbWF0ZXJp" for n in range(8))
    + "\n-----END DEMO KEY MATERIAL-----\n"
)


def demo_key_pair(name: str = "build-box") -> GeneratedKeyPair:
    public = ed25519_public_key("snapshot-demo", name)
    return GeneratedKeyPair(public_key=public, fingerprint=fingerprint(public), private_key=DEMO_PRIVATE_TEXT)
