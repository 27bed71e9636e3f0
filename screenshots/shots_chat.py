"""Screenshots of the AI Chat screen, its model picker and the usage view, driven through the real app.

`shoot(pilot, save)` is called by screenshots/make_screenshots.py with a pilot
of the app from tests.harness.make_harness at 120x40. The chat history is a
SQLite file in the data dir, so this points BARRACK_DATA_DIR at a fresh
temporary folder before the chat screen first opens: the pictures never
read, or write into, the history of whoever runs the script.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from shot_steps import key

from barrack_tui.sim.routes.chat import CHAT_SETTINGS
from tests.tui.chat_harness import ask, ready


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()


async def shoot(pilot: Any, save: Any) -> None:
    previous_dir = os.environ.get("BARRACK_DATA_DIR")
    previous_delay = CHAT_SETTINGS.token_delay
    with tempfile.TemporaryDirectory(prefix="barrack-shots-chat-") as data_dir:
        os.environ["BARRACK_DATA_DIR"] = data_dir
        CHAT_SETTINGS.token_delay = 0.0  # the in-process transport delivers the answer whole anyway
        try:
            await pilot.press(key("mode.chat"))
            await ready(pilot)
            await pilot.press("escape", key("chat.context"))  # attach the account context to the first question
            await ask(pilot, "why can't I detach data-1?")
            await ask(pilot, "how do I connect?")
            await pilot.press("escape")
            await _settle(pilot)
            save("chat")

            await pilot.press(key("chat.model"))
            await _settle(pilot)
            save("chat_model_picker")
            await pilot.press("escape")

            await pilot.press(key("chat.usage"))
            screen = pilot.app.screen
            for _ in range(20):
                if getattr(screen, "usage_page", None) is not None:
                    break
                await pilot.pause()
            await _settle(pilot)
            save("usage")
            await pilot.press("escape")
            await _settle(pilot)
        finally:
            CHAT_SETTINGS.token_delay = previous_delay
            # The chat screen keeps its history file open until the app ends; close it before the folder goes.
            for screen in pilot.app.screen_stack:
                history = getattr(screen, "history", None)
                if history is not None and hasattr(history, "close"):
                    history.close()
            if previous_dir is None:
                os.environ.pop("BARRACK_DATA_DIR", None)
            else:
                os.environ["BARRACK_DATA_DIR"] = previous_dir
