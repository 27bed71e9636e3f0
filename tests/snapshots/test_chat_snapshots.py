"""Snapshots of the AI Chat screen, its model picker and the usage view at 80x24 and 120x40.

The conversation is made through the real screen against the in-process
simulator (its answers, token counts and prices are deterministic, its clock
is frozen): a question with the account context attached, then one whose
answer has a code block.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness import still_cursor
from tests.tui.chat_harness import ask, chat_world, ready

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _conversation(pilot: Any) -> None:
    await ready(pilot)
    await pilot.press("escape", "c")
    await ask(pilot, "why can't I detach data-1?")
    await ask(pilot, "how do I connect?")
    await pilot.press("escape")  # the last answer has the focus
    await pilot.pause()


async def _settled(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()
    still_cursor(pilot.app)


@pytest.mark.parametrize("size", SIZES)
def test_chat_conversation(snap_compare, size):
    async def before(pilot: Any) -> None:
        await _conversation(pilot)
        await _settled(pilot)

    assert snap_compare(chat_world().app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_chat_model_picker(snap_compare, size):
    async def before(pilot: Any) -> None:
        await _conversation(pilot)
        await pilot.press("m", *"assist l")
        await _settled(pilot)

    assert snap_compare(chat_world().app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_chat_usage_view(snap_compare, size):
    async def before(pilot: Any) -> None:
        await _conversation(pilot)
        await pilot.press("u")
        screen = pilot.app.screen
        for _ in range(20):
            if screen.usage_page is not None:
                break
            await pilot.pause()
        await _settled(pilot)

    assert snap_compare(chat_world().app, terminal_size=size, run_before=before)
